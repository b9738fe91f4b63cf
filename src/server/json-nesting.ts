// How deep a JSON body nests, checked before parsing: JSON.parse copes with deep nesting, but everything that walks
// the value afterwards (rules, diffs, JSON.stringify) recurses. The scan runs over the UTF-8 bytes, not the decoded
// string: the characters it looks for are ASCII (never part of a multi-byte sequence) and typed-array access is cheaper
// than charCodeAt on a string.
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
      // Skip the string, honouring backslash escapes.
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

/** Offset (in UTF-16 units of `text`) of the first bracket nested deeper than `maxDepth`, for the error message. */
export function deepNestingOffset(text: string, maxDepth: number): number {
  return jsonDepthExceeded(text, maxDepth);
}
