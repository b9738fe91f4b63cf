// Where the advisory database lives: --db, then PALISADE_DB, then the user's cache directory (XDG_CACHE_HOME or ~/.cache).
import { join, resolve } from 'node:path';
import { userCacheDirectory } from '../../core/user-cache-directory.ts';

export function databasePath(options: {
  db?: string | undefined;
  env: Record<string, string | undefined>;
  cwd: string;
}): string {
  const explicit = options.db ?? options.env.PALISADE_DB;
  if (explicit !== undefined && explicit !== '') return resolve(options.cwd, explicit);
  return join(userCacheDirectory(options.env), 'palisade', 'vuln.db');
}
