// The ledger directory: what each file holds and how it is read back with byte positions.
//   entries.jsonl    one entry per line (the alert JSON), UTF-8, each line ends with "\n"
//   leaves.bin       the RFC 6962 leaf hash of every entry, 32 bytes each, in entry order
//   checkpoints.log  every signed checkpoint note ever written, concatenated, oldest first
//   checkpoint       the latest signed checkpoint note alone (what is published)
import { createHash, type Hash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { lstat, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PalisadeError } from '../core/errors.ts';
import { HashList } from './hash-list.ts';
import { hashLeaf, LEAF_PREFIX } from './merkle-hash.ts';

export const ENTRIES_FILE = 'entries.jsonl';
export const LEAVES_FILE = 'leaves.bin';
export const CHECKPOINTS_FILE = 'checkpoints.log';
export const LATEST_CHECKPOINT_FILE = 'checkpoint';
export const LOCK_FILE = 'lock';

export function ledgerPaths(dir: string) {
  return {
    entries: join(dir, ENTRIES_FILE),
    leaves: join(dir, LEAVES_FILE),
    checkpoints: join(dir, CHECKPOINTS_FILE),
    latest: join(dir, LATEST_CHECKPOINT_FILE),
    lock: join(dir, LOCK_FILE),
  };
}

/** The entries file read line by line: each complete line's leaf hash and where it starts. */
export interface ScannedEntries {
  hashes: HashList;
  /** offsets[i] = byte offset of entry i; offsets[count] = end of the last complete line. */
  offsets: number[];
  /** Bytes after the last newline: an append that did not complete (or was cut). */
  tornTail?: { offset: number; length: number };
  fileSize: number;
}

/**
 * Refuses a ledger file that is not a regular file. A symbolic link would send the writer's appends (or a
 * repair's truncation) to whatever it points at, and a directory or device is no ledger file: either is a
 * change someone made to the ledger directory, reported as such. A missing file is fine (returns false).
 */
export async function assertLedgerFile(file: string): Promise<boolean> {
  let info: Awaited<ReturnType<typeof lstat>>;
  try {
    info = await lstat(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw new PalisadeError('input-unreadable', `${file}: ${(error as Error).message}`, { cause: error });
  }
  if (info.isFile()) return true;
  const what = info.isSymbolicLink()
    ? 'a symbolic link'
    : info.isDirectory()
      ? 'a directory'
      : 'not a regular file';
  throw new PalisadeError(
    'input-unreadable',
    `${file} is ${what}; a ledger file must be a regular file (was the ledger directory tampered with?)`,
  );
}

/** Streams the entries file, hashing each line (without its newline) as a leaf; a missing file is empty. */
export async function scanEntries(file: string, signal?: AbortSignal): Promise<ScannedEntries> {
  if (!(await assertLedgerFile(file))) return { hashes: new HashList(), offsets: [0], fileSize: 0 };
  const hashes = new HashList();
  const offsets: number[] = [0];
  // A line split across chunks is hashed as it streams, so even a huge unterminated line costs no memory.
  let partial: Hash | undefined;
  let partialLength = 0;
  let position = 0;
  const stream = createReadStream(file, { highWaterMark: 1 << 20, ...(signal ? { signal } : {}) });
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      let start = 0;
      for (let newline = chunk.indexOf(10); newline >= 0; newline = chunk.indexOf(10, start)) {
        const piece = chunk.subarray(start, newline);
        hashes.push(partial ? partial.update(piece).digest() : hashLeaf(piece));
        partial = undefined;
        partialLength = 0;
        offsets.push(position + newline + 1);
        start = newline + 1;
      }
      if (start < chunk.length) {
        partial ??= createHash('sha256').update(LEAF_PREFIX);
        partial.update(chunk.subarray(start));
        partialLength += chunk.length - start;
      }
      position += chunk.length;
    }
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const scanned: ScannedEntries = { hashes, offsets, fileSize: position };
  if (partialLength > 0) scanned.tornTail = { offset: position - partialLength, length: partialLength };
  return scanned;
}

export async function readOptional(file: string): Promise<Buffer | undefined> {
  if (!(await assertLedgerFile(file))) return undefined;
  try {
    return await readFile(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/** One note found in the checkpoint history, with where it starts. */
export interface HistoryNote {
  note: string;
  /** 1-based line of the note's first line in checkpoints.log. */
  line: number;
  offset: number;
}

export interface HistoryDefect {
  reason: string;
  line: number;
  offset: number;
}

/**
 * Splits the history into notes: text lines, a blank line, then one or more "— " signature lines.
 * Anything else (a note without signatures, an unterminated last line) is a defect with its position.
 */
export function splitCheckpointHistory(bytes: Buffer): { notes: HistoryNote[]; defects: HistoryDefect[] } {
  const notes: HistoryNote[] = [];
  const defects: HistoryDefect[] = [];
  const lines: { text: string; offset: number }[] = [];
  let start = 0;
  for (let newline = bytes.indexOf(10); newline >= 0; newline = bytes.indexOf(10, start)) {
    lines.push({ text: bytes.toString('utf8', start, newline), offset: start });
    start = newline + 1;
  }
  // An unterminated last line is kept as a line, so that the note it cuts short is reported as torn.
  const tornAt = start < bytes.length ? lines.length : -1;
  if (tornAt >= 0) lines.push({ text: bytes.toString('utf8', start), offset: start });
  let index = 0;
  while (index < lines.length) {
    const first = index;
    while (index < lines.length && lines[index]!.text !== '' && index !== tornAt) index += 1;
    if (index === tornAt) {
      defects.push({
        reason: `a checkpoint write was cut short: ${bytes.length - start} byte(s) without a final newline at byte ${start}`,
        line: first + 1,
        offset: lines[first]!.offset,
      });
      break;
    }
    const blank = index;
    index += 1;
    while (index < lines.length && index !== tornAt && lines[index]!.text.startsWith('\u2014 ')) index += 1;
    const at = { line: first + 1, offset: lines[first]!.offset };
    if (index === tornAt) {
      defects.push({
        reason: `a checkpoint write was cut short: ${bytes.length - start} byte(s) without a final newline at byte ${start}`,
        ...at,
      });
      break;
    }
    if (blank >= lines.length || index === blank + 1) {
      defects.push({ reason: 'a checkpoint without signature lines', ...at });
      continue;
    }
    const note = `${lines
      .slice(first, index)
      .map((line) => line.text)
      .join('\n')}\n`;
    notes.push({ note, ...at });
  }
  return { notes, defects };
}
