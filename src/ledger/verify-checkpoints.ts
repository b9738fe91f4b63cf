// Reading the signed checkpoints for `ledger verify`: every note of the history, the published
// `checkpoint` file, and checkpoints kept elsewhere, each opened with the key and reported where it fails.
import { parseCheckpoint } from './checkpoint.ts';
import {
  CHECKPOINTS_FILE,
  LATEST_CHECKPOINT_FILE,
  type ledgerPaths,
  readOptional,
  splitCheckpointHistory,
} from './ledger-files.ts';
import { type NoteVerifier, openNote } from './signed-note.ts';
import type { ProblemSink } from './verify-report.ts';

/** A checkpoint that opened with the key: its tree head, and where it came from, for reports. */
export interface SignedHead {
  size: number;
  rootHash: Buffer;
  file: string;
  line: number;
  offset: number;
  /** 1-based position in checkpoints.log (undefined for other sources). */
  position?: number;
}

export interface SignedHeads {
  /** Valid notes of checkpoints.log, in file order. */
  history: SignedHead[];
  historyNotes: number;
  /** The published `checkpoint`, when it is not the history's last note. */
  published: SignedHead[];
  trusted: SignedHead[];
}

export async function readSignedHeads(
  paths: ReturnType<typeof ledgerPaths>,
  verifier: NoteVerifier,
  origin: string,
  trustedCheckpoints: readonly { source: string; note: string }[],
  problem: ProblemSink,
): Promise<SignedHeads> {
  // Checkpoints: the history, then the published latest one.
  const history = splitCheckpointHistory((await readOptional(paths.checkpoints)) ?? Buffer.alloc(0));
  for (const defect of history.defects)
    problem({
      kind: defect.reason.includes('newline') ? 'torn-write' : 'checkpoint-malformed',
      message: defect.reason,
      file: CHECKPOINTS_FILE,
      line: defect.line,
      offset: defect.offset,
    });
  const signed: SignedHead[] = [];
  const openHead = (note: string, at: Omit<SignedHead, 'size' | 'rootHash'>): SignedHead | undefined => {
    const where = {
      file: at.file,
      line: at.line,
      offset: at.offset,
      ...(at.position ? { checkpoint: at.position } : {}),
    };
    const label = at.position ? `checkpoint #${at.position}` : 'checkpoint';
    const opened = openNote(note, verifier);
    if (!opened.ok) {
      problem({ kind: 'checkpoint-signature', message: `${label}: ${opened.reason}`, ...where });
      return undefined;
    }
    const parsed = parseCheckpoint(opened.text);
    if (!parsed.ok) {
      problem({ kind: 'checkpoint-malformed', message: `${label}: ${parsed.reason}`, ...where });
      return undefined;
    }
    if (parsed.checkpoint.origin !== origin) {
      problem({
        kind: 'checkpoint-origin',
        message: `${label} is for origin "${parsed.checkpoint.origin}", not "${origin}"`,
        ...where,
      });
      return undefined;
    }
    return { size: parsed.checkpoint.size, rootHash: parsed.checkpoint.rootHash, ...at };
  };
  history.notes.forEach((entry, index) => {
    const head = openHead(entry.note, {
      file: CHECKPOINTS_FILE,
      line: entry.line,
      offset: entry.offset,
      position: index + 1,
    });
    if (head) signed.push(head);
  });
  let previous: SignedHead | undefined;
  for (const head of signed) {
    if (previous && head.size < previous.size)
      problem({
        kind: 'checkpoint-order',
        message: `checkpoint #${head.position} (size ${head.size}) comes after checkpoint #${previous.position} (size ${previous.size}): checkpoints were reordered or rolled back`,
        file: head.file,
        line: head.line,
        offset: head.offset,
        checkpoint: head.position!,
      });
    previous = head;
  }
  const extraHeads: SignedHead[] = [];
  const latestBytes = await readOptional(paths.latest);
  const lastNote = history.notes.at(-1)?.note;
  if (latestBytes === undefined) {
    if (lastNote !== undefined)
      problem({
        kind: 'latest-checkpoint',
        message: `${LATEST_CHECKPOINT_FILE} is missing`,
        file: LATEST_CHECKPOINT_FILE,
        offset: 0,
      });
  } else if (latestBytes.toString('utf8') !== lastNote) {
    const head = openHead(latestBytes.toString('utf8'), { file: LATEST_CHECKPOINT_FILE, line: 1, offset: 0 });
    if (head) {
      const largest = signed.reduce((max, h) => Math.max(max, h.size), 0);
      problem({
        kind: 'latest-checkpoint',
        message:
          head.size > largest
            ? `${LATEST_CHECKPOINT_FILE} (size ${head.size}) is newer than every checkpoint in ${CHECKPOINTS_FILE} (up to ${largest}): the history was truncated`
            : `${LATEST_CHECKPOINT_FILE} (size ${head.size}) is not the last checkpoint of ${CHECKPOINTS_FILE}: it was replaced or the history was extended`,
        file: LATEST_CHECKPOINT_FILE,
        line: 1,
        offset: 0,
      });
      extraHeads.push(head);
    }
  }
  const trustedHeads: SignedHead[] = [];
  for (const trusted of trustedCheckpoints) {
    const head = openHead(trusted.note, { file: trusted.source, line: 1, offset: 0 });
    if (head) trustedHeads.push(head);
  }

  return {
    history: signed,
    historyNotes: history.notes.length,
    published: extraHeads,
    trusted: trustedHeads,
  };
}
