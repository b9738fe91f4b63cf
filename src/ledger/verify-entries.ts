// Locating entry damage for `ledger verify`: lines against the leaf hashes the checkpoints vouch for,
// leaves.bin against entries that the checkpoints vouch for, and the proofs between checkpoints.
import { diffEntries } from './entry-diff.ts';
import type { HashList } from './hash-list.ts';
import { ENTRIES_FILE, LEAVES_FILE, type ScannedEntries } from './ledger-files.ts';
import { HASH_SIZE } from './merkle-hash.ts';
import type { MerkleTree } from './merkle-tree.ts';
import { verifyConsistency, verifyInclusion } from './proof-verify.ts';
import type { SignedHead } from './verify-checkpoints.ts';
import type { ProblemSink } from './verify-report.ts';

/** Where entry `index` (0-based) starts in entries.jsonl. */
export function entryPosition(scanned: ScannedEntries, index: number): { line: number; offset: number } {
  return { line: index + 1, offset: scanned.offsets[index] ?? scanned.fileSize };
}

/**
 * Reports how the lines of entries.jsonl differ from the signed leaves; returns how many lines were
 * appended after the last leaf (they are reported here, not again as unsigned).
 */
export function reportEntryDamage(leaves: HashList, scanned: ScannedEntries, problem: ProblemSink): number {
  const at = (index: number) => entryPosition(scanned, index);
  let insertedAtEnd = 0;
  for (const difference of diffEntries(leaves, scanned.hashes)) {
    if (difference.kind === 'altered')
      problem({
        kind: 'entry-altered',
        message: `entry ${difference.index} was altered`,
        file: ENTRIES_FILE,
        ...at(difference.line),
        entryIndex: difference.index,
        entryCount: 1,
      });
    else if (difference.kind === 'moved')
      problem({
        kind: 'entry-moved',
        message: `entry ${difference.index} is out of order (found at line ${difference.line + 1})`,
        file: ENTRIES_FILE,
        ...at(difference.line),
        entryIndex: difference.index,
        entryCount: 1,
      });
    else if (difference.kind === 'inserted') {
      const atEnd =
        difference.line + difference.count === scanned.hashes.length &&
        difference.afterIndex === leaves.length - 1;
      if (atEnd) insertedAtEnd = difference.count;
      problem({
        kind: 'entry-inserted',
        message: `${difference.count} line(s) that the ledger never wrote (no leaf hash) ${
          atEnd ? 'were appended after the last entry' : `were inserted after entry ${difference.afterIndex}`
        }`,
        file: ENTRIES_FILE,
        ...at(difference.line),
        entryIndex: difference.afterIndex + 1,
        entryCount: difference.count,
      });
    } else {
      const truncated = difference.line >= scanned.hashes.length;
      const range =
        difference.count === 1
          ? `entry ${difference.index} is`
          : `entries ${difference.index}..${difference.index + difference.count - 1} are`;
      problem({
        kind: truncated ? 'entries-truncated' : 'entry-deleted',
        message: truncated ? `the log was truncated: ${range} missing from its end` : `${range} deleted`,
        file: ENTRIES_FILE,
        ...at(difference.line),
        entryIndex: difference.index,
        entryCount: difference.count,
      });
    }
  }
  return insertedAtEnd;
}

/** leaves.bin disagrees with entries that the checkpoints vouch for: say which leaf records differ. */
export function reportLeafDamage(leaves: HashList, scanned: ScannedEntries, problem: ProblemSink): void {
  const common = Math.min(leaves.length, scanned.hashes.length);
  let runStart = -1;
  for (let index = 0; index <= common; index += 1) {
    const differs = index < common && !leaves.at(index).equals(scanned.hashes.at(index));
    if (differs && runStart < 0) runStart = index;
    if (!differs && runStart >= 0) {
      problem({
        kind: 'leaf-altered',
        message: `leaf hashes of entries ${runStart}..${index - 1} do not match the signed entries`,
        file: LEAVES_FILE,
        offset: runStart * HASH_SIZE,
        entryIndex: runStart,
        entryCount: index - runStart,
      });
      runStart = -1;
    }
  }
  if (leaves.length < scanned.hashes.length)
    problem({
      kind: 'leaves-truncated',
      message: `${LEAVES_FILE} lacks the leaf hashes of entries ${leaves.length}..${scanned.hashes.length - 1}`,
      file: LEAVES_FILE,
      offset: leaves.length * HASH_SIZE,
      entryIndex: leaves.length,
      entryCount: scanned.hashes.length - leaves.length,
    });
}

/** Inclusion of each checkpoint's first new and last entry, and consistency with the checkpoint before it. */
export function checkProofs(
  heads: SignedHead[],
  tree: MerkleTree,
  problem: ProblemSink,
): { inclusion: number; consistency: number } {
  let inclusion = 0;
  let consistency = 0;
  let previous: SignedHead | undefined;
  for (const head of heads) {
    const where = { file: head.file, line: head.line, offset: head.offset, checkpoint: head.position! };
    if (head.size > 0) {
      const start = previous && previous.size < head.size ? previous.size : 0;
      for (const index of new Set([start, head.size - 1])) {
        const proof = tree.inclusionProof(index, head.size);
        const checked = verifyInclusion(index, head.size, tree.leafHash(index), proof, head.rootHash);
        inclusion += 1;
        if (!checked.ok)
          problem({
            kind: 'proof',
            message: `inclusion of entry ${index} in checkpoint #${head.position}: ${checked.reason}`,
            ...where,
          });
      }
    }
    if (previous && previous.size > 0 && previous.size <= head.size) {
      const proof = tree.consistencyProof(previous.size, head.size);
      const checked = verifyConsistency(previous.size, head.size, proof, previous.rootHash, head.rootHash);
      consistency += 1;
      if (!checked.ok)
        problem({
          kind: 'proof',
          message: `checkpoint #${previous.position} to #${head.position}: ${checked.reason}`,
          ...where,
        });
    }
    previous = head;
  }
  return { inclusion, consistency };
}
