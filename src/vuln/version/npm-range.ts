// npm version ranges (node-semver grammar): `||` alternatives of space-separated comparators, hyphen ranges,
// x-ranges, `~` and `^`, with npm's pre-release rule. OSV ranges do not need it; npm manifests and users do.
import { compareParsedSemver, parseSemver, type SemVer } from './semver.ts';

export interface RangeOptions {
  loose?: boolean;
  includePrerelease?: boolean;
}

type Operator = '<' | '<=' | '>' | '>=' | '=';
interface Comparator {
  operator: Operator;
  version: SemVer;
}
type ComparatorSet = Comparator[];

const NUMBER_OR_X = '(0|[1-9][0-9]*|x|X|\\*)';
const LOOSE_NUMBER_OR_X = '([0-9]+|x|X|\\*)';

function partialPattern(loose: boolean): string {
  const n = loose ? LOOSE_NUMBER_OR_X : NUMBER_OR_X;
  const pre = loose
    ? '(?:-?([0-9A-Za-z-]+(?:\\.[0-9A-Za-z-]+)*))?'
    : '(?:-([0-9A-Za-z-]+(?:\\.[0-9A-Za-z-]+)*))?';
  return `[v=\\s]*${n}(?:\\.${n}(?:\\.${n}${pre}(?:\\+[0-9A-Za-z-]+(?:\\.[0-9A-Za-z-]+)*)?)?)?`;
}

interface Partial {
  major?: string;
  minor?: string;
  patch?: string;
  prerelease: string[];
}

function parsePartial(text: string, loose: boolean): Partial | undefined {
  const match = new RegExp(`^${partialPattern(loose)}$`).exec(text);
  if (!match) return undefined;
  const isX = (part: string | undefined): boolean =>
    part === undefined || part === 'x' || part === 'X' || part === '*';
  const partial: Partial = { prerelease: match[4] === undefined ? [] : match[4].split('.') };
  if (!isX(match[1])) partial.major = String(Number(match[1]));
  if (partial.major !== undefined && !isX(match[2])) partial.minor = String(Number(match[2]));
  if (partial.minor !== undefined && !isX(match[3])) partial.patch = String(Number(match[3]));
  return partial;
}

function version(
  major: number | string,
  minor: number | string,
  patch: number | string,
  prerelease: string[] = [],
): SemVer {
  return { major: String(major), minor: String(minor), patch: String(patch), prerelease, build: [] };
}

/**
 * `-0`: the lowest pre-release, so `<2.0.0-0` excludes every 2.0.0 pre-release. Bounds made from it are recognised
 * by identity: they do not let pre-releases of that version in (npm's rule below).
 */
const LOWEST = ['0'];

/** Comparators of an operator and a partial version; undefined when nothing can satisfy it (`<*`, `>*`). */
function xRange(operator: string, p: Partial, includePrerelease: boolean): ComparatorSet | undefined {
  const floor = includePrerelease ? LOWEST : [];
  if (p.major === undefined) {
    if (operator === '<' || operator === '>') return undefined;
    return [{ operator: '>=', version: version(0, 0, 0, floor) }];
  }
  const major = Number(p.major);
  if (p.minor === undefined || p.patch === undefined) {
    const minor = p.minor === undefined ? 0 : Number(p.minor);
    const nextUp =
      p.minor === undefined ? version(major + 1, 0, 0, LOWEST) : version(major, minor + 1, 0, LOWEST);
    switch (operator) {
      case '>':
        return [
          {
            operator: '>=',
            version:
              p.minor === undefined ? version(major + 1, 0, 0, floor) : version(major, minor + 1, 0, floor),
          },
        ];
      case '>=':
        return [{ operator: '>=', version: version(major, minor, 0, floor) }];
      case '<':
        return [{ operator: '<', version: version(major, minor, 0, LOWEST) }];
      case '<=':
        return [{ operator: '<', version: nextUp }];
      default:
        return [
          { operator: '>=', version: version(major, minor, 0, floor) },
          { operator: '<', version: nextUp },
        ];
    }
  }
  const exact = version(p.major, p.minor, p.patch, p.prerelease);
  return [{ operator: (operator === '' ? '=' : operator) as Operator, version: exact }];
}

function tilde(p: Partial, includePrerelease: boolean): ComparatorSet | undefined {
  if (p.major === undefined) return xRange('', p, includePrerelease);
  if (p.minor === undefined || p.patch === undefined) return xRange('', p, includePrerelease);
  const major = Number(p.major);
  const minor = Number(p.minor);
  return [
    { operator: '>=', version: version(p.major, p.minor, p.patch, p.prerelease) },
    { operator: '<', version: version(major, minor + 1, 0, LOWEST) },
  ];
}

