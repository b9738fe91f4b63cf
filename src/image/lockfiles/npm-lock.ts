// package-lock.json and npm-shrinkwrap.json, lockfileVersion 1 (nested `dependencies`) and 2/3 (`packages`).

import { parseJson } from '../../core/quiet-json.ts';
import { isRecord, npmPackage } from '../analyzers/language-package.ts';
import { npmLicenses } from '../analyzers/node-modules.ts';
import type { Package } from '../package.ts';
import { describeJson, jsonPath, type LockfileWarn, lockfileReader } from './lockfile-reader.ts';

/**
 * What the project's own package.json declares: npm 7+ installs the root's peerDependencies too, so they are
 * direct dependencies like the others. Keys are install folders (an alias `"x": "npm:y@1"` is under `x`).
 */
function dependencyNames(root: Record<string, unknown>): string[] {
  const names: string[] = [];
  for (const field of ['dependencies', 'devDependencies', 'optionalDependencies', 'peerDependencies'])
    if (Object.hasOwn(root, field) && isRecord(root[field])) names.push(...Object.keys(root[field]));
  return names;
}

/** v1 records an npm alias (`"x": "npm:y@^1"`) as `"version": "npm:y@1.2.3"`: the package installed is y. */
function v1Alias(version: string): { name: string; version: string } | undefined {
  if (!version.startsWith('npm:')) return undefined;
  const target = version.slice('npm:'.length);
  const at = target.lastIndexOf('@');
  if (at <= 0 || !/^[0-9]/.test(target.slice(at + 1))) return undefined;
  return { name: target.slice(0, at), version: target.slice(at + 1) };
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
    // The install folder; `name` is set when the package differs from it (an npm alias).
    const folder = key.slice(marker + 'node_modules/'.length);
    const name = typeof entry.name === 'string' && entry.name !== '' ? entry.name : folder;
    if (typeof entry.version !== 'string' || entry.version === '') {
      warn(
        `${jsonPath('packages', key, 'version')}: expected a version string, got ${describeJson(entry.version)}`,
      );
      continue;
    }
    packages.push(
      npmPackage(name, entry.version, {
        path,
        // As npm copies it from package.json: a string, the legacy `{ type }` object, or a list of those.
        licenses: npmLicenses({ license: entry.license }),
        foundBy: 'npm-lock',
        dev: entry.dev === true,
        direct: key === `node_modules/${folder}` && direct.has(folder),
      }),
    );
  }
}

/**
 * The top-level v1 entries some entry's `requires` resolves to, as npm resolves it: the entry's own nested
 * `dependencies`, then each ancestor's, then the top level. Walked with an explicit stack (any depth), counting
 * the names defined below the top on the current path, so each lookup is constant time.
 */
function requiredFromTop(top: Record<string, unknown>): Set<string> {
  const required = new Set<string>();
  const definedBelowTop = new Map<string, number>();
  const stack: { entries: [string, unknown][]; next: number; defined: string[] }[] = [
    { entries: Object.entries(top), next: 0, defined: [] },
  ];
  while (stack.length > 0) {
    const frame = stack.at(-1)!;
    if (frame.next >= frame.entries.length) {
      for (const name of frame.defined) definedBelowTop.set(name, definedBelowTop.get(name)! - 1);
      stack.pop();
      continue;
    }
    const entry = frame.entries[frame.next++]![1];
    if (!isRecord(entry)) continue;
    const children = isRecord(entry.dependencies) ? entry.dependencies : {};
    const defined = Object.keys(children);
    for (const name of defined) definedBelowTop.set(name, (definedBelowTop.get(name) ?? 0) + 1);
    if (isRecord(entry.requires))
      for (const name of Object.keys(entry.requires)) if (!definedBelowTop.get(name)) required.add(name);
    stack.push({ entries: Object.entries(children), next: 0, defined });
  }
  return required;
}

/**
 * v1 `dependencies`, nested to any depth: walked with an explicit stack (no call-stack limit, so nothing deep is
 * dropped), parents before their children. v1 does not list the project's own dependencies, and its top level
 * is the hoisted tree (transitive packages too): a top-level entry nothing else requires is direct, one another
 * entry requires may be either (left unknown), a nested one is not.
 */
function readDependencies(
  top: Record<string, unknown>,
  path: string,
  warn: LockfileWarn,
  packages: Package[],
): void {
  const required = requiredFromTop(top);
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
      else {
        // v1 records git, file and link dependencies by URL in "version": not registry versions.
        const alias = v1Alias(entry.version);
        const locked = alias ?? (/^[0-9]/.test(entry.version) ? { name, version: entry.version } : undefined);
        if (locked !== undefined)
          packages.push(
            npmPackage(locked.name, locked.version, {
              path,
              foundBy: 'npm-lock',
              dev: entry.dev === true,
              ...(depth > 0 ? { direct: false } : required.has(name) ? {} : { direct: true }),
            }),
          );
      }
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
  if (!Object.hasOwn(json, 'dependencies')) {
    // npm writes lockfileVersion in every lockfile: without it and without packages, this is some other JSON.
    if (!Object.hasOwn(json, 'lockfileVersion') && !Object.hasOwn(json, 'packages'))
      warn('no lockfileVersion, packages or dependencies: not a package-lock.json');
    return packages;
  }
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
