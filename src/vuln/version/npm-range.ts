// npm version ranges as node-semver 7.8 reads them: `||` alternatives of space-separated comparators, hyphen
// ranges, x-ranges, `~` and `^`, with npm's pre-release rule. OSV ranges do not need it; npm manifests and users do.
// Each shorthand is first rewritten to plain comparators in node-semver's own text form, because some of its
// answers depend on that text (`>=0.0.0` means "any", `=1.2.3 - 2` is refused in strict mode).
import { compareDigits } from './scheme.ts';
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

/** The empty comparator, known by identity (its version is never compared): every version passes it. */
const ANY: Comparator = {
  operator: '>=',
  version: { major: '0', minor: '0', patch: '0', prerelease: ['0'], build: [] },
};

/** node-semver refuses any version number above Number.MAX_SAFE_INTEGER, in ranges too. */
const MAX_SAFE = String(Number.MAX_SAFE_INTEGER);

/** node-semver drops build metadata anywhere in a range before reading it. */
const BUILD = /\+[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*/g;

interface Grammar {
  caret: RegExp;
  tilde: RegExp;
  /** An optional `<`, `>`, `<=`, `>=` or `=` and a partial version. */
  xRange: RegExp;
  hyphen: RegExp;
  /** An operator, a `v`/`=` prefix and a full version without build, as a comparator must be written. */
  comparator: RegExp;
}

interface Syntax {
  /** Four groups: major, minor, patch (each a number or an x), pre-release. */
  partialVersion: string;
  /** Five groups: the `v`/`=`/space prefix, then those of partialVersion. */
  partial: string;
  /** Four groups: major, minor, patch, pre-release. */
  full: string;
}

function syntax(loose: boolean): Syntax {
  const number = loose ? '[0-9]+' : '0|[1-9][0-9]*';
  const part = `${number}|x|X|\\*`;
  const identifier = `[0-9]*[A-Za-z-][0-9A-Za-z-]*|${number}`;
  const prerelease = `${loose ? '-?' : '-'}((?:${identifier})(?:\\.(?:${identifier}))*)`;
  const partialVersion = `(${part})(?:\\.(${part})(?:\\.(${part})(?:${prerelease})?)?)?`;
  return {
    partialVersion,
    partial: `([v=\\s]*)${partialVersion}`,
    full: `(${number})\\.(${number})\\.(${number})(?:${prerelease})?`,
  };
}

const STRICT = syntax(false);
const LOOSE = syntax(true);

function grammar(loose: boolean): Grammar {
  const { partial, full } = loose ? LOOSE : STRICT;
  const prefix = loose ? '[v=]*' : 'v?';
  return {
    caret: new RegExp(`^\\^${partial}$`),
    tilde: new RegExp(`^~>?${partial}$`),
    xRange: new RegExp(`^((?:<|>)?=?)${partial}$`),
    hyphen: new RegExp(`^\\s*(${partial})\\s+-\\s+(${partial})\\s*$`),
    comparator: new RegExp(`^((?:<|>)?=?)${prefix}${full}$`),
  };
}

const GRAMMARS = { strict: grammar(false), loose: grammar(true) };

/**
 * An operator, at most one space, then a version (a loose full one, else a strict partial one): node-semver
 * drops that space, in either mode, and resumes after the version, so `>== 1.2.3` stays as written.
 */
const OPERATOR_SPACE = new RegExp(
  `(\\s?)((?:<|>)?=?)\\s?([v=\\s]*(?:${LOOSE.full}|${STRICT.partialVersion}))`,
  'g',
);

/** `> 1.2` -> `>1.2`, `~ 1` and `~> 1` -> `~1`, `^ 1` -> `^1`. */
function joinOperators(text: string): string {
  return text
    .replace(OPERATOR_SPACE, '$1$2$3')
    .replace(/(\s?)~>?\s/g, '$1~')
    .replace(/(\s?)\^\s/g, '$1^');
}

/** A partial version's parts as written (`01` stays `01`: node-semver tests for the text `0`). */
interface Partial {
  major: string | undefined;
  minor: string | undefined;
  patch: string | undefined;
  prerelease: string | undefined;
}

/** The parts of the partial version whose five groups start at `at` (the first is its prefix). */
function partialOf(match: RegExpExecArray, at: number): Partial {
  const [major, minor, patch, prerelease] = match.slice(at + 1, at + 5);
  return { major, minor, patch, prerelease };
}

const isX = (part: string | undefined): boolean =>
  part === undefined || part.toLowerCase() === 'x' || part === '*';
const plusOne = (part: string): number => Number(part) + 1;

/** node-semver 7.8 refuses an x before a number (`x.2`, `1.x.3`) in a plain x-range, not after `~` or `^`. */
function xBeforeNumber(p: Partial): boolean {
  return (isX(p.major) && !isX(p.minor)) || (isX(p.minor) && p.patch !== undefined && !isX(p.patch));
}

/** `~1.2.3` -> `>=1.2.3 <1.3.0-0`, `~1` -> `>=1.0.0 <2.0.0-0`, `~x` -> any. */
function tildeText(p: Partial, floor: string): string {
  const { major: M = '', minor: m = '', patch } = p;
  if (isX(p.major)) return '';
  if (isX(p.minor)) return `>=${M}.0.0${floor} <${plusOne(M)}.0.0-0`;
  const upper = `<${M}.${plusOne(m)}.0-0`;
  if (isX(patch)) return `>=${M}.${m}.0${floor} ${upper}`;
  return `>=${M}.${m}.${patch}${p.prerelease ? `-${p.prerelease}` : ''} ${upper}`;
}

/** `^1.2.3` -> `<2.0.0-0`, `^0.2.3` -> `<0.3.0-0`, `^0.0.3` -> `<0.0.4-0`; a zero is the literal text `0`. */
function caretText(p: Partial, floor: string): string {
  const { major: M = '', minor: m = '', patch = '' } = p;
  if (isX(p.major)) return '';
  if (isX(p.minor)) return `>=${M}.0.0${floor} <${plusOne(M)}.0.0-0`;
  if (isX(p.patch)) {
    const upper = M === '0' ? `<${M}.${plusOne(m)}.0-0` : `<${plusOne(M)}.0.0-0`;
    return `>=${M}.${m}.0${floor} ${upper}`;
  }
  const upper =
    M !== '0' ? `<${plusOne(M)}.0.0-0` : m !== '0' ? `<0.${plusOne(m)}.0-0` : `<0.0.${plusOne(patch)}-0`;
  return `>=${M}.${m}.${patch}${p.prerelease ? `-${p.prerelease}` : ''} ${upper}`;
}

/** `1.2.x` -> `>=1.2.0 <1.3.0-0`, `>1` -> `>=2.0.0`, `<=1.2` -> `<1.3.0-0`, `<*` -> nothing; full versions stay. */
function xRangeText(operator: string, p: Partial, floor: string, token: string): string {
  if (!isX(p.major) && !isX(p.minor) && !isX(p.patch)) return token;
  const M = p.major ?? '';
  if (isX(p.major)) return operator === '<' || operator === '>' ? '<0.0.0-0' : '';
  const bumpMajor = isX(p.minor);
  const m = bumpMajor ? '0' : (p.minor ?? '');
  switch (operator) {
    case '>':
      return bumpMajor ? `>=${plusOne(M)}.0.0${floor}` : `>=${M}.${plusOne(m)}.0${floor}`;
    case '<=':
      return bumpMajor ? `<${plusOne(M)}.0.0-0` : `<${M}.${plusOne(m)}.0-0`;
    case '<':
      return `<${M}.${m}.0-0`;
    case '>=':
      return `>=${M}.${m}.0${floor}`;
    default:
      return bumpMajor
        ? `>=${M}.0.0${floor} <${plusOne(M)}.0.0-0`
        : `>=${M}.${m}.0${floor} <${M}.${plusOne(m)}.0-0`;
  }
}

/** The lower end of `from - to`; a full version keeps its written form, prefix included (`>==1.2.3`). */
function hyphenLower(text: string, p: Partial, incPre: boolean): string {
  const floor = incPre ? '-0' : '';
  if (isX(p.major)) return '';
  if (isX(p.minor)) return `>=${p.major}.0.0${floor}`;
  if (isX(p.patch)) return `>=${p.major}.${p.minor}.0${floor}`;
  return `>=${text}${p.prerelease ? '' : floor}`;
}

/** The upper end: `- 3.4` -> `<3.5.0-0`, `- 3.4.5` -> `<=3.4.5` (`<3.4.6-0` when pre-releases count). */
function hyphenUpper(text: string, p: Partial, incPre: boolean): string {
  if (isX(p.major)) return '';
  if (isX(p.minor)) return `<${plusOne(p.major!)}.0.0-0`;
  if (isX(p.patch)) return `<${p.major}.${plusOne(p.minor!)}.0-0`;
  if (p.prerelease) return `<=${p.major}.${p.minor}.${p.patch}-${p.prerelease}`;
  return incPre ? `<${p.major}.${p.minor}.${plusOne(p.patch!)}-0` : `<=${text}`;
}

/** One space-free token rewritten to plain comparators, or left as written when no shorthand reads it. */
function rewriteToken(token: string, g: Grammar, floor: string): string {
  const caret = g.caret.exec(token);
  if (caret) return caretText(partialOf(caret, 1), floor);
  const tilde = g.tilde.exec(token);
  if (tilde) return tildeText(partialOf(tilde, 1), floor);
  const xRange = g.xRange.exec(token);
  if (xRange && !xBeforeNumber(partialOf(xRange, 2))) {
    const operator = xRange[1] === '=' ? '' : xRange[1]!;
    return xRangeText(operator, partialOf(xRange, 2), floor, token);
  }
  // node-semver then deletes the first `*` (with any operator before it): `1.2.3*` reads as `1.2.3`.
  return token.replace(/(?:<|>)?=?\*/, '');
}

/** A plain comparator, ANY for the empty one; undefined when malformed, 'too big' past MAX_SAFE_INTEGER. */
function parseComparator(text: string, g: Grammar, incPre: boolean): Comparator | undefined | 'too big' {
  // `>=0.0.0` (`>=0.0.0-0` with pre-releases) is written as, and behaves as, the empty comparator.
  if (text === '' || text === (incPre ? '>=0.0.0-0' : '>=0.0.0')) return ANY;
  const match = g.comparator.exec(text);
  if (!match) return undefined;
  const [, operator = '', major = '', minor = '', patch = '', prerelease] = match;
  if ([major, minor, patch].some((part) => compareDigits(part, MAX_SAFE) > 0)) return 'too big';
  return {
    operator: operator === '' ? '=' : (operator as Operator),
    version: { major, minor, patch, prerelease: prerelease?.split('.') ?? [], build: [] },
  };
}

/** Comparators of one `||` alternative; null when the whole range is invalid, [] when loose mode dropped all. */
function parseAlternative(alternative: string, options: RangeOptions): ComparatorSet | null {
  const loose = options.loose === true;
  const incPre = options.includePrerelease === true;
  const g = loose ? GRAMMARS.loose : GRAMMARS.strict;
  let text = alternative.trim().replace(BUILD, '');
  const hyphen = g.hyphen.exec(text);
  if (hyphen) {
    const lower = hyphenLower(hyphen[1]!, partialOf(hyphen, 2), incPre);
    text = `${lower} ${hyphenUpper(hyphen[7]!, partialOf(hyphen, 8), incPre)}`.trim();
  }
  text = joinOperators(text);
  // Rewritten tokens are re-split as one text, as node-semver does: an empty rewrite (`^x`, `*`) between two
  // others vanishes, and only then may loose mode drop everything left.
  const rewritten = text.split(' ').map((token) => rewriteToken(token, g, incPre ? '-0' : ''));
  const set: ComparatorSet = [];
  for (const piece of rewritten.join(' ').split(/\s+/)) {
    const comparator = parseComparator(piece, g, incPre);
    if (comparator === 'too big') return null;
    // Loose mode skips what it cannot read; strict mode refuses the whole range.
    if (comparator === undefined) {
      if (loose) continue;
      return null;
    }
    set.push(comparator);
  }
  return set;
}

/** The alternatives of a range, or undefined when node-semver would throw on it. */
function parseRange(range: string, options: RangeOptions): ComparatorSet[] | undefined {
  // node-semver sets no limit; no real range is this long, and refusing it bounds the work.
  if (range.length > 1024) return undefined;
  const sets: ComparatorSet[] = [];
  for (const alternative of range.trim().replace(/\s+/g, ' ').split('||')) {
    const set = parseAlternative(alternative, options);
    if (set === null) return undefined;
    if (set.length > 0) sets.push(set);
  }
  if (sets.length === 0) return undefined;
  // An alternative that allows anything swallows the others, pre-releases they named included.
  const anything = sets.find((set) => set.every((comparator) => comparator === ANY));
  return anything && sets.length > 1 ? [anything] : sets;
}

function test(comparator: Comparator, v: SemVer): boolean {
  if (comparator === ANY) return true;
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
      comparator !== ANY &&
      comparator.version.prerelease.length > 0 &&
      compareDigits(comparator.version.major, v.major) === 0 &&
      compareDigits(comparator.version.minor, v.minor) === 0 &&
      compareDigits(comparator.version.patch, v.patch) === 0,
  );
}

/** Whether node-semver accepts the range (its validRange is not null). */
export function validNpmRange(range: string, options: RangeOptions = {}): boolean {
  return parseRange(range, options) !== undefined;
}

/** Whether `versionText` satisfies the npm range; false for an invalid version or range, as npm answers. */
export function satisfiesNpmRange(versionText: string, range: string, options: RangeOptions = {}): boolean {
  const v = parseSemver(versionText, { loose: options.loose === true });
  if (typeof v === 'string') return false;
  const sets = parseRange(range, options);
  return sets?.some((set) => satisfiesSet(set, v, options.includePrerelease === true)) === true;
}