function caret(p: Partial, includePrerelease: boolean): ComparatorSet | undefined {
  const floor = includePrerelease ? LOWEST : [];
  if (p.major === undefined) return xRange('', p, includePrerelease);
  const major = Number(p.major);
  if (p.minor === undefined) return xRange('', p, includePrerelease);
  const minor = Number(p.minor);
  if (p.patch === undefined) {
    const upper = major === 0 ? version(0, minor + 1, 0, LOWEST) : version(major + 1, 0, 0, LOWEST);
    return [
      { operator: '>=', version: version(major, minor, 0, floor) },
      { operator: '<', version: upper },
    ];
  }
  const patch = Number(p.patch);
  const upper =
    major !== 0
      ? version(major + 1, 0, 0, LOWEST)
      : minor !== 0
        ? version(0, minor + 1, 0, LOWEST)
        : version(0, 0, patch + 1, LOWEST);
  return [
    { operator: '>=', version: version(p.major, p.minor, p.patch, p.prerelease) },
    { operator: '<', version: upper },
  ];
}

function hyphen(from: Partial, to: Partial, includePrerelease: boolean): ComparatorSet | undefined {
  const lower = xRange('>=', from, includePrerelease);
  // `1.2.3 - x` has no upper bound.
  const upper = to.major === undefined ? [] : xRange('<=', to, includePrerelease);
  if (!lower || !upper) return undefined;
  return [...lower, ...upper];
}

/** Parses one `||` alternative into comparators; null when it is not a valid range. */
function parseAlternative(text: string, options: RangeOptions): ComparatorSet | undefined | null {
  const loose = options.loose === true;
  const includePrerelease = options.includePrerelease === true;
  const trimmed = text.trim();
  const partial = partialPattern(loose);
  const hyphenMatch = new RegExp(`^(${partial})\\s+-\\s+(${partial})$`).exec(trimmed);
  if (hyphenMatch) {
    const from = parsePartial(hyphenMatch[1]!.trim(), loose);
    const to = parsePartial(hyphenMatch[6]!.trim(), loose);
    if (!from || !to) return null;
    return hyphen(from, to, includePrerelease);
  }
  // Operators may be separated from their version by spaces: `>= 1.2`, `~ 1.0`, `~> 1`.
  const tokens = trimmed
    .replace(/(~>|~|\^|>=|<=|>|<|=)\s+/g, '$1')
    .split(/\s+/)
    .filter(Boolean);
  if (tokens.length === 0) return xRange('', { prerelease: [] }, includePrerelease);
  const set: ComparatorSet = [];
  for (const token of tokens) {
    const match = /^(~>|~|\^|>=|<=|>|<|=)?(.*)$/.exec(token)!;
    const operator = match[1] ?? '';
    const p = parsePartial(match[2]!, loose);
    if (!p) return null;
    const part =
      operator === '~' || operator === '~>'
        ? tilde(p, includePrerelease)
        : operator === '^'
          ? caret(p, includePrerelease)
          : xRange(operator, p, includePrerelease);
    if (part === undefined) return undefined;
    set.push(...part);
  }
  return set;
}

function test(comparator: Comparator, v: SemVer): boolean {
  const order = compareParsedSemver(v, comparator.version);
  switch (comparator.operator) {
    case '<':
      return order < 0;
    case '<=':
      return order <= 0;
    case '>':
      return order > 0;
    case '>=':
      return order >= 0;
    default:
      return order === 0;
  }
}

function satisfiesSet(set: ComparatorSet, v: SemVer, includePrerelease: boolean): boolean {
  if (!set.every((comparator) => test(comparator, v))) return false;
  if (v.prerelease.length === 0 || includePrerelease) return true;
  // npm's rule: a pre-release only satisfies a set that names a pre-release of the same major.minor.patch.
  return set.some(
    (comparator) =>
      comparator.version.prerelease.length > 0 &&
      comparator.version.prerelease !== LOWEST &&
      comparator.version.major === v.major &&
      comparator.version.minor === v.minor &&
      comparator.version.patch === v.patch,
  );
}

/** Whether `versionText` satisfies the npm range; false for an invalid version or range, as npm answers. */
export function satisfiesNpmRange(versionText: string, range: string, options: RangeOptions = {}): boolean {
  const v = parseSemver(versionText, { loose: options.loose === true });
  if (typeof v === 'string') return false;
  if (range.length > 1024) return false;
  for (const alternative of range.split('||')) {
    const set = parseAlternative(alternative, options);
    if (set === null) return false;
    if (set !== undefined && satisfiesSet(set, v, options.includePrerelease === true)) return true;
  }
  return false;
}
