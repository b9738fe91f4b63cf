// The values of a Berkeley DB hash database (rpm's `Packages` before rpm 4.16: RHEL/CentOS 7 and 8, Amazon
// Linux 2): every hash page's values, inline or on overflow page chains. Offsets, lengths and page links are
// bounds-checked and chains cannot loop, since the file may be hostile.
import { PalisadeError } from '../../core/errors.ts';

const HASH_MAGIC = 0x061561;
const META_PAGE_TYPE = 8;
const HASH_UNSORTED = 2;
const OVERFLOW = 7;
const HASH = 13;
const KEYDATA = 1;
const OFFPAGE = 3;
const PAGE_HEADER = 26;
const MAX_VALUE = 64 * 1024 * 1024;

export function isBerkeleyHashDb(data: Buffer): boolean {
  return data.length >= 72 && (data.readUInt32LE(12) === HASH_MAGIC || data.readUInt32BE(12) === HASH_MAGIC);
}

/** Values stored in a Berkeley DB hash file (for rpm: one header blob per installed package). */
export function berkeleyHashValues(data: Buffer, where: string): Buffer[] {
  const bad = (why: string): never => {
    throw new PalisadeError(
      'input-unreadable',
      `${where}: not a readable Berkeley DB hash database (${why})`,
    );
  };
  if (!isBerkeleyHashDb(data)) bad('no hash magic');
  const little = data.readUInt32LE(12) === HASH_MAGIC;
  const u16 = (at: number): number => (little ? data.readUInt16LE(at) : data.readUInt16BE(at));
  const u32 = (at: number): number => (little ? data.readUInt32LE(at) : data.readUInt32BE(at));
  if (data[25] !== META_PAGE_TYPE) bad('first page is not hash metadata');
  const pageSize = u32(20);
  if (pageSize < 512 || pageSize > 65536 || (pageSize & (pageSize - 1)) !== 0) bad(`page size ${pageSize}`);
  const lastPage = Math.min(u32(32), Math.floor(data.length / pageSize) - 1);
  const pageCount = lastPage + 1;

  const overflow = (first: number, total: number): Buffer => {
    if (total > MAX_VALUE) bad(`value of ${total} bytes`);
    const parts: Buffer[] = [];
    let length = 0;
    const seen = new Set<number>();
    for (let page = first; page !== 0 && length < total; ) {
      if (page >= pageCount || seen.has(page)) bad(`overflow chain broken at page ${page}`);
      seen.add(page);
      const start = page * pageSize;
      if (data[start + 25] !== OVERFLOW) bad(`page ${page} is not an overflow page`);
      const used = u16(start + 22);
      if (PAGE_HEADER + used > pageSize) bad(`overflow page ${page} length`);
      parts.push(data.subarray(start + PAGE_HEADER, start + PAGE_HEADER + used));
      length += used;
      page = u32(start + 16);
    }
    if (length < total) bad('overflow chain shorter than its value');
    return Buffer.concat(parts).subarray(0, total);
  };

  const values: Buffer[] = [];
  for (let page = 1; page < pageCount; page++) {
    const start = page * pageSize;
    const type = data[start + 25];
    if (type !== HASH && type !== HASH_UNSORTED) continue;
    const entries = u16(start + 20);
    if (PAGE_HEADER + entries * 2 > pageSize) bad(`page ${page} has too many entries`);
    const offsets = Array.from({ length: entries }, (_, i) => u16(start + PAGE_HEADER + i * 2));
    // Entries are key/value pairs; items are packed from the end of the page, so each ends where the previous begins.
    for (let i = 1; i < entries; i += 2) {
      const offset = offsets[i]!;
      const end = offsets[i - 1]!;
      if (offset < PAGE_HEADER || offset >= pageSize || end > pageSize || end <= offset)
        bad(`page ${page} item ${i} bounds`);
      const item = start + offset;
      if (data[item] === KEYDATA) values.push(data.subarray(item + 1, start + end));
      else if (data[item] === OFFPAGE) {
        if (offset + 12 > pageSize) bad(`page ${page} item ${i} bounds`);
        values.push(overflow(u32(item + 4), u32(item + 8)));
      }
    }
  }
  return values;
}
