// Falco's `glob`/`iglob`: libsinsp's glob_match is glibc fnmatch(pattern, value, 0) (FNM_CASEFOLD for iglob)
// in the C locale Falco runs in, so this follows fnmatch there: `*` and `?` match any byte (`/`, `.` and
// newlines included), `[...]` holds characters, ranges, `[:class:]`, `[=c=]` and `[.c.]` and is negated by
// `!` or `^`, `]` right after `[`, `[!` or `[^` belongs to the class, a backslash escapes the next character
// (inside brackets too), a `[` without a closing `]` is a literal, a reversed range or an unknown class
// matches nothing, and a trailing backslash never matches. Values and patterns are compared as UTF-8 bytes and
// case is folded for ASCII only, as in that locale.
// Values are attacker-controlled (request URIs, names), so there are no regular expressions: the classic
// two-pointer walk returns, on a mismatch, only to the last `*` seen, O(value × pattern) at worst.

type Item =
  | { kind: 'byte'; byte: number }
  | { kind: 'range'; low: number; high: number }
  | { kind: 'class'; test: (byte: number) => boolean }
  | { kind: 'equivalent'; byte: number }
  /** An unknown class or collating element: glibc gives up on the match when it reaches one. */
  | { kind: 'invalid' };

type Token =
  | { kind: 'star' }
  | { kind: 'any' }
  | { kind: 'byte'; byte: number }
  | { kind: 'bracket'; negate: boolean; items: readonly Item[] }
  | { kind: 'never' };

const isDigit = (b: number) => b >= 0x30 && b <= 0x39;
const isUpper = (b: number) => b >= 0x41 && b <= 0x5a;
const isLower = (b: number) => b >= 0x61 && b <= 0x7a;
const isAlpha = (b: number) => isUpper(b) || isLower(b);
const isAlnum = (b: number) => isAlpha(b) || isDigit(b);
const isGraph = (b: number) => b >= 0x21 && b <= 0x7e;

/** The C locale's character classes: ASCII only. */
const CLASSES: Record<string, (byte: number) => boolean> = {
  alnum: isAlnum,
  alpha: isAlpha,
  blank: (b) => b === 0x20 || b === 0x09,
  cntrl: (b) => b < 0x20 || b === 0x7f,
  digit: isDigit,
  graph: isGraph,
  lower: isLower,
  print: (b) => b >= 0x20 && b <= 0x7e,
  punct: (b) => isGraph(b) && !isAlnum(b),
  space: (b) => b === 0x20 || (b >= 0x09 && b <= 0x0d),
  upper: isUpper,
  xdigit: (b) => isDigit(b) || (b >= 0x41 && b <= 0x46) || (b >= 0x61 && b <= 0x66),
};

const BRACKET_OPEN = 0x5b;
const BRACKET_CLOSE = 0x5d;
const BACKSLASH = 0x5c;
const COLON = 0x3a;
const EQUALS = 0x3d;
const DOT = 0x2e;
const DASH = 0x2d;

const fold = (byte: number, ignoreCase: boolean) => (ignoreCase && isUpper(byte) ? byte + 0x20 : byte);

/** UTF-8 bytes as a string of char codes 0-255; ASCII text is returned as it is. */
function bytesOf(text: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: the ASCII range is the point
  return /[^\x00-\x7f]/.test(text) ? Buffer.from(text, 'utf8').toString('latin1') : text;
}

/** `[.c.]` at `at` (which holds `[`): the element's byte and where it ends; `invalid` when not one byte. */
function collatingSymbol(p: string, at: number): { byte: number | 'invalid'; next: number } | undefined {
  const close = p.indexOf('.]', at + 3);
  if (close < 0) return undefined;
  return { byte: close === at + 3 ? p.charCodeAt(at + 2) : 'invalid', next: close + 2 };
}

/**
 * The bracket expression after the `[` at `start - 1`, or undefined when it is not closed (then the `[` is a
 * literal). Follows glibc's reading: classes, equivalence classes and collating symbols are tried first, and
 * what does not fit one of them is read as plain characters.
 */
