// fnmatch-style globs (`*`, `?`, `[abc]`, `[a-z]`, `[!abc]`/`[^abc]`), matched without regular expressions.
// Values are attacker-controlled (request URIs, names): a regex with one `[\s\S]*` per `*` backtracks
// polynomially, so the matcher is the classic two-pointer walk that, on a mismatch, only returns to the last
// `*` seen — O(value × pattern) at worst, with no backtracking beyond that.
// Semantics are those of the former regex translation: `*` and `?` match any character (newlines and `/`
// included), a `[` without a closing `]` is a literal, `]` right after `[`, `[!` or `[^` belongs to the class,
// and `iglob` folds case like a regex's `i` flag.

type ClassItem = string | readonly [string, string];
type Token =
  | { kind: 'star' }
  | { kind: 'any' }
  | { kind: 'char'; char: string }
  | { kind: 'class'; negate: boolean; items: readonly ClassItem[] };

function parseClassBody(body: string): ClassItem[] {
  const items: ClassItem[] = [];
  for (let index = 0; index < body.length; index++) {
    const char = body[index]!;
    if (body[index + 1] === '-' && index + 2 < body.length) {
      const high = body[index + 2]!;
      if (high < char) throw new Error(`glob range [${char}-${high}] is out of order`);
      items.push([char, high]);
      index += 2;
    } else items.push(char);
  }
  return items;
}

function tokenize(pattern: string): Token[] {
  const tokens: Token[] = [];
  for (let index = 0; index < pattern.length; index++) {
    const char = pattern[index]!;
    if (char === '*') {
      if (tokens.at(-1)?.kind !== 'star') tokens.push({ kind: 'star' });
    } else if (char === '?') tokens.push({ kind: 'any' });
    else if (char === '[') {
      const close = pattern.indexOf(']', index + 2);
      if (close < 0) {
        tokens.push({ kind: 'char', char });
        continue;
      }
      let body = pattern.slice(index + 1, close);
      const negate = body.startsWith('!') || body.startsWith('^');
      if (negate) body = body.slice(1);
      tokens.push({ kind: 'class', negate, items: parseClassBody(body) });
      index = close;
    } else tokens.push({ kind: 'char', char });
  }
  return tokens;
}

function inClass(items: readonly ClassItem[], char: string): boolean {
  for (const item of items) {
    if (typeof item === 'string') {
      if (item === char) return true;
    } else if (char >= item[0] && char <= item[1]) return true;
  }
  return false;
}

function variants(char: string, ignoreCase: boolean): string[] {
  if (!ignoreCase) return [char];
  const lower = char.toLowerCase();
  const upper = char.toUpperCase();
  return [char, ...(lower.length === 1 ? [lower] : []), ...(upper.length === 1 ? [upper] : [])];
}

function tokenMatches(token: Token, char: string, ignoreCase: boolean): boolean {
  switch (token.kind) {
    case 'any':
      return true;
    case 'char':
      return token.char === char || (ignoreCase && variants(char, true).includes(token.char));
    case 'class': {
      // An empty negated class (`[!]`) matches any character, as the regex `[^]` did.
      const hit = variants(char, ignoreCase).some((variant) => inClass(token.items, variant));
      return token.negate ? !hit : hit;
    }
    default:
      return false;
  }
}

/** Compiles a glob once; throws (for the rule author) on a class range that is out of order. */
export function compileGlob(pattern: string, ignoreCase: boolean): (value: string) => boolean {
  const tokens = tokenize(pattern);
  return (value) => {
    let t = 0;
    let v = 0;
    let starToken = -1;
    let starValue = 0;
    while (v < value.length) {
      const token = tokens[t];
      if (token !== undefined && token.kind === 'star') {
        starToken = t++;
        starValue = v;
      } else if (token !== undefined && tokenMatches(token, value[v]!, ignoreCase)) {
        t++;
        v++;
      } else if (starToken >= 0) {
        // Let the last star absorb one more character and retry what follows it.
        t = starToken + 1;
        v = ++starValue;
      } else return false;
    }
    while (tokens[t]?.kind === 'star') t++;
    return t === tokens.length;
  };
}
