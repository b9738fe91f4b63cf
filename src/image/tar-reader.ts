// A streaming tar reader (POSIX ustar, pax and GNU long names) written for hostile input: every header is
// checked, sizes are bounded, and a stream that ends inside an entry is an error, not a short file.
import { PalisadeError } from '../core/errors.ts';
import { ByteReader } from './byte-reader.ts';
import { BLOCK, checksumMatches, cString, fail, numeric, parsePax, TYPES } from './tar-header.ts';

export type TarEntryType = 'file' | 'directory' | 'symlink' | 'hardlink' | 'char' | 'block' | 'fifo';

export interface TarHeader {
  /** Name as stored (pax `path` or GNU long name applied); not yet normalised. */
  name: string;
  type: TarEntryType;
  size: number;
  mode: number;
  linkName: string;
}

export interface TarEntry extends TarHeader {
  /** Reads the whole body; refuses bodies larger than `limit`. Call at most once, before the next entry. */
  bytes(limit: number): Promise<Buffer>;
  /** Streams the body. Call at most once, before the next entry. */
  chunks(): AsyncGenerator<Buffer>;
}

export interface TarLimits {
  /** Largest single entry accepted (declared size); bigger is refused as hostile. */
  maxEntrySize: number;
  /** Largest pax or GNU long-name record. */
  maxMetaSize: number;
}

export const DEFAULT_TAR_LIMITS: TarLimits = { maxEntrySize: 16 * 2 ** 30, maxMetaSize: 1024 * 1024 };

/**
 * Yields the entries of a tar stream. A body the caller does not read is skipped. Throws on a bad checksum,
 * an unknown or unsupported entry type (sparse, multi-volume), an oversized entry or a truncated stream.
 */
export async function* readTar(
  source: AsyncIterable<Uint8Array>,
  where: string,
  limits: TarLimits = DEFAULT_TAR_LIMITS,
): AsyncGenerator<TarEntry> {
  const reader = new ByteReader(source);
  let pax = new Map<string, string>();
  const globalPax = new Map<string, string>();
  let longName: string | undefined;
  let longLink: string | undefined;
  try {
    for (;;) {
      const offset = reader.position;
      const block = await reader.read(BLOCK);
      if (block.length === 0) return; // end without the two zero blocks: accepted, as GNU tar does
      if (block.length < BLOCK) fail(where, offset, 'stream ends inside a header (truncated)');
      if (block.every((byte) => byte === 0)) {
        const next = await reader.read(BLOCK);
        if (next.length === BLOCK && !next.every((byte) => byte === 0))
          fail(where, offset, 'a zero block followed by data');
        // Read to the end, so that digests computed over the whole stream are checked.
        while ((await reader.skip(1024 * 1024)) > 0);
        return;
      }
      const storedSum = numeric(block, 148, 8, where, offset);
      if (!checksumMatches(block, storedSum))
        fail(where, offset, 'header checksum mismatch (not a tar, or corrupt)');
      const flag = String.fromCharCode(block[156]!);
      let size = numeric(block, 124, 12, where, offset);
      const paxSize = pax.get('size') ?? globalPax.get('size');
      if (paxSize !== undefined) {
        if (!/^\d+$/.test(paxSize)) fail(where, offset, 'malformed pax size');
        size = Number(paxSize);
      }
      if (!Number.isSafeInteger(size)) fail(where, offset, 'entry size is not a safe integer');
      const padded = Math.ceil(size / BLOCK) * BLOCK;

      if (flag === 'x' || flag === 'g' || flag === 'L' || flag === 'K') {
        if (size > limits.maxMetaSize) fail(where, offset, `metadata record of ${size} bytes is too large`);
        const data = await reader.read(padded);
        if (data.length < padded) fail(where, offset, 'stream ends inside a metadata record (truncated)');
        const body = data.subarray(0, size);
        if (flag === 'x') pax = parsePax(body, where, offset);
        else if (flag === 'g')
          for (const [key, value] of parsePax(body, where, offset)) globalPax.set(key, value);
        else if (flag === 'L') longName = cString(body, 0, body.length);
        else longLink = cString(body, 0, body.length);
        continue;
      }
      const type = TYPES[flag];
      if (type === undefined)
        fail(
          where,
          offset,
          flag === 'S'
            ? 'sparse files are not supported'
            : `unsupported entry type "${flag.replace(/[^\x20-\x7e]/g, '?')}"`,
        );
      // Links, directories and devices carry no body; a size on them is ignored by tar (and skipped here).
      const bodySize = type === 'file' ? size : 0;
      if (bodySize > limits.maxEntrySize)
        fail(where, offset, `entry of ${bodySize} bytes exceeds the ${limits.maxEntrySize}-byte limit`);
      const magic = block.subarray(257, 263).toString('latin1');
      const prefix = magic.startsWith('ustar') && magic === 'ustar\0' ? cString(block, 345, 155) : '';
      let name = cString(block, 0, 100);
      if (prefix !== '') name = `${prefix}/${name}`;
      name = pax.get('path') ?? longName ?? name;
      const linkName = pax.get('linkpath') ?? longLink ?? cString(block, 157, 100);
      const mode = numeric(block, 100, 8, where, offset);
      pax = new Map();
      longName = undefined;
      longLink = undefined;
      if (name.includes('\0')) fail(where, offset, 'name contains a NUL byte');

      let consumed = false;
      const claim = (): void => {
        if (consumed) throw new PalisadeError('internal', `${where}: tar entry "${name}" body read twice`);
        consumed = true;
      };
      const entry: TarEntry = {
        name,
        type,
        size: bodySize,
        mode,
        linkName,
        async bytes(limit: number): Promise<Buffer> {
          claim();
          if (bodySize > limit)
            throw new PalisadeError(
              'input-unreadable',
              `${where}: "${name}" is ${bodySize} bytes, over ${limit}`,
            );
          const data = await reader.read(bodySize);
          if (data.length < bodySize) fail(where, offset, `stream ends inside "${name}" (truncated)`);
          return data;
        },
        async *chunks(): AsyncGenerator<Buffer> {
          claim();
          let got = 0;
          for await (const chunk of reader.stream(bodySize)) {
            got += chunk.length;
            yield chunk;
          }
          if (got < bodySize) fail(where, offset, `stream ends inside "${name}" (truncated)`);
        },
      };
      const bodyStart = reader.position;
      yield entry;
      // Skip whatever of the body (and its padding) the caller did not consume.
      const end = bodyStart + (type === 'file' ? padded : Math.ceil(size / BLOCK) * BLOCK);
      const remaining = end - reader.position;
      if (remaining > 0 && (await reader.skip(remaining)) < remaining) {
        // Padding after the last entry may be cut by some writers; a body may not.
        if (reader.position < bodyStart + bodySize)
          fail(where, offset, `stream ends inside "${name}" (truncated)`);
      }
    }
  } finally {
    await reader.close();
  }
}
