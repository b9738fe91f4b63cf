// Python lockfiles: requirements.txt (pinned `==` lines only), poetry.lock and Pipfile.lock.
import { isRecord, languagePackage } from '../analyzers/language-package.ts';
import type { Package } from '../package.ts';
import { parseJson } from './input-text.ts';
import { describeJson, jsonPath, type LockfileWarn, lockfileReader } from './lockfile-reader.ts';
import { readTomlTables } from './toml-tables.ts';

// No two adjacent `\s*` that could split the same blanks: the match stays linear on a line of spaces.
const PINNED = /^([A-Za-z0-9][A-Za-z0-9._-]*)\s*(?:\[[^\]]*\]\s*)?===?\s*([A-Za-z0-9][A-Za-z0-9.+!_-]*)$/;

export function parseRequirements(text: string, path: string): Package[] {
  const packages: Package[] = [];
  const lines = text.split('\n');
  for (let index = 0; index < lines.length; index++) {
    const first = index + 1;
    // A trailing backslash continues the requirement on the next line (pieces joined once, not re-scanned).
    const pieces = [lines[index]!];
    while (pieces[pieces.length - 1]!.endsWith('\\') && index + 1 < lines.length) {
      pieces[pieces.length - 1] = pieces[pieces.length - 1]!.slice(0, -1);
      pieces.push(lines[++index]!);
    }
    const line = pieces
      .join('')
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

export function parsePoetryLock(text: string, path: string, warn: LockfileWarn = () => {}): Package[] {
  return readTomlTables(text, warn)
    .filter((table) => {
      if (table.header !== 'package') return false;
      if (table.values.has('name') && table.values.has('version')) return true;
      warn('[[package]] without a name or version string is left out', table.line);
      return false;
    })
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

export function parsePipfileLock(text: string, path: string, warn: LockfileWarn = () => {}): Package[] {
  const json = parseJson(text);
  if (!isRecord(json)) throw new Error(`expected a JSON object, got ${describeJson(json)}`);
  const packages: Package[] = [];
  for (const [section, dev] of [
    ['default', false],
    ['develop', true],
  ] as const) {
    if (!Object.hasOwn(json, section)) continue;
    const entries = json[section];
    if (!isRecord(entries)) {
      warn(`${jsonPath(section)}: expected an object, got ${describeJson(entries)}`);
      continue;
    }
    for (const [name, entry] of Object.entries(entries)) {
      if (!isRecord(entry)) {
        warn(`${jsonPath(section, name)}: expected an object, got ${describeJson(entry)}`);
        continue;
      }
      // Entries without a version are VCS, path or editable requirements: nothing to match.
      if (!Object.hasOwn(entry, 'version')) continue;
      const version = typeof entry.version === 'string' ? /^===?(.+)$/.exec(entry.version)?.[1] : undefined;
      if (version !== undefined)
        packages.push(languagePackage({ type: 'pypi', name, version, path, foundBy: 'pipfile-lock', dev }));
      else
        warn(
          `${jsonPath(section, name, 'version')}: expected a "==" pin, got ${describeJson(entry.version)}`,
        );
    }
  }
  return packages;
}

export const requirementsReader = lockfileReader('requirements-txt', ['requirements.txt'], parseRequirements);
export const poetryLockReader = lockfileReader('poetry-lock', ['poetry.lock'], parsePoetryLock);
export const pipfileLockReader = lockfileReader('pipfile-lock', ['Pipfile.lock'], parsePipfileLock);
