// `ledger repair`: the explicit, recorded way past a torn write. The unfinished bytes are moved into a
// quarantine file named after their offset (kept, never deleted), a torn leaf record is cut, and entry
// lines that have no leaf hash (the writer did not record them: a crash between the two writes, or lines
// someone appended) are moved aside the same way, never signed. Nothing already signed is touched.
import { constants } from 'node:fs';
import { type FileHandle, open, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { PalisadeError } from '../core/errors.ts';
import { acquireLock } from './file-lock.ts';
import {
  assertLedgerFile,
  ENTRIES_FILE,
  LEAVES_FILE,
  ledgerPaths,
  readOptional,
  scanEntries,
} from './ledger-files.ts';
import { HASH_SIZE } from './merkle-hash.ts';

export interface RepairAction {
  file: string;
  offset: number;
  bytes: number;
  action: string;
}

/** Cuts a ledger file at `offset`, never through a symbolic link. */
async function cut(file: string, offset: number): Promise<void> {
  await assertLedgerFile(file);
  const handle = await open(file, constants.O_WRONLY | constants.O_NOFOLLOW);
  try {
    await handle.truncate(offset);
    await handle.datasync();
  } finally {
    await handle.close();
  }
}

/**
 * A new quarantine file. One already there (an earlier repair at the same offset: the file was cut there, and a
 * later write was torn at the same place) is kept, never overwritten: the new one gets a number.
 */
async function createQuarantine(dir: string, name: string): Promise<{ handle: FileHandle; name: string }> {
  for (let attempt = 0; ; attempt++) {
    const candidate = attempt === 0 ? name : `${name}.${attempt}`;
    try {
      const handle = await open(
        join(dir, candidate),
        constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW,
        0o600,
      );
      return { handle, name: candidate };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST' || attempt >= 1000) throw error;
    }
  }
}

/**
 * Moves the bytes of `file` from `offset` on into a new quarantine file in the ledger directory. They are
 * streamed, not read whole: what follows the last recorded entry can be any size.
 */
async function moveAside(dir: string, file: string, offset: number, quarantine: string): Promise<string> {
  await assertLedgerFile(file);
  const source = await open(file, constants.O_RDONLY | constants.O_NOFOLLOW);
  try {
    const target = await createQuarantine(dir, quarantine);
    try {
      // The streams close their handles; `flush` syncs the quarantine file to disk before it is closed.
      await pipeline(
        source.createReadStream({ start: offset }),
        target.handle.createWriteStream({ flush: true }),
      );
    } finally {
      await target.handle.close().catch(() => undefined);
    }
    await cut(file, offset);
    return target.name;
  } finally {
    await source.close().catch(() => undefined);
  }
}

export async function repairLedger(dir: string): Promise<RepairAction[]> {
  const info = await stat(dir).catch(() => undefined);
  if (!info?.isDirectory())
    throw new PalisadeError('input-not-found', `ledger directory ${dir} does not exist`);
  const paths = ledgerPaths(dir);
  const release = await acquireLock(paths.lock);
  try {
    const actions: RepairAction[] = [];
    const scanned = await scanEntries(paths.entries);
    if (scanned.tornTail) {
      const { offset, length } = scanned.tornTail;
      const quarantine = await moveAside(
        dir,
        paths.entries,
        offset,
        `torn-${ENTRIES_FILE}-at-${offset}.partial`,
      );
      actions.push({ file: ENTRIES_FILE, offset, bytes: length, action: `moved to ${quarantine}` });
    }
    let leafBytes = (await readOptional(paths.leaves)) ?? Buffer.alloc(0);
    const whole = leafBytes.length - (leafBytes.length % HASH_SIZE);
    if (whole !== leafBytes.length) {
      const quarantine = await moveAside(dir, paths.leaves, whole, `torn-${LEAVES_FILE}-at-${whole}.partial`);
      actions.push({
        file: LEAVES_FILE,
        offset: whole,
        bytes: leafBytes.length - whole,
        action: `moved to ${quarantine}`,
      });
      leafBytes = leafBytes.subarray(0, whole);
    }
    const leafCount = whole / HASH_SIZE;
    const entryCount = scanned.hashes.length;
    if (entryCount > leafCount) {
      const offset = scanned.offsets[leafCount]!;
      const quarantine = await moveAside(
        dir,
        paths.entries,
        offset,
        `unrecorded-${ENTRIES_FILE}-at-${offset}.jsonl`,
      );
      actions.push({
        file: ENTRIES_FILE,
        offset,
        bytes: scanned.offsets[entryCount]! - offset,
        action: `moved entries ${leafCount}..${entryCount - 1}, which have no leaf hash, to ${quarantine}`,
      });
    }
    return actions;
  } finally {
    await release();
  }
}
