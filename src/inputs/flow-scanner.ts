// Reads the children of a YAML flow collection (`[a, b]`, `{k: v}`, JSON) from the text, without building values:
// only where each key or item starts and where its value starts.
import {
  closeDoubleQuote,
  closeSingleQuote,
  decodeDoubleQuoted,
  decodeSingleQuoted,
  isBlankChar,
  plainKeyName,
  skipProperties,
} from './yaml-scalars.ts';

export interface FlowChild {
  /** Offset of the key (mapping) or of the item (sequence). */
  at: number;
  /** Offset where the value starts (after anchors and tags); -1 for an empty value. */
  value: number;
}

export type FlowCollection =
  /** `mergeAt`: offset of the last merge key (`<<`), -1 when none. */
  | { kind: 'map'; children: Map<string, FlowChild>; mergeAt: number; end: number }
  | { kind: 'seq'; children: FlowChild[]; end: number };

const COMMA = 44;
const COLON = 58;
const OPEN_SEQ = 91;
const CLOSE_SEQ = 93;
const OPEN_MAP = 123;
const CLOSE_MAP = 125;

function isFlowIndicator(c: number): boolean {
  return c === COMMA || c === OPEN_SEQ || c === CLOSE_SEQ || c === OPEN_MAP || c === CLOSE_MAP;
}

/** Skips whitespace, line breaks and comments, from `pos`. */
function skipSpace(text: string, pos: number, limit: number): number {
  let i = pos;
  while (i < limit) {
    const c = text.charCodeAt(i);
    if (c === 32 || c === 9 || c === 10 || c === 13) i++;
    else if (c === 35 && (i === 0 || isBlankChar(text.charCodeAt(i - 1)))) {
      const newline = text.indexOf('\n', i);
      i = newline === -1 ? limit : newline + 1;
    } else break;
  }
  return i;
}

/** End of a plain scalar in flow context starting at `pos` (it may span lines). */
function plainEnd(text: string, pos: number, limit: number): number {
  let i = pos;
  let end = pos;
  while (i < limit) {
    const c = text.charCodeAt(i);
    if (isFlowIndicator(c)) break;
    if (c === COLON) {
      const next = text.charCodeAt(i + 1);
      if (isBlankChar(next) || isFlowIndicator(next)) break;
    }
    if (c === 35 && i > pos && isBlankChar(text.charCodeAt(i - 1))) break;
    i++;
    if (!isBlankChar(c)) end = i;
  }
  return end;
}

/** Offset after the node starting at `pos` (after its properties), or -1 when it cannot be read. */
function skipNode(text: string, pos: number, limit: number): number {
  const c = text.charCodeAt(pos);
  if (c === 34) {
    const close = closeDoubleQuote(text, pos, limit);
    return close === -1 ? -1 : close + 1;
  }
  if (c === 39) {
    const close = closeSingleQuote(text, pos, limit);
    return close === -1 ? -1 : close + 1;
  }
  if (c === OPEN_SEQ || c === OPEN_MAP) return skipCollection(text, pos, limit);
  return plainEnd(text, pos, limit);
}

/** Offset after the collection opened at `open`, matching brackets outside quotes and comments. */
function skipCollection(text: string, open: number, limit: number): number {
  let depth = 0;
  for (let i = open; i < limit; i++) {
    const c = text.charCodeAt(i);
    if (c === OPEN_SEQ || c === OPEN_MAP) depth++;
    else if (c === CLOSE_SEQ || c === CLOSE_MAP) {
      if (--depth === 0) return i + 1;
    } else if (c === 34 || c === 39) {
      // A quote opens a scalar only at the start of a node, not inside a plain scalar like it's.
      const previous = text.charCodeAt(i - 1);
      if (!(isBlankChar(previous) || isFlowIndicator(previous) || previous === COLON)) continue;
      const close = c === 34 ? closeDoubleQuote(text, i, limit) : closeSingleQuote(text, i, limit);
      if (close === -1) return -1;
      i = close;
    } else if (c === 35 && isBlankChar(text.charCodeAt(i - 1))) {
      const newline = text.indexOf('\n', i);
      if (newline === -1) return -1;
      i = newline;
    }
  }
  return -1;
}

/** Reads a key at `pos`: its name and the offset after it, or undefined when it is not a simple key. */
function readKey(text: string, pos: number, limit: number): { name: string; end: number } | undefined {
  const c = text.charCodeAt(pos);
  if (c === 34) {
    const close = closeDoubleQuote(text, pos, limit);
    if (close === -1) return undefined;
    return { name: decodeDoubleQuoted(text.slice(pos + 1, close)), end: close + 1 };
  }
  if (c === 39) {
    const close = closeSingleQuote(text, pos, limit);
    if (close === -1) return undefined;
    return { name: decodeSingleQuoted(text.slice(pos + 1, close)), end: close + 1 };
  }
  if (c === OPEN_SEQ || c === OPEN_MAP || c === 42 || c === 63) return undefined;
  const end = plainEnd(text, pos, limit);
  if (end === pos) return undefined;
  const raw = text.slice(pos, end);
  // A key spanning lines is unusual enough to leave to the full parser.
  if (raw.includes('\n')) return undefined;
  return { name: plainKeyName(raw), end };
}

/**
 * Scans the flow collection opened at `open` (`[` or `{`), up to `limit`. Undefined when it holds anything
 * this scanner does not read with certainty (complex keys, unbalanced brackets, multi-line keys).
 */
export function scanFlowCollection(text: string, open: number, limit: number): FlowCollection | undefined {
  const isMap = text.charCodeAt(open) === OPEN_MAP;
  const close = isMap ? CLOSE_MAP : CLOSE_SEQ;
  const map = new Map<string, FlowChild>();
  const items: FlowChild[] = [];
  let mergeAt = -1;
  let i = skipSpace(text, open + 1, limit);
  while (text.charCodeAt(i) !== close) {
    if (i >= limit) return undefined;
    if (text.charCodeAt(i) === 63 && isBlankChar(text.charCodeAt(i + 1))) return undefined;
    const start = skipProperties(text, i, limit);
    if (isMap) {
      const key = readKey(text, start, limit);
      if (!key) return undefined;
      let value = -1;
      i = skipSpace(text, key.end, limit);
      if (text.charCodeAt(i) === COLON) {
        i = skipSpace(text, i + 1, limit);
        const c = text.charCodeAt(i);
        if (c !== COMMA && c !== CLOSE_MAP) {
          value = skipProperties(text, i, limit);
          i = skipNode(text, value, limit);
          if (i === -1) return undefined;
        }
      }
      if (key.name === '<<') mergeAt = start;
      // Of duplicate keys the last is the one read (go-yaml and JSON.parse alike).
      map.set(key.name, { at: start, value });
    } else {
      i = skipNode(text, start, limit);
      if (i === -1) return undefined;
      // A single-pair mapping inside a sequence (`[a: b]`).
      const after = skipSpace(text, i, limit);
      if (text.charCodeAt(after) === COLON) {
        const value = skipProperties(text, skipSpace(text, after + 1, limit), limit);
        i = skipNode(text, value, limit);
        if (i === -1) return undefined;
      }
      items.push({ at: start, value: start });
    }
    i = skipSpace(text, i, limit);
    const c = text.charCodeAt(i);
    if (c === COMMA) i = skipSpace(text, i + 1, limit);
    else if (c !== close) return undefined;
  }
  return isMap
    ? { kind: 'map', children: map, mergeAt, end: i + 1 }
    : { kind: 'seq', children: items, end: i + 1 };
}
