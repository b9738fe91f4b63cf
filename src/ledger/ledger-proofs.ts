// Proofs served from a ledger directory, as JSON a third party can check with the entry text, the leaf
// hash rule, and the signed checkpoint of the same size (included when one exists).
import { open } from 'node:fs/promises';
import { PalisadeError } from '../core/errors.ts';
import { parseCheckpoint } from './checkpoint.ts';
import { HashList } from './hash-list.ts';
import {
  CHECKPOINTS_FILE,
  ENTRIES_FILE,
  LEAVES_FILE,
  ledgerPaths,
  readOptional,
  scanEntries,
  splitCheckpointHistory,
} from './ledger-files.ts';
import { hashLeaf } from './merkle-hash.ts';
import { MerkleTree } from './merkle-tree.ts';

export interface InclusionProofDocument {
  leafIndex: number;
  treeSize: number;
  entry: string;
  leafHash: string;
  rootHash: string;
  proof: string[];
  /** The signed checkpoint note for `treeSize`, when the history has one. */
  checkpoint?: string;
}

export interface ConsistencyProofDocument {
  size1: number;
  size2: number;
  rootHash1: string;
  rootHash2: string;
  proof: string[];
  checkpoint1?: string;
  checkpoint2?: string;
}

/** A checkpoint note of the history, its signed root, and where it is (for refusals). */
interface HistoryCheckpoint {
  note: string;
  rootHash: Buffer;
  line: number;
}

interface LoadedLog {
  tree: MerkleTree;
  /** Checkpoints by size (signatures unverified here: the reader verifies them with the public key). */
  checkpointsBySize: Map<number, HistoryCheckpoint>;
  latestSize: number | undefined;
}

async function loadLog(dir: string): Promise<LoadedLog> {
  const paths = ledgerPaths(dir);
  const leafBytes = await readOptional(paths.leaves);
  if (leafBytes === undefined)
    throw new PalisadeError('input-not-found', `${dir} is not a ledger (no leaves.bin)`);
  const tree = new MerkleTree();
  const leaves = HashList.fromBytes(leafBytes);
  for (let index = 0; index < leaves.length; index += 1) tree.appendLeafHash(leaves.at(index));
  const checkpointsBySize = new Map<number, HistoryCheckpoint>();
  let latestSize: number | undefined;
  for (const { note, line } of splitCheckpointHistory(
    (await readOptional(paths.checkpoints)) ?? Buffer.alloc(0),
  ).notes) {
    const parsed = parseCheckpoint(note.slice(0, note.lastIndexOf('\n\n') + 1));
    if (!parsed.ok) continue;
    checkpointsBySize.set(parsed.checkpoint.size, { note, rootHash: parsed.checkpoint.rootHash, line });
    latestSize = parsed.checkpoint.size;
  }
  return { tree, checkpointsBySize, latestSize };
}

/**
 * The checkpoint note of `size` to attach to a proof, if the history has one. A proof is never issued
 * against a checkpoint it contradicts: when the leaves no longer give that checkpoint's root (entries
 * rewritten in entries.jsonl and leaves.bin alike, or leaves.bin alone), the proof is refused.
 */
function checkpointNoteFor(log: LoadedLog, size: number, root: Buffer): string | undefined {
  const checkpoint = log.checkpointsBySize.get(size);
  if (checkpoint === undefined) return undefined;
  if (!checkpoint.rootHash.equals(root))
    throw new PalisadeError(
      'input-unreadable',
      `the first ${size} leaves of ${LEAVES_FILE} do not reproduce the root hash of the checkpoint of size ${size} (${CHECKPOINTS_FILE} line ${checkpoint.line}), so the log was changed after it was signed: run ledger verify`,
    );
  return checkpoint.note;
}

function checkSize(value: number, name: string, max: number): void {
  if (!Number.isSafeInteger(value) || value < 0 || value > max)
    throw new PalisadeError('usage', `${name} must be a whole number from 0 to ${max}, got ${value}`);
}

