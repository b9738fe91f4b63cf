// The one ZIP reader, for hostile input: JAR/WAR/EAR files (in memory, nested archives included) and OSV
// `all.zip` exports (from disk by positional reads, so a large archive never sits in memory). ZIP64 end records
// and extra fields are read; the central directory and every entry are bounds-checked; entry count, entry size
// and compression ratio are capped before inflating, and inflating is capped again at the declared size;
// each entry's size and CRC-32 are checked. Stored and deflated entries only; hostile archives are refused
// with a reason. Entry names are only ever used as labels: nothing is extracted to disk.
import { type FileHandle, open } from 'node:fs/promises';
import { crc32, inflateRawSync } from 'node:zlib';
import { PalisadeError } from '../core/errors.ts';

export interface ZipEntry {
  name: string;
  method: number;
  compressedSize: number;
  size: number;
  crc: number;
  localHeaderOffset: number;
  encrypted: boolean;
}

export interface ZipLimits {
  /** Largest uncompressed entry accepted (an OSV record is a few kB; the biggest are well under 10 MiB). */
  maxEntrySize: number;
  maxEntries: number;
  /** Largest uncompressed/compressed ratio: a higher one is a decompression bomb. */
  maxRatio: number;
  /** Refuse the whole archive when an entry is encrypted; otherwise only reading that entry fails. */
  refuseEncrypted: boolean;
}

/** For OSV exports: every entry is read, so an archive they cannot all be read from is refused up front. */
export const DEFAULT_ZIP_LIMITS: ZipLimits = {
  maxEntrySize: 32 * 1024 * 1024,
  maxEntries: 5_000_000,
  maxRatio: 1000,
  refuseEncrypted: true,
};

const EOCD_SIGNATURE = 0x06054b50;
const ZIP64_LOCATOR_SIGNATURE = 0x07064b50;
const ZIP64_EOCD_SIGNATURE = 0x06064b50;
const CENTRAL_SIGNATURE = 0x02014b50;
const LOCAL_SIGNATURE = 0x04034b50;
const MAX_COMMENT = 0xffff;

function fail(where: string, message: string): PalisadeError {
  return new PalisadeError('input-unreadable', `${where}: not a readable ZIP archive: ${message}`);
}

function safeNumber(value: bigint, what: string, where: string): number {
  if (value > BigInt(Number.MAX_SAFE_INTEGER)) throw fail(where, `${what} is too large`);
  return Number(value);
}

/** Where the archive's bytes come from: a buffer, or a file read by position. */
interface ByteSource {
  readonly size: number;
  /** Exactly `length` bytes at `position`, or a "truncated" refusal. */
  read(position: number, length: number): Promise<Buffer>;
  close(): Promise<void>;
}

function bufferSource(data: Buffer, where: string): ByteSource {
  return {
    size: data.length,
    async read(position, length) {
      if (position + length > data.length) throw fail(where, `truncated at byte ${data.length}`);
      return data.subarray(position, position + length);
    },
    async close() {},
  };
}

/** Entries are read through a window of this size: sequential entries then cost one read per window, not two each. */
const WINDOW = 8 * 1024 * 1024;

function fileSource(handle: FileHandle, size: number, where: string): ByteSource {
  const readAt = async (position: number, length: number): Promise<Buffer> => {
    const buffer = Buffer.alloc(length);
    const { bytesRead } = await handle.read(buffer, 0, length, position);
    if (bytesRead !== length) throw fail(where, `truncated at byte ${position + bytesRead}`);
    return buffer;
  };
  let window: Buffer = Buffer.alloc(0);
  let windowStart = 0;
  return {
    size,
    async read(position, length) {
      const offset = position - windowStart;
      if (offset >= 0 && offset + length <= window.length) return window.subarray(offset, offset + length);
      if (position + length > size) throw fail(where, `truncated at byte ${size}`);
      windowStart = position;
      window = await readAt(position, Math.min(Math.max(length, WINDOW), size - position));
      return window.subarray(0, length);
    },
    close: () => handle.close(),
  };
}

/**
 * Where the central directory is and how many entries it has, from the (ZIP64) end records. `base` is where the
 * archive starts in the file: bytes prepended to an archive (the launch script of a Spring Boot "fully executable"
 * jar, a self-extractor stub) shift every recorded offset, so like Go's archive/zip it is worked out as where the
 * end record is, less the directory's size and recorded offset, and added to every offset read.
 */
