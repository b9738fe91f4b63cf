// Temporary directories a scan owns (decompressed archives, spilled layer files, downloads), removed on every way out:
// normally by the scan's own cleanup, and otherwise by a synchronous `exit` handler, which also runs on
// process.exit() (a second Ctrl-C), where no asynchronous cleanup gets to run. Only SIGKILL escapes both.
import { mkdtempSync, rmSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const live = new Set<string>();

function removeAllNow(): void {
  for (const dir of live) {
    try {
      rmSync(dir, { recursive: true, force: true });
    } catch {
      // Exiting anyway: nothing more can be done for this one.
    }
  }
  live.clear();
}

/**
 * Creates a private directory under `parent` (the system temp directory unless given), registered for removal
 * at exit. Synchronous on purpose: there is no moment where the directory exists and is not registered.
 */
export function createTempDir(prefix: string, parent = tmpdir()): string {
  const dir = mkdtempSync(join(parent, prefix));
  if (live.size === 0) process.on('exit', removeAllNow);
  live.add(dir);
  return dir;
}

/** Removes a directory made by createTempDir, and its exit registration; safe to call more than once. */
export async function removeTempDir(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true });
  if (live.delete(dir) && live.size === 0) process.off('exit', removeAllNow);
}

/** The directories still registered for removal at exit (for tests and diagnostics). */
export function liveTempDirs(): string[] {
  return [...live];
}
