// Runs the CLI in-process through run-cli (so errors map to exit codes and stderr as users see them), with
// captured streams, a fixed clock and no real stdin unless the test gives them.
import { Readable, Writable } from 'node:stream';
import type { CliIo } from '../../src/cli/io.ts';
import { runCli } from '../../src/cli/run-cli.ts';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

export interface CliOptions {
  /** Working directory of the command; the test process's when absent. */
  cwd?: string;
  /** Standard input: its whole text, or a stream for input that arrives over time. Empty when absent. */
  stdin?: string | NodeJS.ReadableStream;
  /** stdout is a terminal (colour, hyperlinks). */
  tty?: boolean;
  /** stderr is a terminal (progress drawing). */
  stderrTty?: boolean;
  env?: Record<string, string | undefined>;
  /** The clock; fixed at 2026-11-22T12:00:00Z when absent. */
  now?: () => Date;
  /** Given to the command as io.signal: aborting it is SIGINT/SIGTERM for long-running commands. */
  signal?: AbortSignal;
}

/** A command still running: its output so far, and its result once it returns. */
export interface RunningCli {
  readonly stdout: string;
  readonly stderr: string;
  readonly done: Promise<CliRun>;
  /**
   * Resolves with the first match of `pattern` in the stream's text so far or to come; rejects when the
   * command returns or `timeoutMs` passes first, naming what the stream held.
   */
  waitFor(stream: 'stdout' | 'stderr', pattern: RegExp, timeoutMs?: number): Promise<RegExpExecArray>;
}

const FIXED_NOW = new Date('2026-11-22T12:00:00Z');

function sink(): Writable & { text: string } {
  const stream = new Writable({
    write(chunk, _encoding, done) {
      stream.text += String(chunk);
      done();
    },
  }) as Writable & { text: string };
  stream.text = '';
  return stream;
}

export function startPalisade(args: readonly string[], options: CliOptions = {}): RunningCli {
  const stdout = sink();
  const stderr = sink();
  if (options.tty) Object.assign(stdout, { isTTY: true });
  if (options.stderrTty) Object.assign(stderr, { isTTY: true });
  const stdin =
    options.stdin === undefined || typeof options.stdin === 'string'
      ? Readable.from(options.stdin === undefined ? [] : [options.stdin])
      : options.stdin;
  const io: CliIo = {
    stdout,
    stderr,
    stdin,
    cwd: options.cwd ?? process.cwd(),
    env: options.env ?? {},
    now: options.now ?? (() => new Date(FIXED_NOW)),
    ...(options.signal ? { signal: options.signal } : {}),
  };
  let finished = false;
  const done = runCli(args, io).then(
    (code): CliRun => {
      finished = true;
      return { code, stdout: stdout.text, stderr: stderr.text };
    },
    (error: unknown) => {
      finished = true;
      throw error;
    },
  );
  const streams = { stdout, stderr };
  return {
    get stdout() {
      return stdout.text;
    },
    get stderr() {
      return stderr.text;
    },
    done,
    async waitFor(stream, pattern, timeoutMs = 3000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const match = pattern.exec(streams[stream].text);
        if (match) return match;
        if (finished || Date.now() > deadline) {
          const why = finished ? 'the command returned' : `${timeoutMs} ms passed`;
          throw new Error(
            `${why} before ${stream} matched ${pattern}; stdout:\n${stdout.text}\nstderr:\n${stderr.text}`,
          );
        }
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    },
  };
}

export async function runPalisade(args: readonly string[], options: CliOptions = {}): Promise<CliRun> {
  return startPalisade(args, options).done;
}