async function locateCentralDirectory(
  source: ByteSource,
  where: string,
): Promise<{ offset: number; size: number; entries: number; base: number }> {
  const tailLength = Math.min(source.size, 22 + MAX_COMMENT + 20);
  const tailStart = source.size - tailLength;
  const tail = await source.read(tailStart, tailLength);
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
  if (eocd < 0) throw fail(where, 'no end-of-central-directory record');
  let entries = tail.readUInt16LE(eocd + 10);
  let size = tail.readUInt32LE(eocd + 12);
  let offset = tail.readUInt32LE(eocd + 16);
  // The directory ends where the record after it starts: the ZIP64 end record when there is one.
  let directoryEnd = tailStart + eocd;
  if (tail.readUInt16LE(eocd + 4) !== 0 || tail.readUInt16LE(eocd + 6) !== 0)
    throw fail(where, 'multi-disk archives are not supported');
  const locator = eocd - 20;
  if (locator >= 0 && tail.readUInt32LE(locator) === ZIP64_LOCATOR_SIGNATURE) {
    let zip64Offset = safeNumber(tail.readBigUInt64LE(locator + 8), 'ZIP64 record offset', where);
    if (zip64Offset + 56 > source.size) throw fail(where, 'ZIP64 record outside the file');
    let record = await source.read(zip64Offset, 56);
    // With prepended bytes the locator's offset is relative to the archive, not the file: the record (without
    // the rarely used extensible data) then sits right before the locator.
    const adjacent = tailStart + locator - 56;
    if (record.readUInt32LE(0) !== ZIP64_EOCD_SIGNATURE && adjacent > zip64Offset) {
      zip64Offset = adjacent;
      record = await source.read(zip64Offset, 56);
    }
    if (record.readUInt32LE(0) !== ZIP64_EOCD_SIGNATURE) throw fail(where, 'bad ZIP64 end record');
    entries = safeNumber(record.readBigUInt64LE(32), 'entry count', where);
    size = safeNumber(record.readBigUInt64LE(40), 'central directory size', where);
    offset = safeNumber(record.readBigUInt64LE(48), 'central directory offset', where);
    directoryEnd = zip64Offset;
  }
  let base = directoryEnd - size - offset;
  if (base < 0) throw fail(where, 'central directory outside the file');
  // As Go does: some archives have junk between the directory and its end record, so a directory header found
  // at the recorded offset itself wins over a computed base.
  if (
    base > 0 &&
    offset + 4 <= source.size &&
    (await source.read(offset, 4)).readUInt32LE(0) === CENTRAL_SIGNATURE
  )
    base = 0;
  if (base + offset + size > source.size) throw fail(where, 'central directory outside the file');
  return { offset: base + offset, size, entries, base };
}

