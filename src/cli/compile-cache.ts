// Node's module compile cache for the `palisade` executable. Without it every invocation parses and compiles
// every module again (and, run from the TypeScript sources, strips their types again), which is most of
// what a small scan costs. The cache holds V8 code that Node runs without asking who wrote it, so it lives
// only in a directory this user alone can write: never Node's default under the shared temporary directory,
// and not at all when that cannot be ensured (a read-only home, another owner, loose permissions).
import { lstatSync } from 'node:fs';
import * as nodeModule from 'node:module';
import { dirname, join } from 'node:path';
import { makeDirectory } from '../core/make-directory.ts';
import { userCacheDirectory } from '../core/user-cache-directory.ts';

export type CompileCacheOutcome = { enabled: true; directory: string } | { enabled: false; reason: string };

/** `$XDG_CACHE_HOME/palisade/compile-cache`, else `~/.cache/palisade/compile-cache`. */
export function compileCacheDirectory(env: Record<string, string | undefined>): string {
  return join(userCacheDirectory(env), 'palisade', 'compile-cache');
}

/** Why `path` may not hold code this process will run; undefined when only its owner can change it. */
function unsafeBecause(path: string, uid: number): string | undefined {
  const info = lstatSync(path, { throwIfNoEntry: false });
  if (info === undefined) return `${path} is missing`;
  if (info.isSymbolicLink()) return `${path} is a symbolic link`;
  if (!info.isDirectory()) return `${path} is not a directory`;
  if (info.uid !== uid) return `${path} belongs to another user (uid ${info.uid})`;
  if ((info.mode & 0o022) !== 0)
    return `${path} is writable by others (mode ${(info.mode & 0o777).toString(8)})`;
  return undefined;
}

/**
 * Creates the directory (and its `palisade` parent) private to this user when missing, checks both, and turns
 * the cache on. `PALISADE_NO_COMPILE_CACHE=1` (or Node's own `NODE_DISABLE_COMPILE_CACHE=1`) turns it off.
 */
export function enablePrivateCompileCache(env: Record<string, string | undefined>): CompileCacheOutcome {
  if (env.PALISADE_NO_COMPILE_CACHE === '1' || env.NODE_DISABLE_COMPILE_CACHE === '1')
    return { enabled: false, reason: 'turned off by the environment' };
  // Older Node (below the supported 22.15) has no compile cache; the CLI still starts there to say so itself.
  if (typeof nodeModule.enableCompileCache !== 'function')
    return { enabled: false, reason: 'this Node.js has no module compile cache' };
  // NODE_COMPILE_CACHE: the user chose a place, and Node took it at start-up; nothing of ours is created.
  const chosen = nodeModule.getCompileCacheDir?.();
  if (chosen !== undefined) return { enabled: true, directory: chosen };
  // Ownership is what makes the directory safe; where there is no uid (Windows) it cannot be checked.
  const uid = process.getuid?.();
  if (uid === undefined) return { enabled: false, reason: 'directory ownership cannot be checked here' };
  const directory = compileCacheDirectory(env);
  try {
    makeDirectory(directory, 0o700);
  } catch (error) {
    return { enabled: false, reason: (error as Error).message };
  }
  for (const path of [dirname(directory), directory]) {
    const reason = unsafeBecause(path, uid);
    if (reason !== undefined) return { enabled: false, reason };
  }
  const result = nodeModule.enableCompileCache(directory);
  if (result.status !== nodeModule.constants.compileCacheStatus.ENABLED)
    return { enabled: false, reason: result.message ?? 'Node did not enable the compile cache' };
  return { enabled: true, directory: result.directory ?? directory };
}
