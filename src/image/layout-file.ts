// Files of an image layout on disk (OCI layout directories). The layout is input like any other: a file may be
// a symlink to /dev/zero, a FIFO or a directory. Only regular files inside the layout directory are read, and
// never more bytes than asked for.
import { constants } from 'node:fs';
import { type FileHandle, open, realpath } from 'node:fs/promises';
import { isAbsolute, join, relative } from 'node:path';
import { PalisadeError } from '../core/errors.ts';

// O_NONBLOCK: opening a FIFO must not wait for a writer; fstat then refuses it. O_NOFOLLOW: the path is
// already resolved, so a symlink swapped in after the check is refused rather than followed.
const FLAGS = constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOFOLLOW;

function inside(root: string, path: string): boolean {
  const rel = relative(root, path);
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel);
}

/** Opens `path` under `root` as a regular file; symlinks may point only within the root. Returns its size. */
export async function openLayoutFile(
  root: string,
  path: string,
  where: string,
): Promise<{ handle: FileHandle; size: number }> {
  const name = `${where}: ${path}`;
  let real: string;
  try {
    real = await realpath(join(root, path));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new PalisadeError(
      'input-unreadable',
      code === 'ENOENT' ? `${name} is missing` : `${name}: ${(error as Error).message}`,
      { cause: error },
    );
  }
  const realRoot = await realpath(root).catch(() => root);
  if (!inside(realRoot, real))
    throw new PalisadeError('input-unreadable', `${name} is a symlink that leaves the layout directory`);
  let handle: FileHandle;
  try {
    handle = await open(real, FLAGS);
  } catch (error) {
    throw new PalisadeError('input-unreadable', `${name}: ${(error as Error).message}`, { cause: error });
  }
  try {
    const info = await handle.stat();
    if (!info.isFile()) {
      const kind = info.isDirectory() ? 'a directory' : info.isFIFO() ? 'a FIFO' : 'not a regular file';
      throw new PalisadeError('input-unreadable', `${name} is ${kind}, not a regular file`);
    }
    return { handle, size: info.size };
  } catch (error) {
    await handle.close();
    throw error;
  }
}

/** Reads a whole layout file of at most `limit` bytes. */
export async function readLayoutFile(
  root: string,
  path: string,
  where: string,
  limit: number,
): Promise<Buffer> {
  const { handle, size } = await openLayoutFile(root, path, where);
  try {
    if (size > limit) throw new PalisadeError('input-unreadable', `${where}: ${path} is over ${limit} bytes`);
    // One byte more than fstat said: a file that grows while read is refused, not read on without end.
    const buffer = Buffer.alloc(size + 1);
    let done = 0;
    while (done < buffer.length) {
      const { bytesRead } = await handle.read(buffer, done, buffer.length - done, done);
      if (bytesRead === 0) break;
      done += bytesRead;
    }
    if (done !== size)
      throw new PalisadeError('input-unreadable', `${where}: ${path} changed size while being read`);
    return buffer.subarray(0, done);
  } finally {
    await handle.close();
  }
}
