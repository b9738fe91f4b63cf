// Composer (Packagist) versions: normalized as Composer does (four numbers, stability suffix), then ordered as PHP's version_compare.
import {
  compareDigits,
  invalidVersion,
  MAX_VERSION_LENGTH,
  type Sign,
  type VersionScheme,
} from './scheme.ts';

// Composer's VersionParser::normalize patterns. The separator before a stability word stands alone (`1.0-` is
// `1.0.0.0`), a classical major has at most five digits, and longer numbers are read as dates.
const MODIFIER = '[._-]?(?:(stable|beta|b|RC|alpha|a|patch|pl|p)((?:[.-]?[0-9]+)*))?([.-]?dev)?';
const CLASSICAL = new RegExp(`^v?([0-9]{1,5})(\\.[0-9]+)?(\\.[0-9]+)?(\\.[0-9]+)?${MODIFIER}$`, 'i');
const DATE = new RegExp(`^v?([0-9]{4}(?:[.:-]?[0-9]{2}){1,6}(?:[.:-]?[0-9]{1,3}){0,2})${MODIFIER}$`, 'i');
const NUMERIC_BRANCH = /^v?([0-9]+)(\.(?:[0-9]+|[x*]))?(\.(?:[0-9]+|[x*]))?(\.(?:[0-9]+|[x*]))?$/i;

/** The version part of what normalize() accepts: no alias (`1.0 as 2.0`), no `@beta` flag, no `+build`. */
function stripDecorations(text: string): string {
  let version = text.trim();
  const alias = /^([^,\s]+) +as +[^,\s]+$/.exec(version);
  if (alias) version = alias[1]!;
  version = version.replace(/@(?:stable|RC|beta|alpha|dev)$/i, '');
  // Build metadata does not order Composer versions: `1.0.0+build` is `1.0.0`.
  const build = /^([^,\s+]+)\+\S+$/.exec(version);
  return build ? build[1]! : version;
}

function expandStability(word: string): string {
  const lower = word.toLowerCase();
  if (lower === 'a') return 'alpha';
  if (lower === 'b') return 'beta';
  if (lower === 'p' || lower === 'pl') return 'patch';
  return lower === 'rc' ? 'RC' : lower;
}

/** Appends the stability and `-dev` modifiers; a literal lower-case `stable` drops both, as Composer does. */
function withModifiers(version: string, stability?: string, number?: string, dev?: string): string {
  if (stability === 'stable') return version;
  let result = version;
  if (stability) result += `-${expandStability(stability)}${(number ?? '').replace(/^[.-]/, '')}`;
  return dev ? `${result}-dev` : result;
}

/** `1.x-dev` and `1.0.x-dev`: branches that stand for versions, their wildcards read as 9999999. */
function numericBranch(text: string): string | undefined {
  const match = /^(.*?)[.-]?dev$/i.exec(text);
  const parts = match && NUMERIC_BRANCH.exec(match[1]!.trim());
  if (!parts) return undefined;
  const [, major, ...rest] = parts;
  const tail = rest.map((part) => (part ?? '.x').replace(/[xX*]/, '9999999'));
  return `${major}${tail.join('')}-dev`;
}

/** Composer's normalized form, e.g. `v1.2-beta2` -> `1.2.0.0-beta2`, `2010-01-02` -> `2010.01.02`. */
export function normalizeComposer(text: string): string | undefined {
  if (text.length > MAX_VERSION_LENGTH) return undefined;
  const version = stripDecorations(text);
  // Branch names (`dev-main`, `master`) have no order among versions.
  if (/^dev-/i.test(version) || ['master', 'trunk', 'default'].includes(version)) return undefined;
  const classical = CLASSICAL.exec(version);
  if (classical) {
    const [, major, minor, patch, fourth, stability, number, dev] = classical;
    const numbers = `${major}${minor || '.0'}${patch || '.0'}${fourth || '.0'}`;
    return withModifiers(numbers, stability, number, dev);
  }
  const date = DATE.exec(version);
  if (date) {
    const [, digits = '', stability, number, dev] = date;
    return withModifiers(digits.replace(/[^0-9]/g, '.'), stability, number, dev);
  }
  return numericBranch(version);
}

/** PHP version_compare's special forms: case-sensitive prefixes tried in this order; numbers rank as `#`. */
const SPECIAL_FORMS: ReadonlyArray<readonly [string, number]> = [
  ['dev', 0],
  ['alpha', 1],
  ['a', 1],
  ['beta', 2],
  ['b', 2],
  ['RC', 3],
  ['rc', 3],
  ['#', 4],
  ['pl', 5],
  ['p', 5],
];
const NUMBER_RANK = 4;

/** Unknown words sort before every special form. */
function specialRank(part: string): number {
  if (/^[0-9]+$/.test(part)) return NUMBER_RANK;
  return SPECIAL_FORMS.find(([form]) => part.startsWith(form))?.[1] ?? -1;
}

function canonicalParts(version: string): string[] {
  const spaced = version
    .replace(/[-_+]/g, '.')
    .replace(/([0-9])([^0-9.])/g, '$1.$2')
    .replace(/([^0-9.])([0-9])/g, '$1.$2');
  return spaced.split('.').filter((part) => part !== '');
}

export function phpVersionCompare(left: string, right: string): Sign {
  const a = canonicalParts(left);
  const b = canonicalParts(right);
  const length = Math.min(a.length, b.length);
  for (let index = 0; index < length; index++) {
    const x = a[index]!;
    const y = b[index]!;
    const numericX = /^[0-9]+$/.test(x);
    const numericY = /^[0-9]+$/.test(y);
    const order = numericX && numericY ? compareDigits(x, y) : Math.sign(specialRank(x) - specialRank(y));
    if (order !== 0) return order as Sign;
  }
  if (a.length === b.length) return 0;
  // The longer version wins when it continues with a number; a trailing word is compared against a release.
  const rest = a.length > b.length ? a[length]! : b[length]!;
  const restOrder = /^[0-9]+$/.test(rest) ? 1 : Math.sign(specialRank(rest) - NUMBER_RANK);
  return (a.length > b.length ? restOrder : -restOrder) as Sign;
}

export const composerScheme: VersionScheme = {
  name: 'composer',
  validate(version) {
    return normalizeComposer(version) === undefined ? 'not a Composer version' : undefined;
  },
  compare(left, right) {
    const a = normalizeComposer(left);
    if (a === undefined) throw invalidVersion('composer', left, 'not a Composer version');
    const b = normalizeComposer(right);
    if (b === undefined) throw invalidVersion('composer', right, 'not a Composer version');
    return phpVersionCompare(a, b);
  },
};
