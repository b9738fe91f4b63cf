// The follower's position, persisted atomically (write, fsync, rename) after the events before it are handled,
// so a restart resumes exactly there: nothing lost, nothing repeated.
import { open, readFile, rename } from 'node:fs/promises';
import { PalisadeError } from '../../core/errors.ts';
import { isRecord } from '../../core/kube-object.ts';

export interface FollowPosition {
  path: string;
  /** Identity of the file the offset belongs to (survives renames by log rotation). */
  dev: number;
  ino: number;
  offset: number;
  /** 1-based number of the line that starts at `offset`, when known (for messages about bad lines). */
  line?: number;
}

/**
 * The saved position; undefined when there is none yet. A state file that cannot be read is an error; one that
 * holds no position (torn, foreign) is reported through `onNotice` and ignored, so reading starts over.
 */
export async function loadPosition(
  stateFile: string,
  onNotice?: (message: string) => void,
): Promise<FollowPosition | undefined> {
  let text: string;
  try {
    text = await readFile(stateFile, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new PalisadeError('input-unreadable', `state file ${stateFile}: ${(error as Error).message}`, {
      cause: error,
    });
  }
  try {
    const value: unknown = JSON.parse(text);
    if (
      isRecord(value) &&
      typeof value.path === 'string' &&
      Number.isSafeInteger(value.dev) &&
      Number.isSafeInteger(value.ino) &&
      Number.isSafeInteger(value.offset) &&
      (value.offset as number) >= 0
    ) {
      const position: FollowPosition = {
        path: value.path,
        dev: value.dev as number,
        ino: value.ino as number,
        offset: value.offset as number,
      };
      // Written by versions before line numbers, or not ours: positions then give bytes only.
      if (Number.isSafeInteger(value.line) && (value.line as number) >= 1)
        position.line = value.line as number;
      return position;
    }
  } catch {
    // Reported below, like a parsed value of the wrong shape.
  }
  onNotice?.(
    `state file ${stateFile} holds no saved position (torn or not ours); reading as if there were none`,
  );
  return undefined;
}

export async function savePosition(stateFile: string, position: FollowPosition): Promise<void> {
  const temporary = `${stateFile}.tmp`;
  const handle = await open(temporary, 'w', 0o600);
  try {
    await handle.writeFile(`${JSON.stringify(position)}\n`);
    await handle.sync();
  } finally {
    await handle.close();
  }
  await rename(temporary, stateFile);
}
