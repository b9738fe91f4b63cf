// Where a command's result goes: stdout, or the file given with -o (relative to the command's cwd).
import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { PalisadeError } from '../core/errors.ts';
import type { CliIo } from './io.ts';

/**
 * Writes `text` to stdout when `output` is undefined, else to that file. `mode` applies to a file it creates
 * (0o600 for output that may hold a private key).
 */
export async function writeCommandOutput(
  io: CliIo,
  output: string | undefined,
  text: string,
  mode?: number,
): Promise<void> {
  if (output === undefined) {
    io.stdout.write(text);
    return;
  }
  try {
    await writeFile(resolve(io.cwd, output), text, mode === undefined ? {} : { mode });
  } catch (error) {
    throw new PalisadeError('output-unwritable', `cannot write ${output}: ${(error as Error).message}`, {
      cause: error,
    });
  }
}
