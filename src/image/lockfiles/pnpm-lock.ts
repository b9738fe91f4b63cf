// pnpm-lock.yaml: v5 keys `/name/1.2.3_peer`, v6 `/name@1.2.3(peer)`, v9 `name@1.2.3` (in `packages`).
import { load, YAMLException } from 'js-yaml';
import { withoutQuotedText } from '../../inputs/yaml-parse.ts';
import { isRecord, npmPackage } from '../analyzers/language-package.ts';
import type { Package } from '../package.ts';
import { describeJson, type LockfileWarn, lockfileReader } from './lockfile-reader.ts';

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

/**
 * js-yaml's messages quote the lines around the error (its `snippet`), which may hold a token from a registry
 * URL: only the reason and the position are kept.
 */
function loadYaml(text: string): unknown {
  try {
    return load(text, { json: true });
  } catch (error) {
    if (!(error instanceof YAMLException)) throw error;
    const where =
      error.mark === undefined ? '' : ` at line ${error.mark.line + 1}, column ${error.mark.column + 1}`;
    throw new Error(`invalid YAML: ${withoutQuotedText(error.reason || 'syntax error')}${where}`);
  }
}

export function parsePnpmLock(text: string, path: string, warn: LockfileWarn = () => {}): Package[] {
  const document = loadYaml(text);
  if (!isRecord(document)) throw new Error(`expected a YAML mapping, got ${describeJson(document)}`);
  const packages: Package[] = [];
  if (!Object.hasOwn(document, 'packages') || document.packages === null) return packages;
  if (!isRecord(document.packages)) {
    warn(`packages: expected a mapping, got ${describeJson(document.packages)}`);
    return packages;
  }
  for (const [key, entry] of Object.entries(document.packages)) {
    const parsed = parsePnpmKey(key);
    if (parsed === undefined) continue;
    const dev = isRecord(entry) && typeof entry.dev === 'boolean' ? { dev: entry.dev } : {};
    packages.push(npmPackage(parsed.name, parsed.version, { path, foundBy: 'pnpm-lock', ...dev }));
  }
  return packages;
}

export const pnpmLockReader = lockfileReader('pnpm-lock', ['pnpm-lock.yaml'], parsePnpmLock);
