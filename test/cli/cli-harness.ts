// Runs the CLI in-process with captured streams, a fixed clock and no real stdin.
import { Readable, Writable } from 'node:stream';
import type { CliIo } from '../../src/cli/io.ts';
import { runCli } from '../../src/cli/run-cli.ts';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

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

export async function runPalisade(
  args: readonly string[],
  options: { cwd?: string; stdin?: string; tty?: boolean; env?: Record<string, string> } = {},
): Promise<CliRun> {
  const stdout = sink();
  const stderr = sink();
  if (options.tty) Object.assign(stdout, { isTTY: true });
  const io: CliIo = {
    stdout,
    stderr,
    stdin: Readable.from(options.stdin === undefined ? [] : [options.stdin]),
    cwd: options.cwd ?? process.cwd(),
    env: options.env ?? {},
    now: () => new Date('2026-11-22T12:00:00Z'),
  };
  const code = await runCli(args, io);
  return { code, stdout: stdout.text, stderr: stderr.text };
}
