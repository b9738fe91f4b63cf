// `ledger verify`: checks every entry against its leaf hash, every checkpoint signature, every checkpoint's
// tree head, inclusion and consistency proofs between successive checkpoints, and reports where the log
// was altered, truncated, reordered or extended, as entry index, file, line and byte offset.
import { stat } from 'node:fs/promises';
import { PalisadeError } from '../core/errors.ts';
import { HashList } from './hash-list.ts';
import {
  CHECKPOINTS_FILE,
  ENTRIES_FILE,
  LATEST_CHECKPOINT_FILE,
  LEAVES_FILE,
  ledgerPaths,
  readOptional,
  scanEntries,
} from './ledger-files.ts';
import { HASH_SIZE } from './merkle-hash.ts';
import { MerkleTree } from './merkle-tree.ts';
import type { NoteVerifier } from './signed-note.ts';
import { readSignedHeads, type SignedHead } from './verify-checkpoints.ts';
import { checkProofs, entryPosition, reportEntryDamage, reportLeafDamage } from './verify-entries.ts';
import type { LedgerProblem, LedgerVerification, ProblemSink } from './verify-report.ts';

export interface VerifyLedgerOptions {
  dir: string;
  verifier: NoteVerifier;
  /** The origin every checkpoint must carry; defaults to the verifier key's name. */
  origin?: string;
  /** Checkpoints saved elsewhere (a witness, a backup): the log must still contain what they vouch for. */
  trustedCheckpoints?: { source: string; note: string }[];
  /** Entries after the last checkpoint (a crash before the final checkpoint) are a warning, not an error. */
  allowUnsignedTail?: boolean;
  signal?: AbortSignal;
}

