// Alpine apk versions: digits{.digits}[letter]{_suffix[n]}[~hash][-rN], compared token by token as apk-tools does.
import { MAX_VERSION_LENGTH, type Sign, type VersionScheme, validatedScheme } from './scheme.ts';

/** Token kinds in the order they may appear; comparing kinds tells which version continues further. */
const DIGIT = 1;
const LETTER = 2;
const SUFFIX = 3;
/** A suffix's number is a token of its own: `1.0_rc` ends where `1.0_rc0` goes on, so it is older. */
const SUFFIX_NUMBER = 4;
const HASH = 5;
const REVISION = 6;
const END = 7;
const INVALID = 8;

const PRE_SUFFIXES = ['alpha', 'beta', 'pre', 'rc'];
const POST_SUFFIXES = ['cvs', 'svn', 'git', 'hg', 'p'];

interface Token {
  kind: number;
  /** Numeric value for digits, suffix numbers and revisions. */
  number?: bigint;
  /** Textual value: a letter, a hash, or digits with a leading zero (compared as a decimal fraction). */
  text?: string;
  /** Suffix rank: negative before the release, positive after. */
  rank?: number;
}

function tokenize(version: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  let previous = 0;
  const digits = (): string => {
    const start = i;
    while (i < version.length && version[i]! >= '0' && version[i]! <= '9') i++;
    return version.slice(start, i);
  };
  const push = (token: Token): void => {
    // Kinds must not go backwards except a new digit group after a digit group or a suffix after a suffix.
    const allowed =
      token.kind > previous ||
      (token.kind === SUFFIX && (previous === SUFFIX || previous === SUFFIX_NUMBER)) ||
      (token.kind === DIGIT && previous === DIGIT);
    tokens.push(allowed ? token : { kind: INVALID });
    previous = allowed ? token.kind : INVALID;
  };
  const first = digits();
  if (first === '') return [{ kind: INVALID }];
  push({ kind: DIGIT, number: BigInt(first) });
  while (i < version.length && previous !== INVALID) {
    const char = version[i]!;
    if (char === '.' && previous === DIGIT) {
      i++;
      const part = digits();
      if (part === '') push({ kind: INVALID });
      else if (part.length > 1 && part.startsWith('0')) push({ kind: DIGIT, text: part });
      else push({ kind: DIGIT, number: BigInt(part) });
    } else if (/[a-z]/.test(char) && previous === DIGIT) {
      i++;
      push({ kind: LETTER, text: char });
      // A letter may only be the last character of the digit part.
      if (i < version.length && version[i] !== '_' && version[i] !== '~' && version[i] !== '-')
        push({ kind: INVALID });
    } else if (char === '_') {
      i++;
      const start = i;
      while (i < version.length && /[a-z]/.test(version[i]!)) i++;
      const name = version.slice(start, i);
      const pre = PRE_SUFFIXES.indexOf(name);
      const post = POST_SUFFIXES.indexOf(name);
      if (pre < 0 && post < 0) {
        push({ kind: INVALID });
        break;
      }
      push({ kind: SUFFIX, rank: pre >= 0 ? pre - PRE_SUFFIXES.length : post + 1 });
      // No number is not number 0: apk-tools orders `_p` before `_p0`, and `_p-r1` before `_p0`.
      const number = digits();
      if (number !== '') push({ kind: SUFFIX_NUMBER, number: BigInt(number) });
    } else if (char === '~') {
      i++;
      const start = i;
      while (i < version.length && /[0-9a-f]/.test(version[i]!)) i++;
      const hash = version.slice(start, i);
      push(hash === '' ? { kind: INVALID } : { kind: HASH, text: hash });
    } else if (char === '-' && version[i + 1] === 'r') {
      i += 2;
      const number = digits();
      push(number === '' ? { kind: INVALID } : { kind: REVISION, number: BigInt(number) });
    } else {
      push({ kind: INVALID });
    }
  }
  if (previous !== INVALID) tokens.push({ kind: END });
  return tokens;
}

function compareValues(a: Token, b: Token): Sign {
  if (a.rank !== undefined && b.rank !== undefined && a.rank !== b.rank) return a.rank < b.rank ? -1 : 1;
  if (a.number !== undefined && b.number !== undefined) {
    if (a.number !== b.number) return a.number < b.number ? -1 : 1;
    return 0;
  }
  // A part with a leading zero compares as text (a decimal fraction), so 1.01 < 1.1 and 8.2.0 < 8.2.001.
  const textA = a.text ?? (a.number === undefined ? '' : String(a.number));
  const textB = b.text ?? (b.number === undefined ? '' : String(b.number));
  return textA < textB ? -1 : textA > textB ? 1 : 0;
}

/** Orders two apk versions as apk-tools does; `fuzzy` makes `left` match when `right` is a prefix of it. */
export function compareApk(left: string, right: string, fuzzy = false): Sign {
  const a = tokenize(left.trim());
  const b = tokenize(right.trim());
  let index = 0;
  for (;;) {
    const ta = a[index] ?? { kind: INVALID };
    const tb = b[index] ?? { kind: INVALID };
    if (fuzzy && tb.kind === END) return 0;
    if (ta.kind !== tb.kind || ta.kind >= END) {
      if (ta.kind === tb.kind) return 0;
      // A pre-release suffix makes the longer version older; anything else makes it newer.
      if (ta.kind === SUFFIX && (ta.rank ?? 0) < 0) return -1;
      if (tb.kind === SUFFIX && (tb.rank ?? 0) < 0) return 1;
      return ta.kind > tb.kind ? -1 : 1;
    }
    const order = compareValues(ta, tb);
    if (order !== 0) return order;
    index++;
  }
}

function validate(version: string): string | undefined {
  if (version === '') return 'empty';
  if (version.length > MAX_VERSION_LENGTH) return 'too long';
  const tokens = tokenize(version);
  return tokens.some((token) => token.kind === INVALID)
    ? 'not of the form digits{.digits}[a-z]{_suffix[N]}[~hash][-rN]'
    : undefined;
}

export const apkScheme: VersionScheme = validatedScheme('apk', validate, compareApk, (version) =>
  validate(version.trim()),
);
