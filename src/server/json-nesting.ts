// How deep a JSON body nests. JSON.parse copes with deep nesting, but everything that walks the value afterwards
// (rules, diffs, JSON.stringify) recurses. Two ways to ask: over the parsed value (a few hundred nodes for a review,
// several times cheaper than visiting every byte of its text) and over the UTF-8 bytes before parsing (for large
// bodies, where a hostile nesting would make JSON.parse itself slow).
import { jsonDepthExceeded } from '../inputs/yaml-parse.ts';

const QUOTE = 34;
const BACKSLASH = 92;

/** True when `body` nests deeper than `maxDepth` (the same verdict as jsonDepthExceeded on the decoded text). */
export function jsonNestsDeeperThan(body: Uint8Array, maxDepth: number): boolean {
  let depth = 0;
  const length = body.length;
  for (let i = 0; i < length; i++) {
    const c = body[i] as number;
    if (c === QUOTE) {
      // Skip the string, honouring backslash escapes. The characters looked for are ASCII, never part of a
      // multi-byte sequence.
      for (i++; i < length; i++) {
        const d = body[i] as number;
        if (d === BACKSLASH) i++;
        else if (d === QUOTE) break;
      }
    } else if (c === 91 || c === 123) {
      if (++depth > maxDepth) return true;
    } else if (c === 93 || c === 125) depth--;
  }
  return false;
}

/**
 * True when a parsed JSON value nests deeper than `maxDepth`, counting each array and object as one level (the
 * same verdict as jsonNestsDeeperThan on its text). Iterative, so a value of any depth is measured safely.
 */
export function valueNestsDeeperThan(value: unknown, maxDepth: number): boolean {
  if (typeof value !== 'object' || value === null) return false;
  const pending: object[] = [value];
  const depths: number[] = [1];
  while (pending.length > 0) {
    const node = pending.pop() as object;
    const depth = depths.pop() as number;
    if (depth > maxDepth) return true;
    if (Array.isArray(node)) {
      for (const item of node)
        if (typeof item === 'object' && item !== null) {
          pending.push(item);
          depths.push(depth + 1);
        }
    } else
      for (const key in node) {
        const item = (node as Record<string, unknown>)[key];
        if (typeof item === 'object' && item !== null && Object.hasOwn(node, key)) {
          pending.push(item);
          depths.push(depth + 1);
        }
      }
  }
  return false;
}

/** Offset (in UTF-16 units of `text`) of the first bracket nested deeper than `maxDepth`, for the error message. */
export function deepNestingOffset(text: string, maxDepth: number): number {
  return jsonDepthExceeded(text, maxDepth);
}
