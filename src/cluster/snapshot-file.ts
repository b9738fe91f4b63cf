// Snapshot files on disk: recognised among scan inputs, read with validation, written a line per object.

import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { chmod, open } from 'node:fs/promises';
import { PalisadeError } from '../core/errors.ts';
import {
  type ClusterSnapshot,
  type ParsedSnapshot,
  parseSnapshot,
  SNAPSHOT_KIND,
  serializeSnapshot,
} from './snapshot.ts';

/** JSON.parse cannot take strings much larger than this in V8. */
export const MAX_SNAPSHOT_BYTES = 512 * 1024 * 1024;
const SNIFF_BYTES = 64 * 1024;

/** True when `path` is a regular JSON file that names itself a ClusterSnapshot near its start. */
export async function isSnapshotFile(path: string): Promise<boolean> {
  let handle: Awaited<ReturnType<typeof open>> | undefined;
  try {
    handle = await open(path);
    const stat = await handle.stat();
    if (!stat.isFile()) return false;
    const buffer = Buffer.alloc(Math.min(SNIFF_BYTES, stat.size));
    await handle.read(buffer, 0, buffer.length, 0);
    const head = buffer.toString('utf8');
    return head.trimStart().startsWith('{') && head.includes(`"${SNAPSHOT_KIND}"`);
  } catch {
    // Unreadable inputs are reported by the manifest loader, which reads them next.
    return false;
  } finally {
    await handle?.close();
  }
}

export async function readSnapshotFile(path: string, shownAs: string): Promise<ParsedSnapshot> {
  let handle: Awaited<ReturnType<typeof open>> | undefined;
  let text: string;
  try {
    handle = await open(path);
    const stat = await handle.stat();
    if (stat.size > MAX_SNAPSHOT_BYTES)
      throw new PalisadeError(
        'input-unreadable',
        `snapshot ${shownAs}: ${stat.size} bytes, over the limit of ${MAX_SNAPSHOT_BYTES}`,
      );
    text = await handle.readFile('utf8');
  } catch (error) {
    if (error instanceof PalisadeError) throw error;
    throw new PalisadeError(
      'input-unreadable',
      `cannot read snapshot ${shownAs}: ${(error as Error).message}`,
      { cause: error },
    );
  } finally {
    await handle?.close();
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new PalisadeError(
      'input-unreadable',
      `snapshot ${shownAs}: not valid JSON (${(error as Error).message})`,
      {
        cause: error,
      },
    );
  }
  return parseSnapshot(value, shownAs);
}

export async function writeSnapshotFile(path: string, snapshot: ClusterSnapshot): Promise<void> {
  const stream = createWriteStream(path, { mode: 0o600 });
  const failed = new Promise<never>((_, reject) => stream.once('error', reject));
  failed.catch(() => {});
  try {
    for (const chunk of serializeSnapshot(snapshot))
      if (!stream.write(chunk)) await Promise.race([once(stream, 'drain'), failed]);
    stream.end();
    await Promise.race([once(stream, 'finish'), failed]);
    // The mode given at creation does not apply to a file that already existed.
    await chmod(path, 0o600);
  } catch (error) {
    stream.destroy();
    throw new PalisadeError(
      'output-unwritable',
      `cannot write snapshot ${path}: ${(error as Error).message}`,
      {
        cause: error,
      },
    );
  }
}
