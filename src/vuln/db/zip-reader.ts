// A small ZIP reader on node:zlib for OSV `all.zip` exports: reads the central directory, then one entry at a
// time by positional reads, so a large archive never sits in memory. Hostile archives are refused with a reason.
import { type FileHandle, open } from 'node:fs/promises';
import { crc32, inflateRawSync } from 'node:zlib';
import { PalisadeError } from '../../core/errors.ts';

export interface ZipEntry {
  name: string;
  method: number;
  compressedSize: number;
  size: number;
  crc: number;
  localHeaderOffset: number;
}

export interface ZipLimits {
  /** Largest uncompressed entry accepted (an OSV record is a few kB; the biggest are well under 10 MiB). */
  maxEntrySize: number;
  maxEntries: number;
  /** Largest uncompressed/compressed ratio: a higher one is a decompression bomb. */
  maxRatio: number;
}

export const DEFAULT_ZIP_LIMITS: ZipLimits = {
  maxEntrySize: 32 * 1024 * 1024,
  maxEntries: 5_000_000,
  maxRatio: 1000,
};

const EOCD_SIGNATURE = 0x06054b50;
const ZIP64_LOCATOR_SIGNATURE = 0x07064b50;
const ZIP64_EOCD_SIGNATURE = 0x06064b50;
const CENTRAL_SIGNATURE = 0x02014b50;
const LOCAL_SIGNATURE = 0x04034b50;
const MAX_COMMENT = 0xffff;

function fail(path: string, message: string): PalisadeError {
  return new PalisadeError('input-unreadable', `${path}: not a readable ZIP archive: ${message}`);
}

async function readAt(handle: FileHandle, position: number, length: number, path: string): Promise<Buffer> {
  const buffer = Buffer.alloc(length);
  const { bytesRead } = await handle.read(buffer, 0, length, position);
  if (bytesRead !== length) throw fail(path, `truncated at byte ${position + bytesRead}`);
  return buffer;
}

function safeNumber(value: bigint, what: string, path: string): number {
  if (value > BigInt(Number.MAX_SAFE_INTEGER)) throw fail(path, `${what} is too large`);
  return Number(value);
}

/** Where the central directory is and how many entries it has, from the (ZIP64) end records. */
async function locateCentralDirectory(
  handle: FileHandle,
  fileSize: number,
  path: string,
): Promise<{ offset: number; size: number; entries: number }> {
  const tailLength = Math.min(fileSize, 22 + MAX_COMMENT + 20);
  const tailStart = fileSize - tailLength;
  const tail = await readAt(handle, tailStart, tailLength, path);
  let eocd = -1;
  for (let index = tail.length - 22; index >= 0; index--) {
    if (
      tail.readUInt32LE(index) === EOCD_SIGNATURE &&
      index + 22 + tail.readUInt16LE(index + 20) <= tail.length
    ) {
      eocd = index;
      break;
    }
  }
  if (eocd < 0) throw fail(path, 'no end-of-central-directory record');
  let entries = tail.readUInt16LE(eocd + 10);
  let size = tail.readUInt32LE(eocd + 12);
  let offset = tail.readUInt32LE(eocd + 16);
  if (tail.readUInt16LE(eocd + 4) !== 0 || tail.readUInt16LE(eocd + 6) !== 0)
    throw fail(path, 'multi-disk archives are not supported');
  const locator = eocd - 20;
  if (locator >= 0 && tail.readUInt32LE(locator) === ZIP64_LOCATOR_SIGNATURE) {
    const zip64Offset = safeNumber(tail.readBigUInt64LE(locator + 8), 'ZIP64 record offset', path);
    if (zip64Offset + 56 > fileSize) throw fail(path, 'ZIP64 record outside the file');
    const record = await readAt(handle, zip64Offset, 56, path);
    if (record.readUInt32LE(0) !== ZIP64_EOCD_SIGNATURE) throw fail(path, 'bad ZIP64 end record');
    entries = safeNumber(record.readBigUInt64LE(32), 'entry count', path);
    size = safeNumber(record.readBigUInt64LE(40), 'central directory size', path);
    offset = safeNumber(record.readBigUInt64LE(48), 'central directory offset', path);
  }
  if (offset + size > fileSize) throw fail(path, 'central directory outside the file');
  return { offset, size, entries };
}

function zip64Extra(extra: Buffer, entry: ZipEntry, path: string): void {
  let position = 0;
  while (position + 4 <= extra.length) {
    const id = extra.readUInt16LE(position);
    const length = extra.readUInt16LE(position + 2);
    const body = extra.subarray(position + 4, position + 4 + length);
    if (id === 0x0001) {
      let field = 0;
      const next = (): number => {
        if (field + 8 > body.length) throw fail(path, `${entry.name}: short ZIP64 extra field`);
        const value = safeNumber(body.readBigUInt64LE(field), 'ZIP64 field', path);
        field += 8;
        return value;
      };
      if (entry.size === 0xffffffff) entry.size = next();
      if (entry.compressedSize === 0xffffffff) entry.compressedSize = next();
      if (entry.localHeaderOffset === 0xffffffff) entry.localHeaderOffset = next();
    }
    position += 4 + length;
  }
}

