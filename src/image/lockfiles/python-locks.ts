// Python lockfiles: requirements.txt (pinned `==` lines only), poetry.lock and Pipfile.lock.
import { isRecord, languagePackage } from '../analyzers/language-package.ts';
import type { Package } from '../package.ts';
import { lockfileReader } from './lockfile-reader.ts';
import { readTomlTables } from './toml-tables.ts';

const PINNED = /^([A-Za-z0-9][A-Za-z0-9._-]*)\s*(?:\[[^\]]*\])?\s*===?\s*([A-Za-z0-9][A-Za-z0-9.+!_-]*)\s*$/;

export function parseRequirements(text: string, path: string): Package[] {
  const packages: Package[] = [];
  const lines = text.split('\n');
  for (let index = 0; index < lines.length; index++) {
    let line = lines[index]!;
    const first = index + 1;
    while (line.endsWith('\\') && index + 1 < lines.length) line = line.slice(0, -1) + lines[++index]!;
    line = line
      .replace(/(^|\s)#.*$/, '')
      .replace(/\s--hash[= ]\S+/g, '')
      .split(';')[0]!
      .trim();
    const match = PINNED.exec(line);
    if (match === null) continue;
    packages.push(
      languagePackage({
        type: 'pypi',
        name: match[1]!,
        version: match[2]!,
        path,
        line: first,
        foundBy: 'requirements-txt',
      }),
    );
  }
  return packages;
}

export function parsePoetryLock(text: string, path: string): Package[] {
  return readTomlTables(text)
    .filter((table) => table.header === 'package' && table.values.has('name') && table.values.has('version'))
    .map((table) =>
      languagePackage({
        type: 'pypi',
        name: table.values.get('name')!,
        version: table.values.get('version')!,
        path,
        line: table.line,
        foundBy: 'poetry-lock',
        ...(table.values.get('category') === 'dev' ? { dev: true } : {}),
      }),
    );
}

export function parsePipfileLock(text: string, path: string): Package[] {
  const json = JSON.parse(text) as unknown;
  if (!isRecord(json)) throw new Error('not a JSON object');
  const packages: Package[] = [];
  for (const [section, dev] of [
    ['default', false],
    ['develop', true],
  ] as const) {
    const entries = json[section];
    if (!isRecord(entries)) continue;
    for (const [name, entry] of Object.entries(entries)) {
      const version =
        isRecord(entry) && typeof entry.version === 'string'
          ? /^===?(.+)$/.exec(entry.version)?.[1]
          : undefined;
      if (version !== undefined)
        packages.push(languagePackage({ type: 'pypi', name, version, path, foundBy: 'pipfile-lock', dev }));
    }
  }
  return packages;
}

export const requirementsReader = lockfileReader('requirements-txt', ['requirements.txt'], parseRequirements);
export const poetryLockReader = lockfileReader('poetry-lock', ['poetry.lock'], parsePoetryLock);
export const pipfileLockReader = lockfileReader('pipfile-lock', ['Pipfile.lock'], parsePipfileLock);
