// Where a command's result goes: stdout, or the file given with -o (relative to the command's cwd).
import { constants } from 'node:fs';
import { type FileHandle, open } from 'node:fs/promises';
import { resolve } from 'node:path';
import { PalisadeError } from '../core/errors.ts';
import { EventLoopPacer } from '../core/event-loop-pacer.ts';
import { firstEvent } from '../core/first-event.ts';
import type { CliIo } from './io.ts';

/** True once the reader has gone (`| head` closed the pipe): nothing more can be written. */
function isClosed(stream: NodeJS.WritableStream): boolean {
  return (stream as { destroyed?: boolean }).destroyed === true;
}

/** The pieces, with a turn of the event loop whenever the pacer says one is due (it throws once aborted). */
async function* paced(pieces: Iterable<string>, pacer: EventLoopPacer): AsyncIterable<string> {
  for (const piece of pieces) {
    yield piece;
    const turn = pacer.due();
    if (turn) await turn;
  }
}

/**
 * Writes to a stream, waiting whenever it asks to: a report of a gigabyte is not buffered in memory whole. Stops
 * when the reader goes away (the executable treats a closed stdout as Unix tools treat SIGPIPE).
 */
async function writeToStream(stream: NodeJS.WritableStream, pieces: AsyncIterable<string>): Promise<void> {
  for await (const piece of pieces) {
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
  // Rendering a large report piece by piece takes seconds: the event loop gets its turns, and Ctrl-C stops it.
  const pacer = new EventLoopPacer(io.signal);
  const pieces = paced(typeof content === 'string' ? [content] : content, pacer);
  if (output === undefined) {
    try {
      await writeToStream(io.stdout, pieces);
    } catch (error) {
      // The reader went away (the executable aborts with EPIPE): writing stops, the command keeps its exit code.
      const closed =
        isClosed(io.stdout) || (io.signal?.reason as { code?: unknown } | undefined)?.code === 'EPIPE';
      if (!closed) throw error;
    }
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
    for await (const piece of pieces) await handle.writeFile(piece);
  } catch (error) {
    if (io.signal?.aborted) throw error;
    throw new PalisadeError('output-unwritable', `cannot write ${output}: ${(error as Error).message}`, {
      cause: error,
    });
  } finally {
    await handle?.close().catch(() => undefined);
  }
}
