// Snapshot files on disk: recognised among scan inputs, read with validation, written a line per object.

import { constants as bufferConstants } from 'node:buffer';
import { randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { lstat, open, realpath, rename, stat, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { PalisadeError } from '../core/errors.ts';
import {
  type ClusterSnapshot,
  type ParsedSnapshot,
  parseSnapshot,
  SNAPSHOT_API_VERSION,
  SNAPSHOT_KIND,
  serializeSnapshot,
} from './snapshot.ts';

/** JSON.parse needs the whole text in one string: no more bytes than V8's longest string (UTF-8 never has fewer). */
export const MAX_SNAPSHOT_BYTES = Math.min(512 * 1024 * 1024, bufferConstants.MAX_STRING_LENGTH);
const SNIFF_BYTES = 64 * 1024;

/**
 * True when the bytes start as a snapshot does: a JSON object whose own (top-level) apiVersion and kind are the
 * snapshot's, within the first 64 KiB. The same strings nested deeper (a custom resource quoting them, a List's
 * item) do not count: that file is a manifest.
 */
export function startsAsSnapshot(bytes: Buffer): boolean {
  const fields = topLevelStrings(bytes.subarray(0, SNIFF_BYTES).toString('utf8'), ['apiVersion', 'kind']);
  return fields.get('apiVersion') === SNAPSHOT_API_VERSION && fields.get('kind') === SNAPSHOT_KIND;
}

/**
 * The string values of `wanted` keys of the top-level JSON object in `head` (which may be cut anywhere), found
 * by one pass that tracks strings and nesting depth; nothing is built for the rest.
 */
function topLevelStrings(head: string, wanted: readonly string[]): Map<string, string> {
  const found = new Map<string, string>();
  let at = 0;
  while (at < head.length && /\s/.test(head[at]!)) at++;
  if (head[at] !== '{') return found;
  let depth = 0;
  let key: string | undefined;
  let expectValue = false;
  for (; at < head.length && found.size < wanted.length; at++) {
    const c = head[at]!;
    if (c === '"') {
      const end = stringEnd(head, at);
      if (end < 0) break;
      if (depth === 1) {
        let text: string;
        try {
          text = JSON.parse(head.slice(at, end + 1)) as string;
        } catch {
          break;
        }
        if (expectValue) {
          if (key !== undefined && wanted.includes(key) && !found.has(key)) found.set(key, text);
          key = undefined;
          expectValue = false;
        } else key = text;
      }
      at = end;
    } else if (c === '{' || c === '[') {
      depth++;
      if (depth > 1) expectValue = false;
    } else if (c === '}' || c === ']') depth--;
    else if (c === ':' && depth === 1) expectValue = true;
    else if (c === ',' && depth === 1) {
      key = undefined;
      expectValue = false;
    }
  }
  return found;
}

/** Index of the quote closing the JSON string opened at `open`; -1 when the text ends first. */
function stringEnd(text: string, open: number): number {
  for (let i = open + 1; i < text.length; i++) {
    if (text[i] === '\\') i++;
    else if (text[i] === '"') return i;
  }
  return -1;
}

type FileHandle = Awaited<ReturnType<typeof open>>;

/**
 * Opens for reading without blocking: opening a FIFO for reading otherwise waits for a writer, forever if none
 * comes. The type is then checked on the opened file, so a swap between check and read changes nothing.
 */
async function openRegular(
  path: string,
): Promise<{ handle: FileHandle; size: number } | { problem: string }> {
  const handle = await open(path, constants.O_RDONLY | constants.O_NONBLOCK);
  const info = await handle.stat();
  if (info.isFile()) return { handle, size: info.size };
  await handle.close();
  return {
    problem: info.isDirectory() ? 'a directory, not a file' : 'not a regular file (a FIFO, socket or device)',
  };
}

/** True when `path` is a regular JSON file that names itself a ClusterSnapshot near its start. */
export async function isSnapshotFile(path: string): Promise<boolean> {
  let handle: FileHandle | undefined;
  try {
    const opened = await openRegular(path);
    // Other files, and unreadable ones, are the manifest loader's, which reports them.
    if ('problem' in opened) return false;
    handle = opened.handle;
    const buffer = Buffer.alloc(Math.min(SNIFF_BYTES, opened.size));
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
    return startsAsSnapshot(buffer.subarray(0, bytesRead));
  } catch {
    return false;
  } finally {
    await handle?.close();
  }
}

function tooLarge(shownAs: string, size: number): PalisadeError {
  return new PalisadeError(
    'input-unreadable',
    `snapshot ${shownAs}: ${size} bytes, over the limit of ${MAX_SNAPSHOT_BYTES} bytes for a snapshot`,
  );
}

/** Parses and validates the text of a snapshot (a file's, or standard input's). */
function parseSnapshotText(text: string, shownAs: string): ParsedSnapshot {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new PalisadeError(
      'input-unreadable',
      `snapshot ${shownAs}: not valid JSON (${(error as Error).message})`,
      { cause: error },
    );
  }
  return parseSnapshot(value, shownAs);
}

/** Parses a snapshot already read into memory (standard input), with the same limit as a file. */
export function parseSnapshotBuffer(data: Buffer, shownAs: string): ParsedSnapshot {
  if (data.length > MAX_SNAPSHOT_BYTES) throw tooLarge(shownAs, data.length);
  return parseSnapshotText(data.toString('utf8'), shownAs);
}

export async function readSnapshotFile(path: string, shownAs: string): Promise<ParsedSnapshot> {
  let handle: FileHandle | undefined;
  let text: string;
  try {
    const opened = await openRegular(path);
    if ('problem' in opened)
      throw new PalisadeError('input-unreadable', `snapshot ${shownAs}: ${opened.problem}`);
    handle = opened.handle;
    if (opened.size > MAX_SNAPSHOT_BYTES) throw tooLarge(shownAs, opened.size);
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
  return parseSnapshotText(text, shownAs);
}

/**
 * Where the snapshot for `path` goes: the file itself, or the regular file a symbolic link points to. Anything else
 * that exists there (a directory, FIFO, socket or device, or a link to one) is refused: writing to a device or
 * changing its permissions is never what `-o` asked for.
 */
async function writeTarget(path: string): Promise<string> {
  const link = await lstat(path).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return undefined;
    throw error;
  });
  if (link === undefined) return path;
  if (link.isFile()) return path;
  if (link.isSymbolicLink()) {
    const target = await stat(path).catch(() => undefined);
    // A dangling link: where it would lead is not ours to create.
    if (target === undefined) throw new Error('a symbolic link to nothing; give the path of a file');
    if (target.isFile()) return realpath(path);
    throw new Error('a symbolic link to something other than a regular file; give the path of a file');
  }
  if (link.isDirectory()) throw new Error('a directory; give the path of a file');
  throw new Error('not a regular file (a FIFO, socket or device); give the path of a file');
}