function parseBracket(
  p: string,
  start: number,
  ignoreCase: boolean,
): { token: Token; next: number } | undefined {
  let i = start;
  const negate = p[i] === '!' || p[i] === '^';
  if (negate) i++;
  const items: Item[] = [];
  for (let first = true; ; first = false) {
    if (i >= p.length) return undefined;
    let byte = p.charCodeAt(i);
    // glibc folds plain characters for FNM_CASEFOLD but not collating symbols.
    let lowFolds = true;
    if (byte === BRACKET_CLOSE && !first) return { token: { kind: 'bracket', negate, items }, next: i + 1 };
    if (byte === BACKSLASH) {
      if (i + 1 >= p.length) return undefined;
      byte = p.charCodeAt(i + 1);
      i += 2;
    } else if (byte === BRACKET_OPEN && p.charCodeAt(i + 1) === COLON) {
      let end = i + 2;
      while (end < p.length && p[end]! >= 'a' && p[end]! <= 'z') end++;
      if (p.charCodeAt(end) === COLON && p.charCodeAt(end + 1) === BRACKET_CLOSE) {
        const test = CLASSES[p.slice(i + 2, end)];
        items.push(test === undefined ? { kind: 'invalid' } : { kind: 'class', test });
        i = end + 2;
        continue;
      }
      i++;
    } else if (byte === BRACKET_OPEN && p.charCodeAt(i + 1) === EQUALS) {
      if (i + 4 < p.length && p.charCodeAt(i + 3) === EQUALS && p.charCodeAt(i + 4) === BRACKET_CLOSE) {
        items.push({ kind: 'equivalent', byte: p.charCodeAt(i + 2) });
        i += 5;
        continue;
      }
      i++;
    } else if (byte === BRACKET_OPEN && p.charCodeAt(i + 1) === DOT) {
      const symbol = collatingSymbol(p, i);
      if (symbol === undefined || symbol.byte === 'invalid') {
        // glibc gives up when it reaches an unterminated or multi-character collating symbol.
        items.push({ kind: 'invalid' });
        if (symbol === undefined) return { token: { kind: 'bracket', negate, items }, next: p.length };
        i = symbol.next;
        continue;
      }
      byte = symbol.byte;
      lowFolds = false;
      i = symbol.next;
    } else i++;
    if (p.charCodeAt(i) === DASH && i + 1 < p.length && p.charCodeAt(i + 1) !== BRACKET_CLOSE) {
      let high = p.charCodeAt(i + 1);
      let highFolds = true;
      i += 2;
      if (high === BACKSLASH) {
        if (i >= p.length) return undefined;
        high = p.charCodeAt(i++);
      } else if (high === BRACKET_OPEN && p.charCodeAt(i) === DOT) {
        const symbol = collatingSymbol(p, i - 1);
        if (symbol === undefined || symbol.byte === 'invalid') {
          items.push({ kind: 'invalid' });
          if (symbol === undefined) return { token: { kind: 'bracket', negate, items }, next: p.length };
          i = symbol.next;
          continue;
        }
        high = symbol.byte;
        highFolds = false;
        i = symbol.next;
      }
      items.push({
        kind: 'range',
        low: fold(byte, ignoreCase && lowFolds),
        high: fold(high, ignoreCase && highFolds),
      });
    } else if (lowFolds) items.push({ kind: 'byte', byte: fold(byte, ignoreCase) });
    else items.push({ kind: 'equivalent', byte });
  }
}

function tokenize(pattern: string, ignoreCase: boolean): Token[] {
  const p = bytesOf(pattern);
  const tokens: Token[] = [];
  for (let index = 0; index < p.length; index++) {
    const byte = p.charCodeAt(index);
    if (byte === 0x2a) {
      if (tokens.at(-1)?.kind !== 'star') tokens.push({ kind: 'star' });
    } else if (byte === 0x3f) tokens.push({ kind: 'any' });
    else if (byte === BACKSLASH) {
      if (index + 1 >= p.length) tokens.push({ kind: 'never' });
      else tokens.push({ kind: 'byte', byte: fold(p.charCodeAt(++index), ignoreCase) });
    } else if (byte === BRACKET_OPEN) {
      const bracket = parseBracket(p, index + 1, ignoreCase);
      if (bracket === undefined) tokens.push({ kind: 'byte', byte });
      else {
        tokens.push(bracket.token);
        index = bracket.next - 1;
      }
    } else tokens.push({ kind: 'byte', byte: fold(byte, ignoreCase) });
  }
  return tokens;
}

function bracketMatches(
  token: { negate: boolean; items: readonly Item[] },
  byte: number,
  ignoreCase: boolean,
): boolean {
  const folded = fold(byte, ignoreCase);
  for (const item of token.items) {
    let hit: boolean;
    switch (item.kind) {
      case 'byte':
        hit = item.byte === folded;
        break;
      case 'range':
        hit = item.low <= folded && folded <= item.high;
        break;
      case 'class':
        hit = item.test(byte);
        break;
      case 'equivalent':
        hit = item.byte === byte;
        break;
      case 'invalid':
        return false;
    }
    if (hit) return !token.negate;
  }
  return token.negate;
}

function tokenMatches(token: Token, byte: number, ignoreCase: boolean): boolean {
  switch (token.kind) {
    case 'any':
      return true;
    case 'byte':
      return token.byte === fold(byte, ignoreCase);
    case 'bracket':
      return bracketMatches(token, byte, ignoreCase);
    default:
      return false;
  }
}

/** Compiles a glob once. Never throws: like fnmatch, a malformed pattern just matches less. */
export function compileGlob(pattern: string, ignoreCase: boolean): (value: string) => boolean {
  const tokens = tokenize(pattern, ignoreCase);
  return (text) => {
    const value = bytesOf(text);
    let t = 0;
    let v = 0;
    let starToken = -1;
    let starValue = 0;
    while (v < value.length) {
      const token = tokens[t];
      if (token !== undefined && token.kind === 'star') {
        starToken = t++;
        starValue = v;
      } else if (token !== undefined && tokenMatches(token, value.charCodeAt(v), ignoreCase)) {
        t++;
        v++;
      } else if (starToken >= 0) {
        // Let the last star absorb one more byte and retry what follows it.
        t = starToken + 1;
        v = ++starValue;
      } else return false;
    }
    while (tokens[t]?.kind === 'star') t++;
    return t === tokens.length;
  };
}
