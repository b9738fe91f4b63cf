// Where Palisade keeps per-user data between runs (the advisory database, the CLI's compile cache):
// $XDG_CACHE_HOME when it is an absolute path, as the XDG spec requires, else ~/.cache.
import { homedir } from 'node:os';
import { isAbsolute, join } from 'node:path';

export function userCacheDirectory(env: Record<string, string | undefined>): string {
  const xdg = env.XDG_CACHE_HOME;
  return xdg !== undefined && xdg !== '' && isAbsolute(xdg) ? xdg : join(env.HOME || homedir(), '.cache');
}
