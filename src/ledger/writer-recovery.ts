// What a writer finds when it opens an existing ledger. It refuses (never silently repairs) a torn write,
// files that disagree with each other, leaves that no longer match the last signed checkpoint, and entry
// lines that have no leaf hash: each refusal names the file and byte offset. A line without its leaf hash is
// either a crash between the two writes or a line someone appended; the writer cannot tell which, so it
// never signs one (`ledger repair` moves such lines aside, kept for review).
import { PalisadeError } from '../core/errors.ts';
import { parseCheckpoint } from './checkpoint.ts';
import {
  CHECKPOINTS_FILE,
  ENTRIES_FILE,
  LATEST_CHECKPOINT_FILE,
  LEAVES_FILE,
  ledgerPaths,
  readOptional,
  scanEntries,
  splitCheckpointHistory,
} from './ledger-files.ts';
import { HASH_SIZE } from './merkle-hash.ts';
import { MerkleTree } from './merkle-tree.ts';
import { type NoteVerifier, openNote } from './signed-note.ts';

export interface WriterState {
  tree: MerkleTree;
  checkpointSize: number;
  /** The last signed note in the history, to rewrite a stale `checkpoint` file from. */
  latestNote?: string;
  latestFileStale: boolean;
}

const refuse = (dir: string, message: string) =>
  new PalisadeError(
    'input-unreadable',
    `ledger ${dir}: ${message}; run "palisade ledger verify ${dir} --key <public key>" for the full report`,
  );

export async function recoverWriterState(
  dir: string,
  origin: string,
  verifier: NoteVerifier,
): Promise<WriterState> {
  const paths = ledgerPaths(dir);
  const leafBytes = (await readOptional(paths.leaves)) ?? Buffer.alloc(0);
  if (leafBytes.length % HASH_SIZE !== 0)
    throw refuse(
      dir,
      `${LEAVES_FILE} ends with a torn record at byte offset ${leafBytes.length - (leafBytes.length % HASH_SIZE)}`,
    );
  const scanned = await scanEntries(paths.entries);
  if (scanned.tornTail)
    throw refuse(
      dir,
      `${ENTRIES_FILE} ends with a torn write: ${scanned.tornTail.length} byte(s) without a newline at byte offset ${
        scanned.tornTail.offset
      } (line ${scanned.hashes.length + 1}); "palisade ledger repair ${dir}" moves them aside`,
    );

  const historyBytes = (await readOptional(paths.checkpoints)) ?? Buffer.alloc(0);
  const history = splitCheckpointHistory(historyBytes);
  const defect = history.defects[0];
  if (defect)
    throw refuse(
      dir,
      `${CHECKPOINTS_FILE} line ${defect.line} (byte offset ${defect.offset}): ${defect.reason}`,
    );
  const last = history.notes.at(-1);
  let checkpointSize = 0;
  let checkpointRoot: Buffer | undefined;
  if (last) {
    const opened = openNote(last.note, verifier);
    if (!opened.ok) throw refuse(dir, `${CHECKPOINTS_FILE} line ${last.line}: ${opened.reason}`);
    const parsed = parseCheckpoint(opened.text);
    if (!parsed.ok) throw refuse(dir, `${CHECKPOINTS_FILE} line ${last.line}: ${parsed.reason}`);
    if (parsed.checkpoint.origin !== origin)
      throw refuse(dir, `the log's origin is "${parsed.checkpoint.origin}", not "${origin}"`);
    checkpointSize = parsed.checkpoint.size;
    checkpointRoot = parsed.checkpoint.rootHash;
  }
  // Entries with no signed checkpoint at all: the history was removed, or the entries came from elsewhere (a
  // writer that stopped before its first checkpoint is the rare honest case). Signing them now would vouch for
  // whatever they have become, so they are refused; the directory stays as it is, as evidence.
  const entriesHere = Math.max(leafBytes.length / HASH_SIZE, scanned.hashes.length);
  if (!last && entriesHere > 0)
    throw refuse(
      dir,
      `${entriesHere} entries but no signed checkpoint in ${CHECKPOINTS_FILE}: the checkpoint history was removed, the entries were written by something else, or a writer stopped before its first checkpoint; refusing to sign entries nothing vouches for (keep this directory as evidence and start a new ledger)`,
    );
  const latestBytes = await readOptional(paths.latest);
  const latestFileStale = latestBytes?.toString('utf8') !== last?.note;
  if (latestBytes !== undefined && latestFileStale) {
    // Only the crash window between appending to the history and replacing the file is forgiven.
    const opened = openNote(latestBytes.toString('utf8'), verifier);
    const parsed = opened.ok ? parseCheckpoint(opened.text) : undefined;
    if (!last || !parsed?.ok || parsed.checkpoint.size > checkpointSize)
      throw refuse(
        dir,
        `${LATEST_CHECKPOINT_FILE} does not match the last checkpoint in ${CHECKPOINTS_FILE}`,
      );
  }

  const tree = new MerkleTree();
  for (let offset = 0; offset < leafBytes.length; offset += HASH_SIZE)
    tree.appendLeafHash(leafBytes.subarray(offset, offset + HASH_SIZE));
  const leafCount = tree.size;
  if (checkpointSize > leafCount)
    throw refuse(
      dir,
      `${LEAVES_FILE} holds ${leafCount} leaves but the last checkpoint covers ${checkpointSize}`,
    );
  if (checkpointRoot && !tree.root(checkpointSize).equals(checkpointRoot))
    throw refuse(
      dir,
      `${LEAVES_FILE} does not match the root hash of the last checkpoint (size ${checkpointSize})`,
    );
  const entryCount = scanned.hashes.length;
  // The first line that disagrees with its leaf hash is where the two files part; with fewer lines than
  // leaves, a deletion there shifts every later line, so that place (not the end) is what to report.
  const common = Math.min(entryCount, leafCount);
  let firstMismatch = 0;
  while (firstMismatch < common && scanned.hashes.at(firstMismatch).equals(tree.leafHash(firstMismatch)))
    firstMismatch += 1;
  const place = (index: number) =>
    `entry ${index} (${ENTRIES_FILE} line ${index + 1}, byte offset ${scanned.offsets[index]})`;
  if (entryCount < leafCount)
    throw refuse(
      dir,
      firstMismatch < common
        ? `${ENTRIES_FILE} holds ${entryCount} entries but ${LEAVES_FILE} ${leafCount}, and they disagree from ${place(firstMismatch)} on: entries were deleted or changed there`
        : `${ENTRIES_FILE} holds ${entryCount} entries but ${LEAVES_FILE} ${leafCount}: entries from index ${entryCount} (byte offset ${scanned.offsets[entryCount]}) are missing from its end`,
    );
  if (firstMismatch < common) throw refuse(dir, `${place(firstMismatch)} does not match its leaf hash`);
  if (entryCount > leafCount)
    throw refuse(
      dir,
      `${ENTRIES_FILE} holds ${entryCount - leafCount} line(s) without a leaf hash from entry ${leafCount} (line ${
        leafCount + 1
      }, byte offset ${scanned.offsets[leafCount]}): lines this writer did not record (appended by someone else, or a crash between an entry and its leaf hash); "palisade ledger repair ${dir}" moves them aside`,
    );
  const state: WriterState = { tree, checkpointSize, latestFileStale };
  if (last) state.latestNote = last.note;
  return state;
}
