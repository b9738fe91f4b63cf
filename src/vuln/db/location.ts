// Where the advisory database lives: --db, then PALISADE_DB, then the user's cache directory (XDG_CACHE_HOME or ~/.cache).
import { homedir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';

export function databasePath(options: {
  db?: string | undefined;
  env: Record<string, string | undefined>;
  cwd: string;
}): string {
  const explicit = options.db ?? options.env.PALISADE_DB;
  if (explicit !== undefined && explicit !== '') return resolve(options.cwd, explicit);
  const xdg = options.env.XDG_CACHE_HOME;
  const cache =
    xdg !== undefined && xdg !== '' && isAbsolute(xdg) ? xdg : join(options.env.HOME || homedir(), '.cache');
  return join(cache, 'palisade', 'vuln.db');
}
