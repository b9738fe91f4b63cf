// Where a command's result goes: stdout, or the file given with -o (relative to the command's cwd).
import { chmod, writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { PalisadeError } from '../core/errors.ts';
import type { CliIo } from './io.ts';

/**
 * Writes `text` to stdout when `output` is undefined, else to that file with permissions `mode` when given (0o600
 * for output that may hold a private key), also when the file already existed with wider ones.
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
    const path = resolve(io.cwd, output);
    // writeFile's mode only applies to a file it creates; an existing file keeps its permissions until chmod.
    if (mode !== undefined) await writeFile(path, '', { mode }).then(() => chmod(path, mode));
    await writeFile(path, text, mode === undefined ? {} : { mode });
  } catch (error) {
    throw new PalisadeError('output-unwritable', `cannot write ${output}: ${(error as Error).message}`, {
      cause: error,
    });
  }
}
