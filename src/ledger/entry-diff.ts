// Locates how the entry lines differ from the reference leaf hashes (the ones the signed checkpoints vouch
// for). Each line is matched to a reference entry with the same hash (its own position first); the longest
// increasing run of matched indices is taken as "in place", so a swap shows as two moved entries rather than
// a cascade. Between two in-place anchors, unmatched lines and unmatched entries pair up as alterations;
// what is left over is an insertion or a deletion.
import type { HashList } from './hash-list.ts';

export type EntryDifference =
  /** Line `line` holds content that is not the reference entry `index` it replaced. */
  | { kind: 'altered'; index: number; line: number }
  /** Reference entries [index, index + count) are absent; they belonged before line `line`. */
  | { kind: 'deleted'; index: number; count: number; line: number }
  /** Lines [line, line + count) are not reference entries at all. */
  | { kind: 'inserted'; line: number; count: number; afterIndex: number }
  /** Line `line` holds reference entry `index`, out of its order. */
  | { kind: 'moved'; index: number; line: number };

/** Line numbers here are 0-based entry positions in the file (the caller turns them into file lines). */
export function diffEntries(reference: HashList, actual: HashList): EntryDifference[] {
  const lines = actual.length;
  const matched = new Int32Array(lines).fill(-1);
  const used = new Uint8Array(reference.length);
  let mismatches = 0;
  for (let line = 0; line < lines; line += 1) {
    if (line < reference.length && actual.at(line).equals(reference.at(line))) {
      matched[line] = line;
      used[line] = 1;
    } else mismatches += 1;
  }
  if (mismatches === 0 && lines === reference.length) return [];

  const unusedByHash = new Map<string, number[]>();
  for (let index = reference.length - 1; index >= 0; index -= 1) {
    if (used[index]) continue;
    const key = reference.at(index).toString('base64');
    const queue = unusedByHash.get(key);
    if (queue) queue.push(index);
    else unusedByHash.set(key, [index]);
  }
  for (let line = 0; line < lines; line += 1) {
    if (matched[line]! >= 0) continue;
    const index = unusedByHash.get(actual.at(line).toString('base64'))?.pop();
    if (index !== undefined) {
      matched[line] = index;
      used[index] = 1;
    }
  }

  const inPlace = longestIncreasingRun(matched);
  const differences: EntryDifference[] = [];
  let previousIndex = -1;
  let gapLines: number[] = [];
  const closeGap = (nextIndex: number, nextLine: number) => {
    const missing: number[] = [];
    for (let index = previousIndex + 1; index < nextIndex; index += 1) if (!used[index]) missing.push(index);
    const paired = Math.min(missing.length, gapLines.length);
    for (let i = 0; i < paired; i += 1)
      differences.push({ kind: 'altered', index: missing[i]!, line: gapLines[i]! });
    const extraLines = gapLines.slice(paired);
    if (extraLines.length > 0)
      differences.push({
        kind: 'inserted',
        line: extraLines[0]!,
        count: extraLines.length,
        afterIndex: previousIndex,
      });
    pushRuns(missing.slice(paired), (index, count) =>
      differences.push({ kind: 'deleted', index, count, line: gapLines[paired] ?? nextLine }),
    );
    gapLines = [];
  };
  for (let line = 0; line < lines; line += 1) {
    const index = matched[line]!;
    if (index < 0) gapLines.push(line);
    else if (!inPlace[line]) differences.push({ kind: 'moved', index, line });
    else {
      closeGap(index, line);
      previousIndex = index;
    }
  }
  closeGap(reference.length, lines);
  return differences.sort((a, b) => a.line - b.line);
}

function pushRuns(indices: number[], push: (index: number, count: number) => void): void {
  let start = 0;
  for (let i = 1; i <= indices.length; i += 1) {
    if (i < indices.length && indices[i] === indices[i - 1]! + 1) continue;
    if (indices[start] !== undefined) push(indices[start]!, i - start);
    start = i;
  }
}

/** Marks the positions of one longest strictly increasing subsequence of the non-negative values. */
function longestIncreasingRun(values: Int32Array): Uint8Array {
  const tailValues: number[] = [];
  const tailPositions: number[] = [];
  const previous = new Int32Array(values.length).fill(-1);
  for (let position = 0; position < values.length; position += 1) {
    const value = values[position]!;
    if (value < 0) continue;
    let lo = 0;
    let hi = tailValues.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (tailValues[mid]! < value) lo = mid + 1;
      else hi = mid;
    }
    tailValues[lo] = value;
    tailPositions[lo] = position;
    previous[position] = lo > 0 ? tailPositions[lo - 1]! : -1;
  }
  const marks = new Uint8Array(values.length);
  let position = tailPositions.at(-1) ?? -1;
  while (position >= 0) {
    marks[position] = 1;
    position = previous[position]!;
  }
  return marks;
}