/** The latest checkpoint names more leaves than the leaf file holds: the ledger is damaged, not the command line. */
function refuseShortLeaves(log: { latestSize: number | undefined; tree: { size: number } }): void {
  if (log.latestSize !== undefined && log.latestSize > log.tree.size)
    throw new PalisadeError(
      'input-unreadable',
      `the latest checkpoint is for ${log.latestSize} entries but the leaf file holds ${log.tree.size}: run ledger verify`,
    );
}

export async function inclusionProofFor(
  dir: string,
  leafIndex: number,
  treeSize?: number,
): Promise<InclusionProofDocument> {
  const log = await loadLog(dir);
  if (treeSize === undefined) refuseShortLeaves(log);
  const size = treeSize ?? log.latestSize ?? log.tree.size;
  checkSize(size, 'tree size', log.tree.size);
  if (!Number.isSafeInteger(leafIndex) || leafIndex < 0 || leafIndex >= size)
    throw new PalisadeError('usage', `entry index must be below the tree size ${size}, got ${leafIndex}`);
  const scanned = await scanEntries(ledgerPaths(dir).entries);
  if (leafIndex >= scanned.hashes.length)
    throw new PalisadeError('input-unreadable', `${ENTRIES_FILE} has no entry ${leafIndex}`);
  const leafHash = log.tree.leafHash(leafIndex);
  const rootHash = log.tree.root(size);
  const entryBytes = await readEntry(dir, scanned.offsets[leafIndex]!, scanned.offsets[leafIndex + 1]! - 1);
  if (!hashLeaf(entryBytes).equals(leafHash))
    throw new PalisadeError(
      'input-unreadable',
      `entry ${leafIndex} (${ENTRIES_FILE} line ${leafIndex + 1}) does not match its leaf hash: run ledger verify`,
    );
  const document: InclusionProofDocument = {
    leafIndex,
    treeSize: size,
    entry: entryBytes.toString('utf8'),
    leafHash: leafHash.toString('base64'),
    rootHash: rootHash.toString('base64'),
    proof: log.tree.inclusionProof(leafIndex, size).map((hash) => hash.toString('base64')),
  };
  const note = checkpointNoteFor(log, size, rootHash);
  if (note !== undefined) document.checkpoint = note;
  return document;
}

export async function consistencyProofFor(
  dir: string,
  size1: number,
  size2?: number,
): Promise<ConsistencyProofDocument> {
  const log = await loadLog(dir);
  if (size2 === undefined) refuseShortLeaves(log);
  const second = size2 ?? log.latestSize ?? log.tree.size;
  checkSize(second, 'size2', log.tree.size);
  checkSize(size1, 'size1', second);
  if (size1 === 0)
    throw new PalisadeError('usage', 'size1 must be at least 1: every tree extends the empty tree');
  const rootHash1 = log.tree.root(size1);
  const rootHash2 = log.tree.root(second);
  const note1 = checkpointNoteFor(log, size1, rootHash1);
  const note2 = checkpointNoteFor(log, second, rootHash2);
  const document: ConsistencyProofDocument = {
    size1,
    size2: second,
    rootHash1: rootHash1.toString('base64'),
    rootHash2: rootHash2.toString('base64'),
    proof: log.tree.consistencyProof(size1, second).map((hash) => hash.toString('base64')),
  };
  if (note1 !== undefined) document.checkpoint1 = note1;
  if (note2 !== undefined) document.checkpoint2 = note2;
  return document;
}

async function readEntry(dir: string, start: number, end: number): Promise<Buffer> {
  const handle = await open(ledgerPaths(dir).entries, 'r');
  try {
    const buffer = Buffer.alloc(end - start);
    await handle.read(buffer, 0, buffer.length, start);
    return buffer;
  } finally {
    await handle.close();
  }
}
