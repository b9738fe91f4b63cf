// Walking a directory for `palisade sbom <dir>`: symlinks are recorded, never followed, so nothing outside the
// directory is read; .git and other VCS metadata are skipped; the walk is bounded.
import { lstat, readdir, readlink } from 'node:fs/promises';
import { join } from 'node:path';
import { PalisadeError } from '../core/errors.ts';

export interface WalkedFile {
  path: string;
  disk: string;
  size: number;
  mode: number;
}

export interface WalkVisitor {
  file(file: WalkedFile): Promise<void> | void;
  link(path: string, target: string): void;
}

const SKIPPED_DIRS = new Set(['.git', '.hg', '.svn']);
const MAX_ENTRIES = 2_000_000;
const MAX_DEPTH = 128;

export async function walkDirectory(root: string, visitor: WalkVisitor, signal?: AbortSignal): Promise<void> {
  let seen = 0;
  const visit = async (relative: string, depth: number): Promise<void> => {
    if (depth > MAX_DEPTH)
      throw new PalisadeError('input-unreadable', `${root}: directories nested deeper than ${MAX_DEPTH}`);
    const names = (await readdir(join(root, relative))).sort();
    for (const name of names) {
      signal?.throwIfAborted();
      if (++seen > MAX_ENTRIES)
        throw new PalisadeError('input-unreadable', `${root}: more than ${MAX_ENTRIES} entries`);
      const path = relative === '' ? name : `${relative}/${name}`;
      const disk = join(root, path);
      const info = await lstat(disk).catch(() => undefined);
      if (info === undefined) continue;
      if (info.isSymbolicLink()) visitor.link(path, await readlink(disk));
      else if (info.isDirectory()) {
        if (!SKIPPED_DIRS.has(name)) await visit(path, depth + 1);
      } else if (info.isFile()) await visitor.file({ path, disk, size: info.size, mode: info.mode & 0o7777 });
    }
  };
  await visit('', 0);
}