/** Entries are read through a window of this size: sequential entries then cost one read per window, not two each. */
const WINDOW = 8 * 1024 * 1024;

export class ZipReader {
  readonly path: string;
  readonly entries: readonly ZipEntry[];
  readonly #handle: FileHandle;
  readonly #limits: ZipLimits;
  readonly #fileSize: number;
  #window: Buffer = Buffer.alloc(0);
  #windowStart = 0;

  private constructor(
    path: string,
    handle: FileHandle,
    entries: ZipEntry[],
    limits: ZipLimits,
    fileSize: number,
  ) {
    this.path = path;
    this.#handle = handle;
    this.entries = entries;
    this.#limits = limits;
    this.#fileSize = fileSize;
  }

  static async open(path: string, limits: ZipLimits = DEFAULT_ZIP_LIMITS): Promise<ZipReader> {
    const handle = await open(path, 'r');
    try {
      const { size: fileSize } = await handle.stat();
      const directory = await locateCentralDirectory(handle, fileSize, path);
      if (directory.entries > limits.maxEntries)
        throw fail(path, `${directory.entries} entries exceed the limit`);
      const central = await readAt(handle, directory.offset, directory.size, path);
      const entries: ZipEntry[] = [];
      let position = 0;
      for (let index = 0; index < directory.entries; index++) {
        if (position + 46 > central.length || central.readUInt32LE(position) !== CENTRAL_SIGNATURE)
          throw fail(path, `central directory entry ${index} is malformed`);
        const nameLength = central.readUInt16LE(position + 28);
        const extraLength = central.readUInt16LE(position + 30);
        const commentLength = central.readUInt16LE(position + 32);
        const end = position + 46 + nameLength + extraLength + commentLength;
        if (end > central.length) throw fail(path, `central directory entry ${index} overruns the directory`);
        const entry: ZipEntry = {
          name: central.toString('utf8', position + 46, position + 46 + nameLength),
          method: central.readUInt16LE(position + 10),
          crc: central.readUInt32LE(position + 16),
          compressedSize: central.readUInt32LE(position + 20),
          size: central.readUInt32LE(position + 24),
          localHeaderOffset: central.readUInt32LE(position + 42),
        };
        zip64Extra(
          central.subarray(position + 46 + nameLength, position + 46 + nameLength + extraLength),
          entry,
          path,
        );
        if ((central.readUInt16LE(position + 8) & 0x1) !== 0)
          throw fail(path, `${entry.name}: encrypted entries are not supported`);
        entries.push(entry);
        position = end;
      }
      return new ZipReader(path, handle, entries, limits, fileSize);
    } catch (error) {
      await handle.close();
      throw error;
    }
  }

  /** The entry's bytes, checked against its declared size and CRC-32. */
  async read(entry: ZipEntry): Promise<Buffer> {
    const where = `${this.path}!${entry.name}`;
    if (entry.size > this.#limits.maxEntrySize)
      throw fail(this.path, `${entry.name} is larger than ${this.#limits.maxEntrySize} bytes`);
    if (entry.compressedSize > 0 && entry.size / entry.compressedSize > this.#limits.maxRatio)
      throw fail(this.path, `${entry.name} has a suspicious compression ratio`);
    if (entry.localHeaderOffset + 30 > this.#fileSize)
      throw fail(this.path, `${entry.name}: local header outside the file`);
    const header = await this.#readWindowed(entry.localHeaderOffset, 30, where);
    if (header.readUInt32LE(0) !== LOCAL_SIGNATURE) throw fail(this.path, `${entry.name}: bad local header`);
    const dataStart = entry.localHeaderOffset + 30 + header.readUInt16LE(26) + header.readUInt16LE(28);
    if (dataStart + entry.compressedSize > this.#fileSize)
      throw fail(this.path, `${entry.name}: data outside the file`);
    const compressed = await this.#readWindowed(dataStart, entry.compressedSize, where);
    let data: Buffer;
    if (entry.method === 0) data = compressed;
    else if (entry.method === 8) {
      try {
        // maxOutputLength stops a bomb while inflating, not after.
        data = inflateRawSync(compressed, { maxOutputLength: Math.max(entry.size, 1) });
      } catch (error) {
        throw fail(this.path, `${entry.name}: ${(error as Error).message}`);
      }
    } else throw fail(this.path, `${entry.name}: compression method ${entry.method} is not supported`);
    if (data.length !== entry.size)
      throw fail(this.path, `${entry.name}: size ${data.length} differs from the declared ${entry.size}`);
    if (crc32(data) >>> 0 !== entry.crc) throw fail(this.path, `${entry.name}: CRC-32 mismatch`);
    return data;
  }

  async #readWindowed(position: number, length: number, where: string): Promise<Buffer> {
    const offset = position - this.#windowStart;
    if (offset < 0 || offset + length > this.#window.length) {
      this.#windowStart = position;
      this.#window = await readAt(
        this.#handle,
        position,
        Math.min(Math.max(length, WINDOW), this.#fileSize - position),
        where,
      );
      if (this.#window.length < length)
        throw fail(this.path, `truncated at byte ${position + this.#window.length}`);
      return this.#window.subarray(0, length);
    }
    return this.#window.subarray(offset, offset + length);
  }

  async close(): Promise<void> {
    await this.#handle.close();
  }
}
