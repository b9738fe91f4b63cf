// A ZIP reader for JAR/WAR/EAR files, for hostile input: the central directory is bounds-checked, sizes are
// capped before inflating (and inflating is capped again), encrypted or unknown methods are refused per entry.
import { inflateRawSync } from 'node:zlib';
import { PalisadeError } from '../core/errors.ts';

export interface ZipEntry {
  name: string;
  method: number;
  compressedSize: number;
  size: number;
  localOffset: number;
  encrypted: boolean;
}

const EOCD = 0x06054b50;
const EOCD64_LOCATOR = 0x07064b50;
const EOCD64 = 0x06064b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;
const MAX_ENTRIES = 200_000;

function fail(where: string, why: string): never {
  throw new PalisadeError('input-unreadable', `${where}: not a valid zip archive (${why})`);
}

function findEocd(data: Buffer): number {
  const lowest = Math.max(0, data.length - 22 - 0xffff);
  for (let at = data.length - 22; at >= lowest; at--) if (data.readUInt32LE(at) === EOCD) return at;
  return -1;
}

function bigToNumber(value: bigint, where: string): number {
  if (value > BigInt(Number.MAX_SAFE_INTEGER)) fail(where, 'zip64 value too large');
  return Number(value);
}

export function listZip(data: Buffer, where: string): ZipEntry[] {
  if (data.length < 22) fail(where, 'too short');
  const eocd = findEocd(data);
  if (eocd < 0) fail(where, 'no end of central directory');
  let count = data.readUInt16LE(eocd + 10);
  let size = data.readUInt32LE(eocd + 12);
  let offset = data.readUInt32LE(eocd + 16);
  if (
    (count === 0xffff || offset === 0xffffffff || size === 0xffffffff) &&
    eocd >= 20 &&
    data.readUInt32LE(eocd - 20) === EOCD64_LOCATOR
  ) {
    const at = bigToNumber(data.readBigUInt64LE(eocd - 12), where);
    if (at + 56 > data.length || data.readUInt32LE(at) !== EOCD64) fail(where, 'bad zip64 record');
    count = bigToNumber(data.readBigUInt64LE(at + 32), where);
    size = bigToNumber(data.readBigUInt64LE(at + 40), where);
    offset = bigToNumber(data.readBigUInt64LE(at + 48), where);
  }
  if (count > MAX_ENTRIES) fail(where, `more than ${MAX_ENTRIES} entries`);
  if (offset + size > data.length) fail(where, 'central directory past the end');
  const entries: ZipEntry[] = [];
  let at = offset;
  for (let i = 0; i < count; i++) {
    if (at + 46 > data.length || data.readUInt32LE(at) !== CENTRAL)
      fail(where, `bad central directory entry ${i}`);
    const flags = data.readUInt16LE(at + 8);
    const nameLength = data.readUInt16LE(at + 28);
    const extraLength = data.readUInt16LE(at + 30);
    const commentLength = data.readUInt16LE(at + 32);
    if (at + 46 + nameLength + extraLength > data.length) fail(where, 'entry name past the end');
    let compressedSize = data.readUInt32LE(at + 20);
    let uncompressedSize = data.readUInt32LE(at + 24);
    let localOffset = data.readUInt32LE(at + 42);
    // zip64 extended information extra field (id 1) carries the sizes that overflowed.
    let extra = at + 46 + nameLength;
    const extraEnd = extra + extraLength;
    while (extra + 4 <= extraEnd) {
      const id = data.readUInt16LE(extra);
      const length = data.readUInt16LE(extra + 2);
      if (id === 1) {
        let field = extra + 4;
        const take = (): number => {
          if (field + 8 > extra + 4 + length) fail(where, 'short zip64 extra field');
          const value = bigToNumber(data.readBigUInt64LE(field), where);
          field += 8;
          return value;
        };
        if (uncompressedSize === 0xffffffff) uncompressedSize = take();
        if (compressedSize === 0xffffffff) compressedSize = take();
        if (localOffset === 0xffffffff) localOffset = take();
      }
      extra += 4 + length;
    }
    entries.push({
      name: data.subarray(at + 46, at + 46 + nameLength).toString('utf8'),
      method: data.readUInt16LE(at + 10),
      compressedSize,
      size: uncompressedSize,
      localOffset,
      encrypted: (flags & 1) !== 0,
    });
    at += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}

/** The entry's bytes, refusing entries that would inflate past `limit`. */
export function readZipEntry(data: Buffer, entry: ZipEntry, limit: number, where: string): Buffer {
  const what = `${where}!/${entry.name}`;
  if (entry.encrypted) throw new PalisadeError('unsupported', `${what}: encrypted entry`);
  if (entry.size > limit)
    throw new PalisadeError('input-unreadable', `${what}: ${entry.size} bytes uncompressed, over ${limit}`);
  const at = entry.localOffset;
  if (at + 30 > data.length || data.readUInt32LE(at) !== LOCAL)
    fail(where, `bad local header for ${entry.name}`);
  const start = at + 30 + data.readUInt16LE(at + 26) + data.readUInt16LE(at + 28);
  if (start + entry.compressedSize > data.length) fail(where, `${entry.name} runs past the end`);
  const raw = data.subarray(start, start + entry.compressedSize);
  if (entry.method === 0) {
    if (entry.compressedSize !== entry.size) fail(where, `${entry.name}: stored entry with two sizes`);
    return raw;
  }
  if (entry.method !== 8)
    throw new PalisadeError('unsupported', `${what}: compression method ${entry.method} is not supported`);
  try {
    // The declared size can lie: the inflater is capped on its own too.
    return inflateRawSync(raw, { maxOutputLength: Math.max(1, Math.min(limit, entry.size + 1)) });
  } catch (error) {
    throw new PalisadeError('input-unreadable', `${what}: cannot inflate (${(error as Error).message})`, {
      cause: error,
    });
  }
}
