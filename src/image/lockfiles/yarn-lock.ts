// yarn.lock, classic (v1: `version "1.2.3"`) and Berry (v2+: YAML, `version: 1.2.3`, `name@npm:range` keys).
import { npmPackage } from '../analyzers/language-package.ts';
import type { Package } from '../package.ts';
import { lockfileReader } from './lockfile-reader.ts';

/** `"@scope/name@^1.0.0", @scope/name@npm:^1.1` → `@scope/name`. */
export function yarnEntryName(header: string): string | undefined {
  const first = header.replace(/:$/, '').split(',')[0]!.trim().replace(/^"|"$/g, '');
  const at = first.indexOf('@', first.startsWith('@') ? 1 : 0);
  return at <= 0 ? undefined : first.slice(0, at);
}

export function parseYarnLock(text: string, path: string): Package[] {
  const packages: Package[] = [];
  let name: string | undefined;
  let headerLine = 0;
  let skip = false;
  for (const [index, line] of text.split('\n').entries()) {
    if (line === '' || line.startsWith('#')) continue;
    if (!line.startsWith(' ')) {
      name = line.startsWith('__metadata') ? undefined : yarnEntryName(line);
      // Berry lists workspaces and patches as entries; only registry packages are dependencies.
      skip = /@(?:workspace|patch|link|portal|file):/.test(line);
      headerLine = index + 1;
      continue;
    }
    const version = /^ {2}version:? "?([^"\s]+)"?\s*$/.exec(line)?.[1];
    if (version !== undefined && name !== undefined && !skip && version !== '0.0.0-use.local') {
      packages.push(npmPackage(name, version, { path, line: headerLine, foundBy: 'yarn-lock' }));
      name = undefined;
    }
  }
  return packages;
}

export const yarnLockReader = lockfileReader('yarn-lock', ['yarn.lock'], parseYarnLock);
