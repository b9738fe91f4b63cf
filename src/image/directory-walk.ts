// Walking a directory for `palisade sbom <dir>`: symlinks are recorded, never followed out of the directory;
// .git and other VCS metadata are skipped; the walk is bounded. What cannot be walked (a name that is not
// UTF-8, a subtree nested too deep, a symlinked lockfile pointing outside) is reported, never dropped unseen.
import { isUtf8 } from 'node:buffer';
import { lstat, readdir, readlink, realpath, stat } from 'node:fs/promises';
import { join, sep } from 'node:path';
import { PalisadeError } from '../core/errors.ts';
import { escapeNameBytes } from '../inputs/input-files.ts';
import type { InventoryIssue } from './inventory-issue.ts';
import { wantsLockfile } from './lockfiles/index.ts';

export interface WalkedFile {
  path: string;
  disk: string;
  size: number;
  mode: number;
}

export interface WalkVisitor {
  file(file: WalkedFile): Promise<void> | void;
  link(path: string, target: string): void;
  /** Parts of the directory that could not be walked; walkDirectory also returns them. */
  issue?(issue: InventoryIssue): void;
}

const SKIPPED_DIRS = new Set(['.git', '.hg', '.svn']);
const MAX_ENTRIES = 2_000_000;
export const MAX_DEPTH = 128;

export async function walkDirectory(
  root: string,
  visitor: WalkVisitor,
  signal?: AbortSignal,
): Promise<InventoryIssue[]> {
  const issues: InventoryIssue[] = [];
  const report = (issue: InventoryIssue): void => {
    issues.push(issue);
    visitor.issue?.(issue);
  };
  let realRoot: string | undefined;
  let seen = 0;
  const visit = async (relative: string, depth: number): Promise<void> => {
    if (depth > MAX_DEPTH) {
      report({
        severity: 'warning',
        code: 'unsupported-format',
        message: `${relative}: directory nested deeper than ${MAX_DEPTH} levels: its contents are not read`,
        path: relative,
      });
      return;
    }
    const raw = await readdir(join(root, relative), { encoding: 'buffer' });
    const names: string[] = [];
    for (const name of raw) {
      if (isUtf8(name)) names.push(name.toString('utf8'));
      else {
        // Node can only name such a file with a Buffer path, which the file view cannot hold: say so.
        const where = relative === '' ? '.' : relative;
        const kind = await lstat(Buffer.concat([Buffer.from(`${join(root, relative)}${sep}`), name])).then(
          (info) => (info.isDirectory() ? 'directory (and everything in it)' : 'entry'),
          () => 'entry',
        );
        report({
          severity: 'warning',
          code: 'unsupported-format',
          message: `${where}: ${kind} "${escapeNameBytes(name)}" not read: its name is not valid UTF-8`,
          path: where,
        });
      }
    }
    names.sort();
    for (const name of names) {
      signal?.throwIfAborted();
      if (++seen > MAX_ENTRIES)
        throw new PalisadeError('input-unreadable', `${root}: more than ${MAX_ENTRIES} entries`);
      const path = relative === '' ? name : `${relative}/${name}`;
      const disk = join(root, path);
      const info = await lstat(disk).catch(() => undefined);
      if (info === undefined) continue;
      if (info.isSymbolicLink()) {
        const target = await readlink(disk);
        if (wantsLockfile(path)) {
          realRoot ??= await realpath(root);
          const followed = await followLockfileLink(disk, realRoot);
          if (followed.ok) {
            await visitor.file({ path, disk: followed.real, size: followed.size, mode: followed.mode });
            continue;
          }
          report({
            severity: 'warning',
            code: 'path-escape',
            message: `${path}: symlinked lockfile not read: ${followed.reason}`,
            path,
          });
        }
        visitor.link(path, target);
      } else if (info.isDirectory()) {
        if (!SKIPPED_DIRS.has(name)) await visit(path, depth + 1);
      } else if (info.isFile()) await visitor.file({ path, disk, size: info.size, mode: info.mode & 0o7777 });
      // A FIFO, socket or device named as a lockfile is never read (a FIFO would block), but said.
      else if (wantsLockfile(path))
        report({
          severity: 'warning',
          code: 'unsupported-format',
          message: `${path}: not read: not a regular file (a FIFO, socket or device)`,
          path,
        });
    }
  };
  await visit('', 0);
  return issues;
}

type Followed = { ok: true; real: string; size: number; mode: number } | { ok: false; reason: string };

/** A lockfile symlink is read when it resolves to a regular file inside the scanned directory. */
async function followLockfileLink(disk: string, realRoot: string): Promise<Followed> {
  let real: string;
  try {
    real = await realpath(disk);
  } catch (error) {
    return { ok: false, reason: `it does not resolve (${(error as NodeJS.ErrnoException).code ?? 'error'})` };
  }
  if (real !== realRoot && !real.startsWith(realRoot.endsWith(sep) ? realRoot : `${realRoot}${sep}`))
    return { ok: false, reason: 'it points outside the scanned directory' };
  const info = await stat(real).catch(() => undefined);
  if (info === undefined || !info.isFile())
    return { ok: false, reason: 'it does not point to a regular file' };
  return { ok: true, real, size: info.size, mode: info.mode & 0o7777 };
}
