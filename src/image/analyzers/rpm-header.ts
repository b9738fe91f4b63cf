// The RPM header blob as stored in the rpm database: index entries (tag, type, offset, count) over a data
// store. Every offset and count is checked against the blob, which may be hostile.
import { PalisadeError } from '../../core/errors.ts';

export const RPM_TAGS = {
  name: 1000,
  version: 1001,
  release: 1002,
  epoch: 1003,
  license: 1014,
  arch: 1022,
  sourceRpm: 1044,
  dirIndexes: 1116,
  baseNames: 1117,
  dirNames: 1118,
} as const;

const TYPE_INT32 = 4;
const TYPE_STRING = 6;
const TYPE_STRING_ARRAY = 8;
const TYPE_I18NSTRING = 9;
const MAX_ENTRIES = 100_000;

export interface RpmHeader {
  string(tag: number): string | undefined;
  strings(tag: number): string[];
  int32s(tag: number): number[];
}

export function parseRpmHeader(blob: Uint8Array, where: string): RpmHeader {
  const data = Buffer.from(blob.buffer, blob.byteOffset, blob.byteLength);
  const bad = (why: string): never => {
    throw new PalisadeError('input-unreadable', `${where}: malformed rpm header (${why})`);
  };
  if (data.length < 8) bad('too short');
  const count = data.readUInt32BE(0);
  const dataLength = data.readUInt32BE(4);
  if (count > MAX_ENTRIES) bad('too many entries');
  const storeStart = 8 + count * 16;
  if (storeStart + dataLength > data.length) bad('data store past the end');
  const entries = new Map<number, { type: number; offset: number; count: number }>();
  for (let i = 0; i < count; i++) {
    const at = 8 + i * 16;
    const offset = data.readInt32BE(at + 8);
    const itemCount = data.readUInt32BE(at + 12);
    if (offset < 0 || offset > dataLength) bad(`entry ${i} offset out of range`);
    entries.set(data.readInt32BE(at), { type: data.readUInt32BE(at + 4), offset, count: itemCount });
  }
  const store = data.subarray(storeStart, storeStart + dataLength);
  const readStrings = (offset: number, wanted: number): string[] => {
    const out: string[] = [];
    let at = offset;
    for (let i = 0; i < wanted; i++) {
      const end = store.indexOf(0, at);
      if (end < 0) bad('unterminated string');
      out.push(store.subarray(at, end).toString('utf8'));
      at = end + 1;
    }
    return out;
  };
  return {
    string(tag) {
      const entry = entries.get(tag);
      if (entry === undefined) return undefined;
      if (entry.type !== TYPE_STRING && entry.type !== TYPE_I18NSTRING && entry.type !== TYPE_STRING_ARRAY)
        return undefined;
      return readStrings(entry.offset, 1)[0];
    },
    strings(tag) {
      const entry = entries.get(tag);
      if (entry === undefined || (entry.type !== TYPE_STRING_ARRAY && entry.type !== TYPE_I18NSTRING))
        return [];
      if (entry.count > store.length) bad('string count out of range');
      return readStrings(entry.offset, entry.count);
    },
    int32s(tag) {
      const entry = entries.get(tag);
      if (entry === undefined || entry.type !== TYPE_INT32) return [];
      if (entry.offset + entry.count * 4 > store.length) bad('integer array past the end');
      const values: number[] = [];
      for (let i = 0; i < entry.count; i++) values.push(store.readInt32BE(entry.offset + i * 4));
      return values;
    },
  };
}

/** "bash-5.1.8-6.el9.src.rpm" → { name: "bash", version: "5.1.8-6.el9" }. */
export function parseSourceRpm(text: string | undefined): { name: string; version: string } | undefined {
  if (text === undefined || text === '(none)') return undefined;
  const match = /^(.+)-([^-]+)-([^-]+)\.(?:no)?src\.rpm$/.exec(text);
  return match === null ? undefined : { name: match[1]!, version: `${match[2]}-${match[3]}` };
}
