// yarn.lock, classic (v1: `version "1.2.3"`) and Berry (v2+: YAML, `version: 1.2.3`, `name@npm:range` keys).
import { npmPackage, splitNpmNameAt } from '../analyzers/language-package.ts';
import type { Package } from '../package.ts';
import { type LockfileWarn, lockfileReader } from './lockfile-reader.ts';

/** The patterns of an entry's header: `"@scope/name@^1.0.0", @scope/name@npm:^1.1:` → both, unquoted. */
function headerPatterns(header: string): string[] {
  return header
    .replace(/:\s*$/, '')
    .split(',')
    .map((pattern) => pattern.trim().replace(/^"|"$/g, ''))
    .filter((pattern) => pattern !== '');
}

/** An npm package name (scoped or not), not a range or a tag-like version. */
const PACKAGE_NAME = /^(?:@[a-z0-9][\w.~-]*\/)?[a-z0-9][\w.~-]*$/i;

/**
 * Classic yarn writes an npm alias (`yarn add x@npm:y@^1`, or a resolution to another package) as the pattern
 * `x@npm:y@^1`: the entry is package y, whatever name the other patterns use.
 */
function classicAliasTarget(patterns: string[]): string | undefined {
  for (const pattern of patterns) {
    const range = splitNpmNameAt(pattern)?.rest;
    if (range === undefined || !range.startsWith('npm:')) continue;
    const target = range.slice('npm:'.length);
    const name = splitNpmNameAt(target)?.name ?? target;
    if (PACKAGE_NAME.test(name) && name !== splitNpmNameAt(pattern)?.name) return name;
  }
  return undefined;
}

/** Berry's `resolution: "y@npm:1.2.3"`: the package the entry is (for an alias `x@npm:y@^1`, y). */
function berryResolutionName(resolution: string): string | undefined {
  const parsed = splitNpmNameAt(resolution);
  return parsed?.rest.startsWith('npm:') ? parsed.name : undefined;
}

/**
 * `  version "1.2.3"` (classic), `  version: 1.2.3` (Berry), `  "version" "1.2.3"` (npm writing yarn.lock).
 * The value is quoted or one bare token, alternatives that cannot overlap: no backtracking on long lines.
 */
const VERSION_LINE = /^ {2}"?version"?:? (?:"([^"\s]+)"|([^"\s]+))\s*$/;
const RESOLUTION_LINE = /^ {2}"?resolution"?:? (?:"([^"]*)"|(\S+))\s*$/;

export function parseYarnLock(text: string, path: string, warn: LockfileWarn = () => {}): Package[] {
  const packages: Package[] = [];
  const berry = /^__metadata:/m.test(text);
  let entry: { patterns: string[]; line: number; version?: string; resolution?: string } | undefined;
  const flush = (): void => {
    if (entry?.version === undefined || entry.version === '0.0.0-use.local') return;
    const name =
      (entry.resolution === undefined ? undefined : berryResolutionName(entry.resolution)) ??
      (berry ? undefined : classicAliasTarget(entry.patterns)) ??
      splitNpmNameAt(entry.patterns[0] ?? '')?.name;
    if (name !== undefined)
      packages.push(npmPackage(name, entry.version, { path, line: entry.line, foundBy: 'yarn-lock' }));
  };
  for (const [index, line] of text.split('\n').entries()) {
    if (line === '' || line.startsWith('#')) continue;
    if (!line.startsWith(' ')) {
      flush();
      entry = undefined;
      // Every entry opens with its patterns and a colon; yarn refuses anything else at the top level.
      if (!line.trimEnd().endsWith(':')) {
        warn('not a yarn.lock entry (patterns ending with ":"): left out', index + 1);
        continue;
      }
      // Berry lists workspaces and patches as entries; only registry packages are dependencies.
      if (!line.startsWith('__metadata') && !/@(?:workspace|patch|link|portal|file):/.test(line))
        entry = { patterns: headerPatterns(line), line: index + 1 };
      continue;
    }
    if (entry === undefined) continue;
    const versionMatch = entry.version === undefined ? VERSION_LINE.exec(line) : null;
    const version = versionMatch === null ? undefined : (versionMatch[1] ?? versionMatch[2]);
    if (version !== undefined) {
      entry.version = version;
      continue;
    }
    if (entry.resolution === undefined) {
      const match = RESOLUTION_LINE.exec(line);
      const resolution = match === null ? undefined : (match[1] ?? match[2]);
      if (resolution !== undefined) entry.resolution = resolution;
    }
  }
  flush();
  return packages;
}

export const yarnLockReader = lockfileReader('yarn-lock', ['yarn.lock'], parseYarnLock);