export async function verifyLedger(options: VerifyLedgerOptions): Promise<LedgerVerification> {
  const { dir, verifier } = options;
  const origin = options.origin ?? verifier.name;
  const info = await stat(dir).catch(() => undefined);
  if (!info?.isDirectory())
    throw new PalisadeError('input-not-found', `ledger directory ${dir} does not exist`);
  const paths = ledgerPaths(dir);
  const present = await Promise.all(
    [paths.entries, paths.leaves, paths.checkpoints, paths.latest].map((file) =>
      stat(file).then(
        () => true,
        () => false,
      ),
    ),
  );
  if (!present.some(Boolean))
    throw new PalisadeError(
      'input-not-found',
      `${dir} is not a ledger: it has none of ${ENTRIES_FILE}, ${LEAVES_FILE}, ${CHECKPOINTS_FILE}, ${LATEST_CHECKPOINT_FILE}`,
    );
  const problems: LedgerProblem[] = [];
  const problem: ProblemSink = (p) => {
    problems.push({ severity: 'error', ...p });
  };

  const heads = await readSignedHeads(paths, verifier, origin, options.trustedCheckpoints ?? [], problem);
  const signed = heads.history;
  const extraHeads = heads.published;

  // Leaves and entries.
  const leafBytes = (await readOptional(paths.leaves)) ?? Buffer.alloc(0);
  if (leafBytes.length % HASH_SIZE !== 0) {
    const offset = leafBytes.length - (leafBytes.length % HASH_SIZE);
    problem({
      kind: 'torn-write',
      message: `${leafBytes.length % HASH_SIZE} byte(s) of an incomplete leaf hash`,
      file: LEAVES_FILE,
      offset,
    });
  }
  const leaves = HashList.fromBytes(leafBytes);
  const scanned = await scanEntries(paths.entries, options.signal);
  if (scanned.tornTail)
    problem({
      kind: 'torn-write',
      message: `${scanned.tornTail.length} byte(s) without a final newline: an append that did not complete, not an entry`,
      file: ENTRIES_FILE,
      line: scanned.hashes.length + 1,
      offset: scanned.tornTail.offset,
      entryIndex: scanned.hashes.length,
    });
  const leafTree = treeOf(leaves);
  const entryTree = treeOf(scanned.hashes);

  // The reference: whichever of leaves.bin and entries.jsonl the signed checkpoints vouch for.
  const allHeads = [...signed, ...extraHeads, ...heads.trusted];
  const matches = (tree: MerkleTree, head: SignedHead) =>
    head.size <= tree.size && tree.root(head.size).equals(head.rootHash);
  const leafVotes = allHeads.filter((head) => matches(leafTree, head)).length;
  const entryVotes = allHeads.filter((head) => matches(entryTree, head)).length;
  const referenceIsLeaves = leafVotes >= entryVotes;
  const reference = referenceIsLeaves ? leafTree : entryTree;
  const referenceHashes = referenceIsLeaves ? leaves : scanned.hashes;
  const goodHeads = allHeads.filter((head) => matches(reference, head));
  const verifiedSize = goodHeads.reduce((max, head) => Math.max(max, head.size), 0);

  const at = (index: number) => entryPosition(scanned, index);
  const insertedAtEnd = referenceIsLeaves ? reportEntryDamage(leaves, scanned, problem) : 0;
  if (!referenceIsLeaves) reportLeafDamage(leaves, scanned, problem);

  for (const head of allHeads) {
    if (matches(reference, head)) continue;
    const label = head.position ? `checkpoint #${head.position}` : `${head.file}`;
    const where = {
      file: head.file,
      line: head.line,
      offset: head.offset,
      ...(head.position ? { checkpoint: head.position } : {}),
    };
    // The last checkpoint below this one that the log still reproduces: what changed lies after it.
    const below = goodHeads
      .filter((good) => good.size < head.size)
      .reduce((max, good) => Math.max(max, good.size), 0);
    if (head.size > reference.size) {
      // The signatures are over roots, so a log shorter than a checkpoint tells how many entries are gone,
      // not which: they were cut from the end only when a checkpoint still holds at the log's end.
      const missing = head.size - reference.size;
      const place =
        below === reference.size
          ? `entries ${below}..${head.size - 1} were removed from its end`
          : `${missing} entr${missing === 1 ? 'y is' : 'ies are'} missing somewhere in entries ${below}..${head.size - 1} (from ${ENTRIES_FILE} line ${below + 1}, byte ${at(below).offset}), ${
              below > 0
                ? `after the last checkpoint that still holds (size ${below})`
                : 'and no smaller checkpoint still holds'
            }; the signed roots cannot place ${missing === 1 ? 'it' : 'them'} more precisely`;
      problem({
        kind:
          head.file === LATEST_CHECKPOINT_FILE || head.position
            ? 'checkpoint-beyond-log'
            : 'trusted-checkpoint',
        message: `${label} vouches for ${head.size} entries but the log has ${reference.size}: ${place}`,
        ...where,
        entryIndex: below,
        entryCount: head.size - below,
      });
      continue;
    }
    problem({
      kind: head.position || head.file === LATEST_CHECKPOINT_FILE ? 'checkpoint-root' : 'trusted-checkpoint',
      message: `${label} (size ${head.size}) signed a different tree head: entries ${below}..${head.size - 1} (from ${ENTRIES_FILE} line ${below + 1}, byte ${at(below).offset}) were changed in both ${ENTRIES_FILE} and ${LEAVES_FILE}, or the checkpoint was signed for another log`,
      ...where,
      entryIndex: below,
      entryCount: head.size - below,
    });
  }

  // Entries the ledger wrote after its last signed checkpoint.
  // Entries under a validly signed checkpoint that no longer matches are reported with that checkpoint.
  const signedSize = allHeads.reduce((max, head) => Math.max(max, head.size), 0);
  const writtenCount = Math.min(scanned.hashes.length - insertedAtEnd, referenceHashes.length);
  const unsigned = writtenCount - signedSize;
  if (unsigned > 0)
    problem({
      kind: 'entries-unsigned',
      severity: options.allowUnsignedTail ? 'warning' : 'error',
      message: `${unsigned} entr${unsigned === 1 ? 'y' : 'ies'} (${signedSize}..${writtenCount - 1}) after the last signed checkpoint (size ${signedSize}) are not covered by any signature`,
      file: ENTRIES_FILE,
      ...at(signedSize),
      entryIndex: signedSize,
      entryCount: unsigned,
    });

  const proofsChecked = checkProofs(
    signed.filter((head) => matches(reference, head)),
    reference,
    problem,
  );
  const result: LedgerVerification = {
    ok: problems.every((p) => p.severity !== 'error'),
    dir,
    entries: scanned.hashes.length,
    checkpoints: heads.historyNotes,
    verifiedSize,
    rootHash: entryTree.root().toString('base64'),
    proofsChecked,
    problems: problems.sort((a, b) => fileRank(a.file) - fileRank(b.file) || a.offset - b.offset),
  };
  if (signed.length > 0 || extraHeads.length > 0) result.origin = origin;
  return result;
}

function fileRank(file: string): number {
  const order = [ENTRIES_FILE, LEAVES_FILE, CHECKPOINTS_FILE, LATEST_CHECKPOINT_FILE];
  const rank = order.indexOf(file);
  return rank < 0 ? order.length : rank;
}

function treeOf(hashes: HashList): MerkleTree {
  const tree = new MerkleTree();
  for (let index = 0; index < hashes.length; index += 1) tree.appendLeafHash(hashes.at(index));
  return tree;
}
