// One writer per ledger directory: an exclusive lock file holding the writer's pid. A lock left by a
// process that no longer runs is taken over; a live holder is an error, since two writers would fork the log.
import { open, readFile, rm } from 'node:fs/promises';
import { PalisadeError } from '../core/errors.ts';

const heldInThisProcess = new Set<string>();

function isRunning(pid: number): boolean {
  if (pid === process.pid) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export async function acquireLock(file: string): Promise<() => Promise<void>> {
  if (heldInThisProcess.has(file))
    throw new PalisadeError('usage', `the ledger lock ${file} is already held by this process`);
  for (let attempt = 0; attempt < 2; attempt += 1) {
    try {
      const handle = await open(file, 'wx', 0o600);
      await handle.writeFile(`${process.pid}\n`);
      await handle.close();
      heldInThisProcess.add(file);
      return async () => {
        heldInThisProcess.delete(file);
        await rm(file, { force: true });
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const pid = Number.parseInt(await readFile(file, 'utf8').catch(() => ''), 10);
      if (Number.isInteger(pid) && pid > 0 && isRunning(pid))
        throw new PalisadeError(
          'input-unreadable',
          `the ledger is in use by process ${pid} (lock file ${file})`,
        );
      await rm(file, { force: true });
    }
  }
  throw new PalisadeError('input-unreadable', `cannot take the ledger lock ${file}`);
}
