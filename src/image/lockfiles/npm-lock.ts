// package-lock.json and npm-shrinkwrap.json, lockfileVersion 1 (nested `dependencies`) and 2/3 (`packages`).
import { isRecord, npmPackage } from '../analyzers/language-package.ts';
import type { Package } from '../package.ts';
import { lockfileReader } from './lockfile-reader.ts';

export function parseNpmLock(text: string, path: string): Package[] {
  const json = JSON.parse(text) as unknown;
  if (!isRecord(json)) throw new Error('not a JSON object');
  const packages: Package[] = [];
  if (isRecord(json.packages)) {
    const root = isRecord(json.packages['']) ? json.packages[''] : {};
    const direct = new Set([
      ...Object.keys(isRecord(root.dependencies) ? root.dependencies : {}),
      ...Object.keys(isRecord(root.devDependencies) ? root.devDependencies : {}),
      ...Object.keys(isRecord(root.optionalDependencies) ? root.optionalDependencies : {}),
    ]);
    for (const [key, entry] of Object.entries(json.packages)) {
      if (key === '' || !isRecord(entry) || entry.link === true) continue;
      const marker = key.lastIndexOf('node_modules/');
      if (marker < 0) continue; // workspace sources, not installed packages
      const name = typeof entry.name === 'string' ? entry.name : key.slice(marker + 'node_modules/'.length);
      if (typeof entry.version !== 'string' || entry.version === '') continue;
      const license = typeof entry.license === 'string' ? [entry.license] : [];
      packages.push(
        npmPackage(name, entry.version, {
          path,
          licenses: license,
          foundBy: 'npm-lock',
          dev: entry.dev === true,
          direct: key === `node_modules/${name}` && direct.has(name),
        }),
      );
    }
    return packages;
  }
  const walk = (dependencies: unknown, depth: number): void => {
    if (!isRecord(dependencies) || depth > 64) return;
    for (const [name, entry] of Object.entries(dependencies)) {
      if (!isRecord(entry) || typeof entry.version !== 'string') continue;
      // v1 records git, file and link dependencies by URL in "version": not registry versions.
      if (!/^[0-9]/.test(entry.version)) continue;
      packages.push(
        npmPackage(name, entry.version, {
          path,
          foundBy: 'npm-lock',
          dev: entry.dev === true,
          direct: depth === 0,
        }),
      );
      walk(entry.dependencies, depth + 1);
    }
  };
  walk(json.dependencies, 0);
  return packages;
}

export const npmLockReader = lockfileReader(
  'npm-lock',
  ['package-lock.json', 'npm-shrinkwrap.json'],
  parseNpmLock,
);
