// Python lockfiles: requirements.txt (pinned `==` / `===` lines only), poetry.lock and Pipfile.lock (uv.lock has
// its own file).

import { parseJson } from '../../core/quiet-json.ts';
import { parsePep440 } from '../../vuln/version/pep440.ts';
import { isRecord, languagePackage } from '../analyzers/language-package.ts';
import type { Package } from '../package.ts';
import { describeJson, jsonPath, type LockfileWarn, lockfileReader } from './lockfile-reader.ts';
import { readTomlTables, type TomlTable } from './toml-tables.ts';

// A PEP 508 name (a letter or digit at both ends), extras, then `==` or `===` and a version, bare or in PEP 508's
// parentheses (`name (==1.0)`). No two adjacent quantifiers can split the same characters: linear on any line.
const PINNED =
  /^([A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?)\s*(?:\[[^\]]*\]\s*)?(?:(===?)\s*([A-Za-z0-9][A-Za-z0-9.+!_-]*)|\(\s*(===?)\s*([A-Za-z0-9][A-Za-z0-9.+!_-]*)\s*\))$/;
const COMMENT_LINE = /^\s*#/;
// pip splits a requirements file with Python's str.splitlines(): CR alone, form feeds and Unicode line and
// paragraph separators end lines too (a file saved with old Mac line endings is still many lines).
// biome-ignore lint/suspicious/noControlCharactersInRegex: the file separators are among the line breaks.
const LINE_BREAK = /\r\n|[\n\r\v\f\x1c-\x1e\x85\u2028\u2029]/;
// A specifier pip reads but that pins nothing (a range, a wildcard, several clauses): not a package to check, and
// not an error either, as for any unpinned requirement.
const NOT_A_PIN = /[<>~!*,@]/;