/**
 * Writes through a temporary file in the target's directory, renamed over the target when complete: a reader never
 * sees half a snapshot, a failed write leaves the old file as it was, and the file has mode 0600 from its creation.
 */
export async function writeSnapshotFile(
  path: string,
  snapshot: ClusterSnapshot,
  shownAs: string = path,
): Promise<void> {
  let temporary: string | undefined;
  let handle: FileHandle | undefined;
  try {
    const target = await writeTarget(path);
    temporary = join(dirname(target), `.${basename(target)}.${randomBytes(6).toString('hex')}.tmp`);
    // O_EXCL: never through a file or link someone placed there.
    handle = await open(temporary, 'wx', 0o600);
    // Pieces of about a megabyte: one string per object would be a system call each, one string for all too long.
    let pending: string[] = [];
    let size = 0;
    for (const chunk of serializeSnapshot(snapshot)) {
      pending.push(chunk);
      size += chunk.length;
      if (size >= 1024 * 1024) {
        await handle.writeFile(pending.join(''));
        pending = [];
        size = 0;
      }
    }
    if (pending.length > 0) await handle.writeFile(pending.join(''));
    await handle.sync();
    await handle.close();
    handle = undefined;
    await rename(temporary, target);
    temporary = undefined;
  } catch (error) {
    throw new PalisadeError(
      'output-unwritable',
      `cannot write snapshot ${shownAs}: ${(error as Error).message}`,
      { cause: error },
    );
  } finally {
    await handle?.close().catch(() => {});
    if (temporary !== undefined) await unlink(temporary).catch(() => {});
  }
}
