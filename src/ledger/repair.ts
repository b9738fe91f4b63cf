// `ledger repair`: the explicit, recorded way past a torn write. The unfinished bytes are moved into a
// quarantine file named after their offset (kept, never deleted), a torn leaf record is cut, and leaf
// hashes are completed for entry lines that were fully written. Nothing already signed is touched.
import { open, readFile, stat, truncate, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PalisadeError } from '../core/errors.ts';
import { acquireLock } from './file-lock.ts';
import { ENTRIES_FILE, LEAVES_FILE, ledgerPaths, readOptional, scanEntries } from './ledger-files.ts';
import { HASH_SIZE } from './merkle-hash.ts';

export interface RepairAction {
  file: string;
  offset: number;
  bytes: number;
  action: string;
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
      const bytes = (await readFile(paths.entries)).subarray(offset);
      await writeFile(join(dir, quarantine), bytes, { mode: 0o600, flag: 'wx' });
      await truncate(paths.entries, offset);
      actions.push({ file: ENTRIES_FILE, offset, bytes: length, action: `moved to ${quarantine}` });
    }
    let leafBytes = (await readOptional(paths.leaves)) ?? Buffer.alloc(0);
    const whole = leafBytes.length - (leafBytes.length % HASH_SIZE);
    if (whole !== leafBytes.length) {
      const quarantine = `torn-${LEAVES_FILE}-at-${whole}.partial`;
      await writeFile(join(dir, quarantine), leafBytes.subarray(whole), { mode: 0o600, flag: 'wx' });
      await truncate(paths.leaves, whole);
      actions.push({
        file: LEAVES_FILE,
        offset: whole,
        bytes: leafBytes.length - whole,
        action: `moved to ${quarantine}`,
      });
      leafBytes = leafBytes.subarray(0, whole);
    }
    const leafCount = whole / HASH_SIZE;
    if (scanned.hashes.length > leafCount) {
      const missing = scanned.hashes.bytes().subarray(leafCount * HASH_SIZE);
      const handle = await open(paths.leaves, 'a');
      try {
        await handle.write(missing);
        await handle.datasync();
      } finally {
        await handle.close();
      }
      actions.push({
        file: LEAVES_FILE,
        offset: whole,
        bytes: missing.length,
        action: `added the leaf hashes of complete entries ${leafCount}..${scanned.hashes.length - 1}`,
      });
    }
    return actions;
  } finally {
    await release();
  }
}
