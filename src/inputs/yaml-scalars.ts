// Small lexical helpers the locators share: reading keys the way js-yaml turns them into property names.
import { load } from 'js-yaml';
import { KUBERNETES_YAML_SCHEMA } from './yaml-schema.ts';

const SIMPLE_ESCAPES: Record<string, string> = {
  '0': '\0',
  a: '\x07',
  b: '\b',
  t: '\t',
  '\t': '\t',
  n: '\n',
  v: '\v',
  f: '\f',
  r: '\r',
  e: '\x1b',
  ' ': ' ',
  '"': '"',
  '/': '/',
  '\\': '\\',
  N: '\x85',
  _: '\xa0',
  L: '\u2028',
  P: '\u2029',
};
const HEX_LENGTHS: Record<string, number> = { x: 2, u: 4, U: 8 };

/** Offset of the closing `"` of a double-quoted scalar opened at `open`, before `limit`; -1 when not found. */
export function closeDoubleQuote(text: string, open: number, limit: number): number {
  for (let i = open + 1; i < limit; i++) {
    const c = text.charCodeAt(i);
    if (c === 92) i++;
    else if (c === 34) return i;
  }
  return -1;
}

/** Offset of the closing `'` of a single-quoted scalar opened at `open`, before `limit`; -1 when not found. */
export function closeSingleQuote(text: string, open: number, limit: number): number {
  for (let i = open + 1; i < limit; i++) {
    if (text.charCodeAt(i) === 39) {
      if (text.charCodeAt(i + 1) === 39) i++;
      else return i;
    }
  }
  return -1;
}

/** The value of a one-line double-quoted scalar's inner text (between the quotes). */
export function decodeDoubleQuoted(inner: string): string {
  if (!inner.includes('\\')) return inner;
  let out = '';
  for (let i = 0; i < inner.length; i++) {
    const c = inner[i] ?? '';
    if (c !== '\\') {
      out += c;
      continue;
    }
    const e = inner[++i] ?? '';
    const simple = SIMPLE_ESCAPES[e];
    if (simple !== undefined) {
      out += simple;
      continue;
    }
    const length = HEX_LENGTHS[e];
    if (length !== undefined) {
      out += String.fromCodePoint(Number.parseInt(inner.slice(i + 1, i + 1 + length), 16));
      i += length;
    } else out += e;
  }
  return out;
}

export function decodeSingleQuoted(inner: string): string {
  return inner.includes("''") ? inner.replaceAll("''", "'") : inner;
}

const NON_STRING_WORDS = new Set([
  '~',
  'null',
  'Null',
  'NULL',
  'true',
  'True',
  'TRUE',
  'false',
  'False',
  'FALSE',
  'y',
  'Y',
  'yes',
  'Yes',
  'YES',
  'n',
  'N',
  'no',
  'No',
  'NO',
  'on',
  'On',
  'ON',
  'off',
  'Off',
  'OFF',
]);

/**
 * The property name js-yaml gives a plain key: keys that resolve to numbers, booleans or null are stringified
 * (`0x10` is "16", `~` is "null", `yes` is "true"). Only keys that may be such scalars pay for a parse.
 */
export function plainKeyName(raw: string): string {
  const c = raw.charCodeAt(0);
  const maybeNumber = (c >= 48 && c <= 57) || c === 43 || c === 45 || c === 46;
  if (!maybeNumber && !NON_STRING_WORDS.has(raw)) return raw;
  try {
    return String(load(raw, { schema: KUBERNETES_YAML_SCHEMA }));
  } catch {
    return raw;
  }
}

/** Skips anchors (`&a`) and tags (`!t`, `!!str`, `!<...>`) and the blanks after them, from `pos`, before `limit`. */
export function skipProperties(text: string, pos: number, limit: number): number {
  let i = pos;
  for (;;) {
    const c = text.charCodeAt(i);
    if (i >= limit || (c !== 38 && c !== 33)) return i;
    while (i < limit) {
      const d = text.charCodeAt(i);
      if (d === 32 || d === 9 || d === 10 || d === 13) break;
      i++;
    }
    while (i < limit) {
      const d = text.charCodeAt(i);
      if (d !== 32 && d !== 9) break;
      i++;
    }
  }
}

export function isBlankChar(c: number): boolean {
  return c === 32 || c === 9 || c === 10 || c === 13 || Number.isNaN(c);
}