export function parseRequirements(
  text: string,
  path: string,
  warn: LockfileWarn = () => {},
  exists: (path: string) => boolean = () => true,
): Package[] {
  const packages: Package[] = [];
  const lines = text.split(LINE_BREAK);
  for (let index = 0; index < lines.length; index++) {
    const first = index + 1;
    // As pip joins lines: a trailing backslash continues the requirement on the next line (pieces joined once,
    // not re-scanned), but never on a comment line, and a comment line ends a continuation (its text dropped).
    const pieces = [lines[index]!];
    let continues = !COMMENT_LINE.test(pieces[0]!);
    while (continues && pieces[pieces.length - 1]!.endsWith('\\') && index + 1 < lines.length) {
      pieces[pieces.length - 1] = pieces[pieces.length - 1]!.slice(0, -1);
      const next = lines[++index]!;
      continues = !COMMENT_LINE.test(next);
      pieces.push(continues ? next : ` ${next}`);
    }
    // A backslash on the file's last line continues into nothing: pip drops it.
    if (continues && index + 1 === lines.length && pieces[pieces.length - 1]!.endsWith('\\'))
      pieces[pieces.length - 1] = pieces[pieces.length - 1]!.slice(0, -1);
    const joined = pieces.join('').replace(/(^|\s)#.*$/, '');
    // `-r FILE` pulls in another file's requirements (relative to this one). Files named as requirement files are
    // read on their own, so their packages are listed anyway; any other is named rather than silently missed.
    const include = /^\s*(?:-r\s*|--requirement(?:\s+|\s*=\s*))(\S+)/.exec(joined)?.[1];
    if (include !== undefined) {
      const target = joinRelative(path, include);
      if (target === undefined || !isRequirementsFile(target))
        warn(`-r ${include}: included requirements are not read (only requirement files by name are)`, first);
      else if (!exists(target))
        warn(`-r ${include}: the included file is not in the scanned directory`, first);
      continue;
    }
    const requirement = joined
      // pip's options start at the first word beginning with "-": per-requirement ones (--hash, --config-settings,
      // --global-option) after a requirement, or a whole line of them (-r, -c, --index-url).
      .replace(/(?:^|\s)-.*$/, '')
      .split(';')[0]!
      .trim();
    const match = PINNED.exec(requirement);
    if (match === null) {
      // `name==1.0#note` (pip takes `#` as a comment only after a space) or stray characters: pip refuses the
      // file, and the package would go unchecked without a word. (`===` takes any text as its version: pip reads
      // it, this pattern does not.)
      if (requirement.includes('==') && !requirement.includes('===') && !NOT_A_PIN.test(requirement))
        warn(`${JSON.stringify(requirement)}: not a requirement pip reads, left out`, first);
      continue;
    }
    const name = match[1]!;
    const operator = match[2] ?? match[4]!;
    const version = match[3] ?? match[5]!;
    // `===` compares the text as written; `==` needs a PEP 440 version (pip refuses the file otherwise).
    if (operator === '==' && typeof parsePep440(version) === 'string') {
      warn(`${name}==${version}: not a PEP 440 version, left out`, first);
      continue;
    }
    packages.push(
      languagePackage({ type: 'pypi', name, version, path, line: first, foundBy: 'requirements-txt' }),
    );
  }
  return packages;
}

/**
 * Whether a poetry.lock package is for development only: lock 1.x says `category = "dev"`; lock 2.1 (Poetry 2)
 * lists `groups`, where "main" is the runtime group and any other group holds, as Poetry's documentation puts
 * it, only dependencies needed in the development process. Lock 2.0 records neither: unknown.
 */
function poetryDev(groups: string[] | undefined, category: string | undefined): boolean | undefined {
  if (groups !== undefined) return !groups.includes('main');
  return category === undefined ? undefined : category === 'dev';
}

/** Poetry source types that are local code (a directory, or an archive file on disk), not a PyPI package. */
const LOCAL_POETRY_SOURCES = new Set(['directory', 'file']);

export function parsePoetryLock(text: string, path: string, warn: LockfileWarn = () => {}): Package[] {
  const tables = readTomlTables(text, warn);
  // `[package.source]` follows the `[[package]]` it belongs to.
  const local = new Set<TomlTable>();
  let last: TomlTable | undefined;
  for (const table of tables) {
    if (table.header === 'package') last = table;
    else if (table.header === 'package.source' && last !== undefined) {
      if (LOCAL_POETRY_SOURCES.has(table.values.get('type') ?? '')) local.add(last);
    }
  }
  return tables
    .filter((table) => {
      if (table.header !== 'package' || local.has(table)) return false;
      if (table.values.has('name') && table.values.has('version')) return true;
      warn('[[package]] without a name or version string is left out', table.line);
      return false;
    })
    .map((table) => {
      const dev = poetryDev(table.arrays.get('groups'), table.values.get('category'));
      return languagePackage({
        type: 'pypi',
        name: table.values.get('name')!,
        version: table.values.get('version')!,
        path,
        line: table.line,
        foundBy: 'poetry-lock',
        ...(dev === undefined ? {} : { dev }),
      });
    });
}

export function parsePipfileLock(text: string, path: string, warn: LockfileWarn = () => {}): Package[] {
  const json = parseJson(text);
  if (!isRecord(json)) throw new Error(`expected a JSON object, got ${describeJson(json)}`);
  const packages: Package[] = [];
  // "default" and "develop" are the Pipfile's [packages] and [dev-packages]; any other top-level key is a named
  // package category (pipenv 2022.10+, a Pipfile section such as [docs], installed with --categories): its
  // packages are locked too, for a purpose the lock does not say (dev unknown).
  const sections = [
    'default',
    'develop',
    ...Object.keys(json).filter((key) => key !== 'default' && key !== 'develop' && !key.startsWith('_')),
  ];
  for (const section of sections) {
    if (!Object.hasOwn(json, section)) continue;
    const entries = json[section];
    const named = section !== 'default' && section !== 'develop';
    if (!isRecord(entries)) {
      if (!named) warn(`${jsonPath(section)}: expected an object, got ${describeJson(entries)}`);
      continue;
    }
    const dev = named ? {} : { dev: section === 'develop' };
    for (const [name, entry] of Object.entries(entries)) {
      if (!isRecord(entry)) {
        warn(`${jsonPath(section, name)}: expected an object, got ${describeJson(entry)}`);
        continue;
      }
      // Entries without a version are VCS, path or editable requirements: nothing to match.
      if (!Object.hasOwn(entry, 'version')) continue;
      const version = typeof entry.version === 'string' ? /^===?(.+)$/.exec(entry.version)?.[1] : undefined;
      if (version !== undefined)
        packages.push(
          languagePackage({ type: 'pypi', name, version, path, foundBy: 'pipfile-lock', ...dev }),
        );
      else
        warn(
          `${jsonPath(section, name, 'version')}: expected a "==" pin, got ${describeJson(entry.version)}`,
        );
    }
  }
  return packages;
}

/**
 * pip requirement files as projects name them: `requirements.txt`, `requirements-dev.txt`, `dev-requirements.txt`,
 * `requirements.in.txt`, and any `.txt` in a `requirements/` directory (`requirements/base.txt`).
 */
export function isRequirementsFile(path: string): boolean {
  const name = path.slice(path.lastIndexOf('/') + 1);
  return (
    /^(?:.*[-_.])?requirements(?:[-_.].*)?\.txt$/i.test(name) ||
    /(?:^|\/)requirements\/[^/]+\.txt$/i.test(path)
  );
}

export const requirementsReader = lockfileReader(
  'requirements-txt',
  isRequirementsFile,
  (text, path, warn, context) =>
    parseRequirements(text, path, warn, (target) => context.view.get(target) !== undefined),
);
export const poetryLockReader = lockfileReader('poetry-lock', ['poetry.lock'], parsePoetryLock);
export const pipfileLockReader = lockfileReader('pipfile-lock', ['Pipfile.lock'], parsePipfileLock);

/** `relative` resolved against the directory of `from` (both relative to the scan); undefined when it leaves it. */
function joinRelative(from: string, relative: string): string | undefined {
  if (relative.startsWith('/') || /^[a-z][a-z0-9+.-]*:/i.test(relative)) return undefined;
  const parts = from.split('/').slice(0, -1);
  for (const part of relative.split('/')) {
    if (part === '..') {
      if (parts.length === 0) return undefined;
      parts.pop();
    } else if (part !== '.' && part !== '') parts.push(part);
  }
  return parts.join('/');
}