/** The ZIP64 extended information extra field (id 1) carries the values that overflowed 32 bits. */
function zip64Extra(extra: Buffer, entry: ZipEntry, where: string): void {
  let position = 0;
  while (position + 4 <= extra.length) {
    const id = extra.readUInt16LE(position);
    const length = extra.readUInt16LE(position + 2);
    const body = extra.subarray(position + 4, position + 4 + length);
    if (id === 0x0001) {
      let field = 0;
      const next = (): number => {
        if (field + 8 > body.length) throw fail(where, `${entry.name}: short ZIP64 extra field`);
        const value = safeNumber(body.readBigUInt64LE(field), 'ZIP64 field', where);
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

/** `base` (where the archive starts in the file) is added to each local header offset, so they are absolute. */
function parseCentralDirectory(central: Buffer, count: number, base: number, where: string): ZipEntry[] {
  const entries: ZipEntry[] = [];
  let position = 0;
  for (let index = 0; index < count; index++) {
    if (position + 46 > central.length || central.readUInt32LE(position) !== CENTRAL_SIGNATURE)
      throw fail(where, `central directory entry ${index} is malformed`);
    const nameLength = central.readUInt16LE(position + 28);
    const extraLength = central.readUInt16LE(position + 30);
    const commentLength = central.readUInt16LE(position + 32);
    const end = position + 46 + nameLength + extraLength + commentLength;
    if (end > central.length) throw fail(where, `central directory entry ${index} overruns the directory`);
    const entry: ZipEntry = {
      name: central.toString('utf8', position + 46, position + 46 + nameLength),
      method: central.readUInt16LE(position + 10),
      crc: central.readUInt32LE(position + 16),
      compressedSize: central.readUInt32LE(position + 20),
      size: central.readUInt32LE(position + 24),
      localHeaderOffset: central.readUInt32LE(position + 42),
      encrypted: (central.readUInt16LE(position + 8) & 0x1) !== 0,
    };
    zip64Extra(
      central.subarray(position + 46 + nameLength, position + 46 + nameLength + extraLength),
      entry,
      where,
    );
    entry.localHeaderOffset += base;
    entries.push(entry);
    position = end;
  }
  return entries;
}

/**
 * Entries whose data overlap (many directory entries naming the same compressed bytes) are a zip bomb: a few kB
 * that take minutes of CPU to read, once per entry. No archive a tool writes has them: each local header (30 bytes,
 * then the name, extra field and data) ends before the next one starts.
 */
function refuseOverlaps(entries: readonly ZipEntry[], where: string): void {
  const byOffset = [...entries].sort((a, b) => a.localHeaderOffset - b.localHeaderOffset);
  for (let index = 1; index < byOffset.length; index++) {
    const previous = byOffset[index - 1] as ZipEntry;
    const entry = byOffset[index] as ZipEntry;
    if (previous.localHeaderOffset + 30 + previous.compressedSize > entry.localHeaderOffset)
      throw fail(where, `entries ${previous.name} and ${entry.name} overlap (a zip bomb)`);
  }
}

export class ZipReader {
  /** The archive's name in messages: its path, or `outer.jar!/inner.jar` for a nested archive. */
  readonly path: string;
  readonly entries: readonly ZipEntry[];
  readonly #source: ByteSource;
  readonly #limits: ZipLimits;

  private constructor(path: string, source: ByteSource, entries: ZipEntry[], limits: ZipLimits) {
    this.path = path;
    this.#source = source;
    this.entries = entries;
    this.#limits = limits;
  }

  /** An archive on disk, read by position (call `close`). */
  /** `where` names the archive in errors (the URL a temporary download came from); `path` by default. */
  static async open(path: string, limits: Partial<ZipLimits> = {}, where = path): Promise<ZipReader> {
    const handle = await open(path, 'r');
    try {
      const { size } = await handle.stat();
      return await ZipReader.#read(where, fileSource(handle, size, where), limits);
    } catch (error) {
      await handle.close();
      throw error;
    }
  }

  /** An archive already in memory, such as a JAR nested in another. */
  static fromBuffer(data: Buffer, where: string, limits: Partial<ZipLimits> = {}): Promise<ZipReader> {
    return ZipReader.#read(where, bufferSource(data, where), limits);
  }

  static async #read(where: string, source: ByteSource, partial: Partial<ZipLimits>): Promise<ZipReader> {
    const limits = { ...DEFAULT_ZIP_LIMITS, ...partial };
    const directory = await locateCentralDirectory(source, where);
    if (directory.entries > limits.maxEntries)
      throw fail(where, `${directory.entries} entries exceed the limit`);
    const central = await source.read(directory.offset, directory.size);
    const entries = parseCentralDirectory(central, directory.entries, directory.base, where);
    refuseOverlaps(entries, where);
    const encrypted = limits.refuseEncrypted ? entries.find((entry) => entry.encrypted) : undefined;
    if (encrypted !== undefined) throw fail(where, `${encrypted.name}: encrypted entries are not supported`);
    return new ZipReader(where, source, entries, limits);
  }

  /** The entry's bytes, checked against its declared size and CRC-32; `maxSize` overrides `maxEntrySize`. */
  async read(entry: ZipEntry, maxSize = this.#limits.maxEntrySize): Promise<Buffer> {
    const where = this.path;
    const size = this.#source.size;
    if (entry.encrypted) throw fail(where, `${entry.name}: encrypted entries are not supported`);
    if (entry.size > maxSize) throw fail(where, `${entry.name} is larger than ${maxSize} bytes`);
    if (entry.compressedSize > 0 && entry.size / entry.compressedSize > this.#limits.maxRatio)
      throw fail(where, `${entry.name} has a suspicious compression ratio`);
    if (entry.localHeaderOffset + 30 > size)
      throw fail(where, `${entry.name}: local header outside the file`);
    const header = await this.#source.read(entry.localHeaderOffset, 30);
    if (header.readUInt32LE(0) !== LOCAL_SIGNATURE) throw fail(where, `${entry.name}: bad local header`);
    const dataStart = entry.localHeaderOffset + 30 + header.readUInt16LE(26) + header.readUInt16LE(28);
    if (dataStart + entry.compressedSize > size) throw fail(where, `${entry.name}: data outside the file`);
    const compressed = await this.#source.read(dataStart, entry.compressedSize);
    let data: Buffer;
    if (entry.method === 0) data = compressed;
    else if (entry.method === 8) {
      try {
        // maxOutputLength stops a bomb while inflating, not after: the declared size can lie.
        data = inflateRawSync(compressed, { maxOutputLength: Math.max(entry.size, 1) });
      } catch (error) {
        throw fail(where, `${entry.name}: ${(error as Error).message}`);
      }
    } else throw fail(where, `${entry.name}: compression method ${entry.method} is not supported`);
    if (data.length !== entry.size)
      throw fail(where, `${entry.name}: size ${data.length} differs from the declared ${entry.size}`);
    if (crc32(data) >>> 0 !== entry.crc) throw fail(where, `${entry.name}: CRC-32 mismatch`);
    return data;
  }

  async close(): Promise<void> {
    await this.#source.close();
  }
}
