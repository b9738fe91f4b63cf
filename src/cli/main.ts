#!/usr/bin/env node
// The `palisade` executable.
import { fstatSync } from 'node:fs';
import { Readable } from 'node:stream';
import { enablePrivateCompileCache } from './compile-cache.ts';
import { nodeTooOld } from './node-version.ts';

const tooOld = nodeTooOld(process.version);
if (tooOld !== undefined) {
  process.stderr.write(`${tooOld}\n`);
  process.exit(3);
}

// Before anything else is loaded, so that every module after this one comes from the cache.
enablePrivateCompileCache(process.env);
const { runCli } = await import('./run-cli.ts');

/** EXIT.runtime of io.ts, which is loaded only after the compile cache is on. */
const EXIT_RUNTIME = 3;

// Servers and watchers stop on the first SIGINT/SIGTERM; a second one exits at once.
const shutdown = new AbortController();
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (shutdown.signal.aborted) process.exit(130);
    shutdown.abort(new Error(`received ${signal}`));
  });
}

// A reader that stops early (`palisade scan -f json | head`) closes the pipe. Stop writing there, as a Unix tool
// does on SIGPIPE, instead of crashing on an unhandled EPIPE: watchers and servers shut down cleanly (their other
// sinks flushed), one-shot commands finish with their own exit code. A closed stderr only loses messages.
const pipeClosed = (error: NodeJS.ErrnoException) =>
  error.code === 'EPIPE' || error.code === 'ERR_STREAM_DESTROYED';
// Any other failure (a full disk: ENOSPC, an I/O error) loses output the user asked for: said once, and exit 3
// (a runtime error), never 1, which would read as "findings" in CI, and never a stack trace.
let stdoutFailed = false;
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (!pipeClosed(error) && !stdoutFailed) {
    stdoutFailed = true;
    process.exitCode = EXIT_RUNTIME;
    process.stderr.write(`palisade: cannot write to standard output: ${error.message}\n`);
  }
  // The reason carries EPIPE: a one-shot command's writer tells it from Ctrl-C and stops writing.
  if (!shutdown.signal.aborted)
    shutdown.abort(Object.assign(new Error('standard output was closed'), { code: 'EPIPE' }));
});
// A failing stderr (closed, or the same full disk as stdout) only loses messages: never an uncaught error, whose
// exit 1 would read as "findings"; the command's own exit code stands.
process.stderr.on('error', () => {});

/**
 * Standard input, except that a directory (`palisade scan - < dir`) is an error when read: Node reads it as an
 * empty stream, which a scan would report as "no documents" and pass.
 */
function standardInput(): NodeJS.ReadableStream {
  let directory = false;
  try {
    directory = fstatSync(0).isDirectory();
  } catch {
    // No descriptor 0 to inspect: Node's own stream says what there is.
  }
  if (!directory) return process.stdin;
  return new Readable({
    read() {
      this.destroy(Object.assign(new Error('standard input is a directory'), { code: 'EISDIR' }));
    },
  });
}

const code = await runCli(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  stdin: standardInput(),
  cwd: process.cwd(),
  env: process.env,
  now: () => new Date(),
  signal: shutdown.signal,
});
const exitCode = stdoutFailed ? EXIT_RUNTIME : code;
// After an interrupt, work that cannot be cancelled (a read of a stdin that never ends) must not keep the process.
if (shutdown.signal.aborted) process.exit(exitCode);
process.exitCode = exitCode;
