// pnpm-lock.yaml: v5 keys `/name/1.2.3_peer`, v6 `/name@1.2.3(peer)`, v9 `name@1.2.3` (in `packages`), with
// `importers` (v9, and workspaces before) or top-level `dependencies` naming the direct dependencies.
import { loadAll, YAMLException } from 'js-yaml';
import { withoutQuotedText } from '../../inputs/yaml-parse.ts';
import { isRecord, npmPackage, splitNpmNameAt } from '../analyzers/language-package.ts';
import type { Package } from '../package.ts';
import { describeJson, type LockfileWarn, lockfileReader } from './lockfile-reader.ts';

/** pnpm locks exact versions: a SemVer, never a range, a URL or a path. */
const EXACT_VERSION = /^\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?$/;

/** `name` or `@scope/name`: one path segment after the scope. */
const PACKAGE_NAME = /^(?:@[^/@]+\/)?[^/@]+$/;

/** Packages from the project's own tree (`file:`, `link:`) are its code, not registry dependencies. */
const LOCAL_KEY = /(?:^|@)(?:file|link|workspace):/;

/** A key without its v6+ peer suffix: v9 snapshot `name@1.2.3(peer@1.0.0)` → its `packages` key `name@1.2.3`. */
function withoutPeers(snapshotKey: string): string {
  const open = snapshotKey.indexOf('(');
  return open < 0 ? snapshotKey : snapshotKey.slice(0, open);
}

/**
 * Name and version from a pnpm package key, or undefined for keys that are not registry packages.
 * `lockfileVersion` tells the forms apart: before 6 `name/version_peers`, then `name@version(peers)`; before 9
 * a key may start with a registry host (`registry.npmjs.org/lodash/4.17.10`) instead of `/`.
 */
