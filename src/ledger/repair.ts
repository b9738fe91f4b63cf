// `ledger repair`: the explicit, recorded way past a torn write. The unfinished bytes are moved into a
// quarantine file named after their offset (kept, never deleted), a torn leaf record is cut, and entry
// lines that have no leaf hash (the writer did not record them: a crash between the two writes, or lines
// someone appended) are moved aside the same way, never signed. Nothing already signed is touched.
import { constants } from 'node:fs';
import { open, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
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

/** Moves the bytes of `file` from `offset` on into a new quarantine file in the ledger directory. */
async function moveAside(dir: string, file: string, offset: number, quarantine: string): Promise<void> {
  const bytes = (await readFile(file)).subarray(offset);
  await writeFile(join(dir, quarantine), bytes, { mode: 0o600, flag: 'wx' });
  await cut(file, offset);
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
      const quarantine = `torn-${ENTRIES_FILE}-at-${offset}.partial`;
      await moveAside(dir, paths.entries, offset, quarantine);
      actions.push({ file: ENTRIES_FILE, offset, bytes: length, action: `moved to ${quarantine}` });
    }
    let leafBytes = (await readOptional(paths.leaves)) ?? Buffer.alloc(0);
    const whole = leafBytes.length - (leafBytes.length % HASH_SIZE);
    if (whole !== leafBytes.length) {
      const quarantine = `torn-${LEAVES_FILE}-at-${whole}.partial`;
      await moveAside(dir, paths.leaves, whole, quarantine);
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
      const quarantine = `unrecorded-${ENTRIES_FILE}-at-${offset}.jsonl`;
      await moveAside(dir, paths.entries, offset, quarantine);
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
