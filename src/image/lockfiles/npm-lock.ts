// package-lock.json and npm-shrinkwrap.json, lockfileVersion 1 (nested `dependencies`) and 2/3 (`packages`).
import { isRecord, npmPackage } from '../analyzers/language-package.ts';
import type { Package } from '../package.ts';
import { parseJson } from './input-text.ts';
import { describeJson, jsonPath, type LockfileWarn, lockfileReader } from './lockfile-reader.ts';

function dependencyNames(root: Record<string, unknown>): string[] {
  const names: string[] = [];
  for (const field of ['dependencies', 'devDependencies', 'optionalDependencies'])
    if (Object.hasOwn(root, field) && isRecord(root[field])) names.push(...Object.keys(root[field]));
  return names;
}

function readPackages(
  list: Record<string, unknown>,
  path: string,
  warn: LockfileWarn,
  packages: Package[],
): void {
  const root = Object.hasOwn(list, '') && isRecord(list['']) ? list[''] : {};
  const direct = new Set(dependencyNames(root));
  for (const [key, entry] of Object.entries(list)) {
    if (key === '') continue;
    if (!isRecord(entry)) {
      warn(`${jsonPath('packages', key)}: expected an object, got ${describeJson(entry)}`);
      continue;
    }
    if (entry.link === true) continue;
    const marker = key.lastIndexOf('node_modules/');
    if (marker < 0) continue; // workspace sources, not installed packages
    const name = typeof entry.name === 'string' ? entry.name : key.slice(marker + 'node_modules/'.length);
    if (typeof entry.version !== 'string' || entry.version === '') {
      warn(
        `${jsonPath('packages', key, 'version')}: expected a version string, got ${describeJson(entry.version)}`,
      );
      continue;
    }
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
}

/**
 * v1 `dependencies`, nested to any depth: walked with an explicit stack (no call-stack limit, so nothing deep is
 * dropped), parents before their children.
 */
function readDependencies(
  top: Record<string, unknown>,
  path: string,
  warn: LockfileWarn,
  packages: Package[],
): void {
  const stack: { dependencies: Record<string, unknown>; trail: string[]; depth: number }[] = [
    { dependencies: top, trail: ['dependencies'], depth: 0 },
  ];
  while (stack.length > 0) {
    const { dependencies, trail, depth } = stack.pop()!;
    const children: typeof stack = [];
    for (const [name, entry] of Object.entries(dependencies)) {
      // Paths are built only for messages, from the last few levels (a deep path would be quadratic to copy).
      const where = (): string => `${depth < 3 ? '' : '….'}${jsonPath(...trail, name)}`;
      if (!isRecord(entry)) {
        warn(`${where()}: expected an object, got ${describeJson(entry)}`);
        continue;
      }
      if (typeof entry.version !== 'string')
        warn(`${where()}.version: expected a string, got ${describeJson(entry.version)}`);
      // v1 records git, file and link dependencies by URL in "version": not registry versions.
      else if (/^[0-9]/.test(entry.version))
        packages.push(
          npmPackage(name, entry.version, {
            path,
            foundBy: 'npm-lock',
            dev: entry.dev === true,
            direct: depth === 0,
          }),
        );
      if (!Object.hasOwn(entry, 'dependencies')) continue;
      if (isRecord(entry.dependencies))
        children.push({
          dependencies: entry.dependencies,
          trail: [...trail.slice(-4), name, 'dependencies'],
          depth: depth + 1,
        });
      else warn(`${where()}.dependencies: expected an object, got ${describeJson(entry.dependencies)}`);
    }
    // Reversed so the first child is taken next: document order.
    for (let index = children.length - 1; index >= 0; index--) stack.push(children[index]!);
  }
}

export function parseNpmLock(text: string, path: string, warn: LockfileWarn = () => {}): Package[] {
  const json = parseJson(text);
  if (!isRecord(json)) throw new Error(`expected a JSON object, got ${describeJson(json)}`);
  const packages: Package[] = [];
  if (Object.hasOwn(json, 'packages')) {
    if (isRecord(json.packages)) {
      readPackages(json.packages, path, warn, packages);
      return packages;
    }
    warn(`packages: expected an object, got ${describeJson(json.packages)}; reading "dependencies" instead`);
  }
  if (!Object.hasOwn(json, 'dependencies')) return packages;
  if (!isRecord(json.dependencies))
    throw new Error(`dependencies: expected an object, got ${describeJson(json.dependencies)}`);
  readDependencies(json.dependencies, path, warn, packages);
  return packages;
}

export const npmLockReader = lockfileReader(
  'npm-lock',
  ['package-lock.json', 'npm-shrinkwrap.json'],
  parseNpmLock,
);
