// The slow, certain way to find a field: the `yaml` package's document with source ranges. Used only for
// documents the fast locator cannot read with certainty (multi-line flow, complex keys, aliases, merge keys).
import {
  type Alias,
  type Document,
  isAlias,
  isMap,
  isNode,
  isScalar,
  isSeq,
  LineCounter,
  type Node,
  parseDocument,
  visit,
} from 'yaml';
import type { FieldPath } from '../core/kube-object.ts';
import type { LocatedField } from '../core/source.ts';
import { withLfBreaks } from './line-index.ts';
import { isBlankChar } from './yaml-scalars.ts';

export type Locate = (path: FieldPath) => LocatedField;

/** Text of a line before `end`, without a trailing comment (a `#` at the start or after a blank). */
function beforeComment(text: string, lineStart: number, end: number): string {
  for (let i = lineStart; i < end; i++)
    if (text.charCodeAt(i) === 35 && (i === lineStart || isBlankChar(text.charCodeAt(i - 1))))
      return text.slice(lineStart, i);
  return text.slice(lineStart, end);
}

/**
 * The `-` indicator of a block sequence item whose value starts at `start` (after its anchor or tag), looking
 * back over properties, blanks and comment lines; `start` itself for flow sequence items.
 */
export function sequenceItemOffset(text: string, start: number): number {
  let end = start;
  while (end > 0) {
    const lineStart = text.lastIndexOf('\n', end - 1) + 1;
    let before = beforeComment(text, lineStart, end).trimEnd();
    // Drop anchors and tags written before the value.
    for (;;) {
      const space = Math.max(before.lastIndexOf(' '), before.lastIndexOf('\t'));
      const token = before.slice(space + 1);
      if (!(token.startsWith('&') || token.startsWith('!'))) break;
      before = before.slice(0, space + 1).trimEnd();
    }
    if (before.trim() !== '') {
      const last = before.length - 1;
      const dash = before.charCodeAt(last) === 45 && (last === 0 || isBlankChar(before.charCodeAt(last - 1)));
      return dash ? lineStart + last : start;
    }
    end = lineStart - 1;
  }
  return start;
}

function keyName(key: unknown, doc: Document): string | undefined {
  const node = deref(key, doc);
  if (!isScalar(node)) return undefined;
  return typeof node.value === 'symbol' ? '<<' : String(node.value);
}

// Every alias of a document resolved in one walk. The package's Alias.resolve walks the whole document per call,
// so a file of 50,000 aliases, each located, took hours (and a scan could not stop for Ctrl-C meanwhile).
const resolvedAliases = new WeakMap<Document, Map<Alias, unknown>>();

function aliasTargets(doc: Document): Map<Alias, unknown> {
  const known = resolvedAliases.get(doc);
  if (known) return known;
  const targets = new Map<Alias, unknown>();
  // In document order an alias names the latest node anchored with its name before it (anchors may be reused).
  const anchors = new Map<string, Node>();
  visit(doc, (_key, node) => {
    if (isAlias(node)) targets.set(node, anchors.get(node.source));
    else if (isNode(node) && node.anchor) anchors.set(node.anchor, node);
  });
  resolvedAliases.set(doc, targets);
  return targets;
}

function deref(node: unknown, doc: Document): unknown {
  return isAlias(node) ? aliasTargets(doc).get(node) : node;
}

/**
 * Finds the pair whose value is used for `name` in a mapping, as go-yaml v2 (and the loader's schema) reads it: in
 * document order each explicit key or merge key (`<<`) that has `name` overrides what came before, so the last
 * wins; within a merge sequence (`<<: [*a, *b]`) the earlier mapping wins.
 */
function findPair(
  map: unknown,
  name: string,
  doc: Document,
  depth = 0,
): { key: Node; value: unknown } | undefined {
  if (!isMap(map) || depth > 50) return undefined;
  let found: { key: Node; value: unknown } | undefined;
  for (const pair of map.items) {
    const key = keyName(pair.key, doc);
    if (key === '<<') {
      const source = deref(pair.value, doc);
      const sources = isSeq(source) ? source.items.map((item) => deref(item, doc)) : [source];
      for (const candidate of sources) {
        const merged = findPair(candidate, name, doc, depth + 1);
        if (merged) {
          found = merged;
          break;
        }
      }
    } else if (key === name) found = { key: pair.key as Node, value: pair.value };
  }
  return found;
}

/** `column`: 0-based column of the text's first character in the file (its first line only). */
export function createFallbackLocator(source: string, startLine: number, column = 0): Locate {
  // The `yaml` package counts (and parses) only LF and CRLF as line breaks.
  const text = withLfBreaks(source);
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, {
    lineCounter,
    version: '1.1',
    merge: true,
    uniqueKeys: false,
    strict: false,
  });
  const position = (offset: number, path: FieldPath): LocatedField => {
    const { line, col } = lineCounter.linePos(offset);
    return { line: startLine + line - 1, column: line === 1 ? col + column : col, path };
  };
  return (path) => {
    let node = deref(doc.contents, doc);
    let at = isScalar(node) || isMap(node) || isSeq(node) ? (node.range?.[0] ?? 0) : 0;
    let depth = 0;
    for (const part of path) {
      node = deref(node, doc);
      if (isMap(node)) {
        const pair = findPair(node, String(part), doc);
        if (!pair?.key.range) break;
        at = pair.key.range[0];
        node = pair.value;
      } else if (isSeq(node) && typeof part === 'number') {
        const item = node.items[part] as Node | undefined;
        const start = item?.range?.[0];
        if (start === undefined) break;
        at = sequenceItemOffset(text, start);
        node = item;
      } else break;
      depth++;
    }
    return position(at, depth === path.length ? path : path.slice(0, depth));
  };
}
