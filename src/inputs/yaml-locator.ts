// Finds the source position of a field in a block-style YAML document from lines and indentation alone, without
// a second full parse. Each collection's children are indexed once, on first use, then cached. Anything it
// cannot read with certainty (multi-line flow, complex keys, aliases or merge keys on the path, a field the
// parsed value has but the scan did not find) goes to the `yaml` package for that document.
import type { FieldPath } from '../core/kube-object.ts';
import type { LocatedField } from '../core/source.ts';
import { createFallbackLocator, type Locate } from './fallback-locator.ts';
import { scanFlowCollection } from './flow-scanner.ts';
import { LineIndex, withLfBreaks } from './line-index.ts';
import {
  closeDoubleQuote,
  closeSingleQuote,
  decodeDoubleQuoted,
  decodeSingleQuoted,
  isBlankChar,
  plainKeyName,
  skipProperties,
} from './yaml-scalars.ts';

/** A mapping entry, sequence item or the root: where it is reported and how to read its value. */
interface Slot {
  /** Offset reported for this node: the key, the `-` of an item, a flow item, or the root's first character. */
  at: number;
  /** Offset of the value's text on the slot's own line (flow: the value's offset); -1 when none. */
  inline: number;
  /** Where the inline text stops: the end of the line (block), or of the text (flow inside a JSON document). */
  limit: number;
  /** Lines (0-based, end exclusive) that may hold the value when it is not inline. */
  firstLine: number;
  endLine: number;
  /** A sequence item: its inline text may start a compact mapping or a nested sequence. */
  item: boolean;
  flow: boolean;
  value?: Value;
}

type Value =
  /** `mergeAt`: offset of the last merge key (`<<`), -1 when none. */
  | { kind: 'map'; children: Map<string, Slot>; mergeAt: number }
  | { kind: 'seq'; children: Slot[] }
  | { kind: 'leaf' }
  | { kind: 'unsure' };

const LEAF: Value = { kind: 'leaf' };
const UNSURE: Value = { kind: 'unsure' };

const DASH = 45;
const HASH = 35;

/** Whether the field at a path exists in the parsed value (so that a scan which misses it is not trusted). */
export type FieldExists = (path: FieldPath) => boolean;

export class YamlLocator {
  readonly #text: string;
  readonly #startLine: number;
  readonly #column: number;
  readonly #lines: LineIndex;
  readonly #root: Slot;
  #fallback: Locate | undefined;
  /** How many lookups went to the `yaml` package (for the oracle's report). */
  fallbacks = 0;

  /**
   * `text` is one document; `startLine` is the 1-based line of its first line in the file, `column` the 0-based
   * column of its first character there (not 0 after a `---` glued to the text).
   */
  constructor(text: string, startLine: number, column = 0) {
    // Findings in a file with CR line ends get their lines instead of all landing on line 1.
    this.#text = withLfBreaks(text);
    this.#startLine = startLine;
    this.#column = column;
    this.#lines = new LineIndex(this.#text);
    this.#root = this.#rootSlot();
  }

  locate(path: FieldPath, exists?: FieldExists): LocatedField {
    let slot = this.#root;
    let depth = 0;
    for (const part of path) {
      const value = this.#valueOf(slot);
      let child: Slot | undefined;
      if (value.kind === 'map' && typeof part === 'string') {
        child = value.children.get(part);
        // A merge key after the explicit one (or with none) may give the value used (go-yaml merges in document
        // order): the `yaml` package's document decides.
        if (value.mergeAt !== -1 && (!child || child.at < value.mergeAt)) return this.#useFallback(path);
      } else if (value.kind === 'seq' && typeof part === 'number') child = value.children[part];
      else if (value.kind === 'unsure') return this.#useFallback(path);
      if (!child) break;
      slot = child;
      depth++;
    }
    if (depth < path.length && exists?.(path.slice(0, depth + 1))) return this.#useFallback(path);
    const line = this.#lines.lineOf(slot.at);
    return {
      line: this.#startLine + line,
      column: slot.at - this.#lines.start(line) + 1 + (line === 0 ? this.#column : 0),
      path: depth === path.length ? path : path.slice(0, depth),
    };
  }