export function parsePnpmKey(
  key: string,
  lockfileVersion?: number,
): { name: string; version: string } | undefined {
  if (LOCAL_KEY.test(withoutPeers(key))) return undefined;
  let rest = key;
  if (rest.startsWith('/')) rest = rest.slice(1);
  else if (lockfileVersion !== undefined && lockfileVersion < 9) {
    // A registry host, or a tarball/git key (`@github.com/…`, `github.com/…`) read from its name and version.
    if (rest.startsWith('@')) return undefined;
    rest = rest.slice(rest.indexOf('/') + 1);
  }
  const v5 = (): { name: string; version: string } | undefined => {
    // Peer suffixes (`_@babel+core@7.21.8`) follow the version, after the name's last `/`.
    const parts = rest.split('/');
    const nameParts = rest.startsWith('@') ? 2 : 1;
    if (parts.length <= nameParts) return undefined;
    return {
      name: parts.slice(0, nameParts).join('/'),
      version: parts.slice(nameParts).join('/').split('_')[0]!,
    };
  };
  const v6 = (): { name: string; version: string } | undefined => {
    const split = splitNpmNameAt(rest.replace(/\(.*$/, ''));
    return split === undefined ? undefined : { name: split.name, version: split.rest };
  };
  // Without a lockfileVersion (missing or unreadable), whichever form gives a name and an exact version.
  const forms = lockfileVersion === undefined ? [v6, v5] : [lockfileVersion < 6 ? v5 : v6];
  for (const form of forms) {
    const parsed = form();
    if (parsed !== undefined && PACKAGE_NAME.test(parsed.name) && EXACT_VERSION.test(parsed.version))
      return parsed;
  }
  return undefined;
}

/**
 * js-yaml's messages quote the lines around the error (its `snippet`), which may hold a token from a registry
 * URL: only the reason and the position are kept. pnpm 11 writes several documents (`---`) to one file.
 */
function loadYamlDocuments(text: string): unknown[] {
  try {
    return loadAll(text, null, { json: true });
  } catch (error) {
    if (!(error instanceof YAMLException)) throw error;
    const where =
      error.mark === undefined ? '' : ` at line ${error.mark.line + 1}, column ${error.mark.column + 1}`;
    throw new Error(`invalid YAML: ${withoutQuotedText(error.reason || 'syntax error')}${where}`);
  }
}

/**
 * pnpm 11's first document locks pnpm itself (`packageManagerDependencies`, `configDependencies`): the tool's
 * environment, not the project's dependencies.
 */
function isEnvDocument(document: Record<string, unknown>): boolean {
  if (!isRecord(document.importers)) return false;
  const importers = Object.values(document.importers);
  return (
    importers.length > 0 &&
    importers.every(
      (importer) =>
        isRecord(importer) &&
        Object.keys(importer).every(
          (field) => field === 'configDependencies' || field === 'packageManagerDependencies',
        ),
    )
  );
}

const DEPENDENCY_FIELDS = ['dependencies', 'optionalDependencies', 'devDependencies'] as const;

/**
 * What an importer (or a v9 snapshot) asks for, per field: name → locked reference (v5 and snapshots: a string;
 * v6+ importers: `{ specifier, version }`).
 */
function importerDependencies(
  importer: Record<string, unknown>,
): { field: (typeof DEPENDENCY_FIELDS)[number]; name: string; reference: string }[] {
  const found: { field: (typeof DEPENDENCY_FIELDS)[number]; name: string; reference: string }[] = [];
  for (const field of DEPENDENCY_FIELDS) {
    const list = importer[field];
    if (!isRecord(list)) continue;
    for (const [name, value] of Object.entries(list)) {
      const reference = isRecord(value) ? value.version : value;
      if (typeof reference === 'string' || typeof reference === 'number')
        found.push({ field, name, reference: String(reference) });
    }
  }
  return found;
}

/** The projects of a lockfile: `importers` (v9, and workspaces before), else the top level (one project). */
function importersOf(document: Record<string, unknown>): Record<string, unknown>[] {
  if (isRecord(document.importers)) return Object.values(document.importers).filter(isRecord);
  return DEPENDENCY_FIELDS.some((field) => isRecord(document[field])) ? [document] : [];
}

/** The `packages` key a reference (`1.2.3(peer)`, an alias `other@1.2.3`, a tarball key) names, if any. */
function packageKeyFor(
  name: string,
  reference: string,
  lockfileVersion: number,
  keys: Set<string>,
): string | undefined {
  const candidates =
    lockfileVersion >= 9
      ? [`${name}@${reference}`, reference]
      : [`/${name}${lockfileVersion < 6 ? '/' : '@'}${reference}`, reference];
  return candidates.find((candidate) => keys.has(candidate));
}

interface Relations {
  direct: Set<string>;
  /** v9 only (earlier versions mark `dev` on each package): packages reached from production dependencies. */
  production?: Set<string>;
  development?: Set<string>;
}

/**
 * Direct dependencies, and for v9 which packages production and development dependencies reach: a walk of
 * `snapshots` from every importer (each package once, so cycles end).
 */
function relations(
  document: Record<string, unknown>,
  lockfileVersion: number,
  packages: Record<string, unknown>,
): Relations {
  const direct = new Set<string>();
  const importers = importersOf(document);
  if (lockfileVersion < 9) {
    const keys = new Set(Object.keys(packages));
    for (const importer of importers)
      for (const { name, reference } of importerDependencies(importer)) {
        const key = packageKeyFor(name, reference, lockfileVersion, keys);
        if (key !== undefined) direct.add(key);
      }
    return { direct };
  }
  const snapshots = isRecord(document.snapshots) ? document.snapshots : {};
  // Without snapshots (hand-written files), importers are matched against `packages` alone.
  const snapshotKeys = new Set(Object.keys(Object.keys(snapshots).length > 0 ? snapshots : packages));
  const walk = (roots: string[]): Set<string> => {
    const seen = new Set<string>(roots);
    const queue = [...roots];
    while (queue.length > 0) {
      const snapshot = snapshots[queue.pop()!];
      if (!isRecord(snapshot)) continue;
      for (const { name, reference } of importerDependencies(snapshot)) {
        const key = packageKeyFor(name, reference, lockfileVersion, snapshotKeys);
        if (key === undefined || seen.has(key)) continue;
        seen.add(key);
        queue.push(key);
      }
    }
    return new Set([...seen].map(withoutPeers));
  };
  const productionRoots: string[] = [];
  const developmentRoots: string[] = [];
  for (const importer of importers)
    for (const { field, name, reference } of importerDependencies(importer)) {
      const key = packageKeyFor(name, reference, lockfileVersion, snapshotKeys);
      if (key === undefined) continue;
      direct.add(withoutPeers(key));
      (field === 'devDependencies' ? developmentRoots : productionRoots).push(key);
    }
  if (Object.keys(snapshots).length === 0) return { direct };
  return { direct, production: walk(productionRoots), development: walk(developmentRoots) };
}

function lockfileVersionOf(document: Record<string, unknown>): number | undefined {
  const version = Number.parseFloat(String(document.lockfileVersion));
  return Number.isFinite(version) ? version : undefined;
}

function readDocument(
  document: Record<string, unknown>,
  path: string,
  warn: LockfileWarn,
  packages: Package[],
): void {
  if (!Object.hasOwn(document, 'packages') || document.packages === null) return;
  if (!isRecord(document.packages)) {
    warn(`packages: expected a mapping, got ${describeJson(document.packages)}`);
    return;
  }
  const lockfileVersion = lockfileVersionOf(document);
  const related =
    lockfileVersion === undefined || importersOf(document).length === 0
      ? undefined
      : relations(document, lockfileVersion, document.packages);
  for (const [key, entry] of Object.entries(document.packages)) {
    const parsed = packageOf(key, entry, lockfileVersion);
    if (parsed === undefined) continue;
    const flags: { dev?: boolean; direct?: boolean } = {};
    if (isRecord(entry) && typeof entry.dev === 'boolean') flags.dev = entry.dev;
    else if (related?.production?.has(key)) flags.dev = false;
    else if (related?.development?.has(key)) flags.dev = true;
    if (related !== undefined) flags.direct = related.direct.has(key);
    packages.push(npmPackage(parsed.name, parsed.version, { path, foundBy: 'pnpm-lock', ...flags }));
  }
}

/**
 * A package entry's name and version: from its key, or for packages not from the registry (tarballs, git) from
 * the `name` and `version` fields pnpm writes for them (v9 writes only `version`; the name is in the key).
 */
function packageOf(
  key: string,
  entry: unknown,
  lockfileVersion: number | undefined,
): { name: string; version: string } | undefined {
  if (LOCAL_KEY.test(withoutPeers(key))) return undefined;
  const fromKey = parsePnpmKey(key, lockfileVersion);
  if (fromKey !== undefined || !isRecord(entry) || typeof entry.version !== 'string') return fromKey;
  if (!EXACT_VERSION.test(entry.version)) return undefined;
  if (typeof entry.name === 'string' && entry.name !== '')
    return { name: entry.name, version: entry.version };
  const name = splitNpmNameAt(key)?.name;
  return lockfileVersion !== undefined && lockfileVersion >= 9 && name !== undefined
    ? { name, version: entry.version }
    : undefined;
}

export function parsePnpmLock(text: string, path: string, warn: LockfileWarn = () => {}): Package[] {
  const documents = loadYamlDocuments(text);
  const packages: Package[] = [];
  for (const [index, document] of (documents.length === 0 ? [undefined] : documents).entries()) {
    if (!isRecord(document))
      throw new Error(
        `${documents.length > 1 ? `document ${index + 1}: ` : ''}expected a YAML mapping, got ${describeJson(document)}`,
      );
    if (documents.length > 1 && isEnvDocument(document)) continue;
    readDocument(document, path, warn, packages);
  }
  return packages;
}

export const pnpmLockReader = lockfileReader('pnpm-lock', ['pnpm-lock.yaml'], parsePnpmLock);
