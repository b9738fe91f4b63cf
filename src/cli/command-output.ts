// Where a command's result goes: stdout, or the file given with -o (relative to the command's cwd).
import { constants } from 'node:fs';
import { type FileHandle, open } from 'node:fs/promises';
import { resolve } from 'node:path';
import { PalisadeError } from '../core/errors.ts';
import { firstEvent } from '../core/first-event.ts';
import type { CliIo } from './io.ts';

/** True once the reader has gone (`| head` closed the pipe): nothing more can be written. */
function isClosed(stream: NodeJS.WritableStream): boolean {
  return (stream as { destroyed?: boolean }).destroyed === true;
}

/**
 * Writes to a stream, waiting whenever it asks to: a report of a gigabyte is not buffered in memory whole. Stops
 * when the reader goes away (the executable treats a closed stdout as Unix tools treat SIGPIPE).
 */
async function writeToStream(stream: NodeJS.WritableStream, pieces: Iterable<string>): Promise<void> {
  for (const piece of pieces) {
    if (isClosed(stream)) return;
    // A stream that closes or fails instead never drains.
    if (!stream.write(piece)) await firstEvent(stream, ['drain', 'close', 'error']);
  }
}

/**
 * Writes `content` (one string, or pieces of a large report) to stdout when `output` is undefined, else to that
 * file, with permissions `mode` when given (0o600 for output that may hold a private key), also when the file
 * already existed with wider ones. The permissions are set on the opened file, never by path: a path swapped for
 * a symbolic link in between cannot redirect them. Existing targets that are not regular files (a terminal,
 * `/dev/stdout`, a pipe) are written to as they are, and never have their permissions changed.
 */
export async function writeCommandOutput(
  io: CliIo,
  output: string | undefined,
  content: string | Iterable<string>,
  mode?: number,
): Promise<void> {
  const pieces = typeof content === 'string' ? [content] : content;
  if (output === undefined) {
    await writeToStream(io.stdout, pieces);
    return;
  }
  let handle: FileHandle | undefined;
  try {
    handle = await open(resolve(io.cwd, output), constants.O_WRONLY | constants.O_CREAT, mode ?? 0o666);
    const info = await handle.stat();
    if (info.isFile()) {
      await handle.truncate(0);
      if (mode !== undefined) await handle.chmod(mode);
    }
    // Each writeFile on a handle continues where the previous one ended.
    for (const piece of pieces) await handle.writeFile(piece);
  } catch (error) {
    throw new PalisadeError('output-unwritable', `cannot write ${output}: ${(error as Error).message}`, {
      cause: error,
    });
  } finally {
    await handle?.close().catch(() => undefined);
  }
}