  #useFallback(path: FieldPath): LocatedField {
    this.fallbacks++;
    this.#fallback ??= createFallbackLocator(this.#text, this.#startLine, this.#column);
    return this.#fallback(path);
  }

  /** Offset of the first character on line `line` that is not a space or tab; -1 for blank and comment lines. */
  #content(line: number): number {
    return this.#lines.contents[line] ?? -1;
  }

  #isMarker(offset: number, char: string): boolean {
    const text = this.#text;
    return (
      offset === this.#lines.start(this.#lines.lineOf(offset)) &&
      text.startsWith(char, offset) &&
      isBlankChar(text.charCodeAt(offset + 3))
    );
  }

  #rootSlot(): Slot {
    const lines = this.#lines;
    const text = this.#text;
    let endLine = lines.lineCount;
    for (let k = endLine - 1; k >= 0; k--) {
      const p = this.#content(k);
      if (p === -1) continue;
      if (this.#isMarker(p, '...')) endLine = k;
      break;
    }
    let seenMarker = false;
    for (let k = 0; k < endLine; k++) {
      const p = this.#content(k);
      if (p === -1) continue;
      if (!seenMarker && text.charCodeAt(p) === 37 && p === lines.start(k)) continue;
      if (this.#isMarker(p, '---')) {
        seenMarker = true;
        let rest = p + 3;
        const end = lines.end(k);
        while (rest < end && (text.charCodeAt(rest) === 32 || text.charCodeAt(rest) === 9)) rest++;
        if (rest >= end || text.charCodeAt(rest) === HASH) continue;
        return { at: rest, inline: rest, limit: end, firstLine: k + 1, endLine, item: false, flow: false };
      }
      return { at: p, inline: -1, limit: lines.end(k), firstLine: k, endLine, item: false, flow: false };
    }
    return { at: 0, inline: -1, limit: 0, firstLine: 0, endLine: 0, item: false, flow: false };
  }

  #valueOf(slot: Slot): Value {
    if (!slot.value)
      slot.value = slot.flow ? this.#flowValue(slot.inline, slot.limit) : this.#blockValue(slot);
    return slot.value;
  }

  #flowValue(offset: number, limit: number): Value {
    if (offset === -1) return LEAF;
    const c = this.#text.charCodeAt(offset);
    if (c === 42) return UNSURE;
    if (c !== 91 && c !== 123) return LEAF;
    const scanned = scanFlowCollection(this.#text, offset, limit);
    if (!scanned) return UNSURE;
    const slot = (at: number, value: number): Slot => ({
      at,
      inline: value,
      limit,
      firstLine: 0,
      endLine: 0,
      item: false,
      flow: true,
    });
    if (scanned.kind === 'seq')
      return { kind: 'seq', children: scanned.children.map((child) => slot(child.at, child.value)) };
    const children = new Map<string, Slot>();
    for (const [name, child] of scanned.children) children.set(name, slot(child.at, child.value));
    return { kind: 'map', children, mergeAt: scanned.mergeAt };
  }

  #blockValue(slot: Slot): Value {
    const text = this.#text;
    if (slot.inline !== -1) {
      const p = skipProperties(text, slot.inline, slot.limit);
      const c = text.charCodeAt(p);
      if (p < slot.limit && !(c === HASH && isBlankChar(text.charCodeAt(p - 1)))) {
        if (c === 42) return UNSURE;
        if (c === 91 || c === 123) return this.#flowValue(p, slot.limit);
        if (c === 124 || c === 62) return LEAF;
        if (slot.item) {
          const line = this.#lines.lineOf(p);
          if (c === DASH && isBlankChar(text.charCodeAt(p + 1)))
            return this.#blockSequence(p, line, slot.endLine);
          if (c === 63 && isBlankChar(text.charCodeAt(p + 1))) return UNSURE;
          if (this.#key(p, slot.limit)) return this.#blockMapping(p, line, slot.endLine);
        }
        return LEAF;
      }
    }
    // The value is on the following lines, or empty.
    for (let k = slot.firstLine; k < slot.endLine; k++) {
      const p = this.#content(k);
      if (p === -1) continue;
      const end = this.#lines.end(k);
      const q = skipProperties(text, p, end);
      if (q >= end || (text.charCodeAt(q) === HASH && q !== p)) return UNSURE;
      const c = text.charCodeAt(q);
      if (c === DASH && isBlankChar(text.charCodeAt(q + 1)))
        return q === p ? this.#blockSequence(p, k, slot.endLine) : UNSURE;
      if (c === 63 && isBlankChar(text.charCodeAt(q + 1))) return UNSURE;
      if (c === 42) return UNSURE;
      if (c === 91 || c === 123) {
        // A document that is one flow collection (JSON) may span lines; inside block style it must not.
        return this.#flowValue(q, slot === this.#root ? text.length : end);
      }
      if (c === 124 || c === 62) return LEAF;
      if (this.#key(p, end)) return this.#blockMapping(p, k, slot.endLine);
      return LEAF;
    }
    return LEAF;
  }

  /** Reads a block mapping key at `pos`: its name, where it is reported and where its value text starts. */
  #key(pos: number, end: number): { name: string; at: number; value: number } | undefined {
    const text = this.#text;
    const at = skipProperties(text, pos, end);
    const c = text.charCodeAt(at);
    let name: string;
    let i: number;
    if (c === 34 || c === 39) {
      const close = c === 34 ? closeDoubleQuote(text, at, end) : closeSingleQuote(text, at, end);
      if (close === -1) return undefined;
      const inner = text.slice(at + 1, close);
      name = c === 34 ? decodeDoubleQuoted(inner) : decodeSingleQuoted(inner);
      i = close + 1;
      while (i < end && (text.charCodeAt(i) === 32 || text.charCodeAt(i) === 9)) i++;
      if (text.charCodeAt(i) !== 58 || !(i + 1 >= end || isBlankChar(text.charCodeAt(i + 1))))
        return undefined;
    } else {
      // Characters that cannot start a plain key, and indicators followed by a blank.
      if (
        c === 91 ||
        c === 123 ||
        c === 42 ||
        c === HASH ||
        c === 124 ||
        c === 62 ||
        c === 37 ||
        c === 64 ||
        c === 96
      )
        return undefined;
      if ((c === DASH || c === 63 || c === 58) && isBlankChar(text.charCodeAt(at + 1))) return undefined;
      for (i = at; ; i++) {
        if (i >= end) return undefined;
        const d = text.charCodeAt(i);
        if (d === 58 && (i + 1 >= end || isBlankChar(text.charCodeAt(i + 1)))) break;
        if (d === HASH && i > at && isBlankChar(text.charCodeAt(i - 1))) return undefined;
      }
      name = plainKeyName(text.slice(at, i).trimEnd());
    }
    let value = i + 1;
    while (value < end && (text.charCodeAt(value) === 32 || text.charCodeAt(value) === 9)) value++;
    return { name, at, value: value >= end ? -1 : value };
  }

  /** Indexes a block mapping whose first key is at `first` on `line`; its keys sit at that column. */
  #blockMapping(first: number, line: number, endLine: number): Value {
    const lines = this.#lines;
    const text = this.#text;
    const column = first - lines.start(line);
    const children = new Map<string, Slot>();
    let mergeAt = -1;
    let previous: Slot | undefined;
    const entry = (pos: number, k: number): boolean => {
      const end = lines.end(k);
      const key = this.#key(pos, end);
      if (!key) return false;
      if (previous) previous.endLine = k;
      previous = {
        at: key.at,
        inline: key.value,
        limit: end,
        firstLine: k + 1,
        endLine,
        item: false,
        flow: false,
      };
      if (key.name === '<<') mergeAt = key.at;
      // Of duplicate keys the last is the one read (go-yaml keeps it), so it is the one located.
      children.set(key.name, previous);
      return true;
    };
    if (!entry(first, line)) return UNSURE;
    for (let k = line + 1; k < endLine; k++) {
      const p = this.#content(k);
      if (p === -1) continue;
      const indent = p - lines.start(k);
      if (indent > column) continue;
      if (indent < column) {
        if (previous) previous.endLine = k;
        break;
      }
      const c = text.charCodeAt(p);
      // A sequence at the same indentation as its key belongs to the previous entry.
      if (c === DASH && isBlankChar(text.charCodeAt(p + 1))) continue;
      if (c === 63 && isBlankChar(text.charCodeAt(p + 1))) return UNSURE;
      if (!entry(p, k)) return UNSURE;
    }
    return { kind: 'map', children, mergeAt };
  }

  /** Indexes a block sequence whose first `-` is at `first` on `line`. */
  #blockSequence(first: number, line: number, endLine: number): Value {
    const lines = this.#lines;
    const text = this.#text;
    const column = first - lines.start(line);
    const children: Slot[] = [];
    let previous: Slot | undefined;
    const item = (dash: number, k: number): void => {
      const end = lines.end(k);
      let value = dash + 1;
      while (value < end && (text.charCodeAt(value) === 32 || text.charCodeAt(value) === 9)) value++;
      if (previous) previous.endLine = k;
      previous = {
        at: dash,
        inline: value >= end ? -1 : value,
        limit: end,
        firstLine: k + 1,
        endLine,
        item: true,
        flow: false,
      };
      children.push(previous);
    };
    item(first, line);
    for (let k = line + 1; k < endLine; k++) {
      const p = this.#content(k);
      if (p === -1) continue;
      const indent = p - lines.start(k);
      if (indent > column) continue;
      if (indent === column && text.charCodeAt(p) === DASH && isBlankChar(text.charCodeAt(p + 1))) item(p, k);
      else {
        if (previous) previous.endLine = k;
        break;
      }
    }
    return { kind: 'seq', children };
  }
}
