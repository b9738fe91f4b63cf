// pnpm-lock.yaml: v5 keys `/name/1.2.3_peer`, v6 `/name@1.2.3(peer)`, v9 `name@1.2.3` (in `packages`).
import { load } from 'js-yaml';
import { isRecord, npmPackage } from '../analyzers/language-package.ts';
import type { Package } from '../package.ts';
import { lockfileReader } from './lockfile-reader.ts';

/** Name and version from a pnpm package key, or undefined for keys that are not registry packages. */
export function parsePnpmKey(key: string): { name: string; version: string } | undefined {
  let rest = key.replace(/^\//, '').replace(/\(.*$/, '');
  const at = rest.lastIndexOf('@');
  if (at > 0) {
    const version = rest.slice(at + 1);
    return /^\d/.test(version) ? { name: rest.slice(0, at), version } : undefined;
  }
  // v5: name/version_peerhash
  rest = rest.replace(/_.*$/, '');
  const slash = rest.lastIndexOf('/');
  if (slash <= 0) return undefined;
  const version = rest.slice(slash + 1);
  return /^\d/.test(version) ? { name: rest.slice(0, slash), version } : undefined;
}

export function parsePnpmLock(text: string, path: string): Package[] {
  const document = load(text, { json: true }) as unknown;
  if (!isRecord(document)) throw new Error('not a YAML mapping');
  const packages: Package[] = [];
  if (!isRecord(document.packages)) return packages;
  for (const [key, entry] of Object.entries(document.packages)) {
    const parsed = parsePnpmKey(key);
    if (parsed === undefined) continue;
    const dev = isRecord(entry) && typeof entry.dev === 'boolean' ? { dev: entry.dev } : {};
    packages.push(npmPackage(parsed.name, parsed.version, { path, foundBy: 'pnpm-lock', ...dev }));
  }
  return packages;
}

export const pnpmLockReader = lockfileReader('pnpm-lock', ['pnpm-lock.yaml'], parsePnpmLock);
