#!/usr/bin/env node
// The `palisade` executable.
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
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (!pipeClosed(error)) throw error;
  // The reason carries EPIPE: a one-shot command's writer tells it from Ctrl-C and keeps its own exit code.
  if (!shutdown.signal.aborted)
    shutdown.abort(Object.assign(new Error('standard output was closed'), { code: 'EPIPE' }));
});
process.stderr.on('error', (error: NodeJS.ErrnoException) => {
  if (!pipeClosed(error)) throw error;
});

const code = await runCli(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  stdin: process.stdin,
  cwd: process.cwd(),
  env: process.env,
  now: () => new Date(),
  signal: shutdown.signal,
});
// After an interrupt, work that cannot be cancelled (a read of a stdin that never ends) must not keep the process.
if (shutdown.signal.aborted) process.exit(code);
process.exitCode = code;
