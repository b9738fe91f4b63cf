// Builds rpm header blobs (the format rpm stores in rpmdb.sqlite) and a SQLite rpm database holding them.
import { DatabaseSync } from 'node:sqlite';

type Value = { string: string } | { strings: string[] } | { int32: number[] };

export function rpmHeaderBlob(tags: Record<number, Value>): Buffer {
  const entries: Buffer[] = [];
  const store: Buffer[] = [];
  let offset = 0;
  for (const [tag, value] of Object.entries(tags)) {
    let type: number;
    let data: Buffer;
    let count: number;
    if ('string' in value) {
      type = 6;
      data = Buffer.from(`${value.string}\0`);
      count = 1;
    } else if ('strings' in value) {
      type = 8;
      data = Buffer.from(value.strings.map((s) => `${s}\0`).join(''));
      count = value.strings.length;
    } else {
      // INT32 data is 4-byte aligned in the store.
      const padding = (4 - (offset % 4)) % 4;
      if (padding > 0) {
        store.push(Buffer.alloc(padding));
        offset += padding;
      }
      type = 4;
      data = Buffer.alloc(value.int32.length * 4);
      for (const [i, n] of value.int32.entries()) data.writeInt32BE(n, i * 4);
      count = value.int32.length;
    }
    const entry = Buffer.alloc(16);
    entry.writeInt32BE(Number(tag), 0);
    entry.writeUInt32BE(type, 4);
    entry.writeInt32BE(offset, 8);
    entry.writeUInt32BE(count, 12);
    entries.push(entry);
    store.push(data);
    offset += data.length;
  }
  const head = Buffer.alloc(8);
  head.writeUInt32BE(entries.length, 0);
  head.writeUInt32BE(offset, 4);
  return Buffer.concat([head, ...entries, ...store]);
}

export interface RpmSpec {
  name: string;
  version: string;
  release: string;
  epoch?: number;
  arch: string;
  license: string;
  sourceRpm: string;
  files?: string[];
}

export function rpmBlob(spec: RpmSpec): Buffer {
  const dirs = [...new Set((spec.files ?? []).map((file) => file.slice(0, file.lastIndexOf('/') + 1)))];
  return rpmHeaderBlob({
    1000: { string: spec.name },
    1001: { string: spec.version },
    1002: { string: spec.release },
    ...(spec.epoch === undefined ? {} : { 1003: { int32: [spec.epoch] } }),
    1014: { string: spec.license },
    1022: { string: spec.arch },
    1044: { string: spec.sourceRpm },
    ...(spec.files === undefined
      ? {}
      : {
          1116: { int32: spec.files.map((file) => dirs.indexOf(file.slice(0, file.lastIndexOf('/') + 1))) },
          1117: { strings: spec.files.map((file) => file.slice(file.lastIndexOf('/') + 1)) },
          1118: { strings: dirs },
        }),
  });
}

/** An rpmdb.sqlite file's bytes with the given packages (plus a gpg-pubkey entry, which is not a package). */
export function rpmSqliteDatabase(path: string, blobs: Buffer[]): void {
  const database = new DatabaseSync(path);
  database.exec('CREATE TABLE Packages (hnum INTEGER PRIMARY KEY AUTOINCREMENT, blob BLOB NOT NULL)');
  const insert = database.prepare('INSERT INTO Packages (blob) VALUES (?)');
  for (const blob of blobs) insert.run(blob);
  insert.run(
    rpmBlob({
      name: 'gpg-pubkey',
      version: 'fd431d51',
      release: '4ae0493b',
      arch: '(none)',
      license: 'pubkey',
      sourceRpm: '(none)',
    }),
  );
  database.close();
}

/**
 * A Berkeley DB hash file (little-endian) as rpm < 4.16 wrote `Packages`: metadata page, one hash page of
 * key/value pairs, values on overflow page chains (or inline when `inline` is set for that index).
 */
export function rpmBerkeleyDatabase(
  blobs: Buffer[],
  options: { pageSize?: number; inline?: number[] } = {},
): Buffer {
  const pageSize = options.pageSize ?? 4096;
  const pages: Buffer[] = [Buffer.alloc(pageSize), Buffer.alloc(pageSize)];
  const hashPage = pages[1]!;
  const offsets: number[] = [];
  let cursor = pageSize;
  for (const [index, blob] of blobs.entries()) {
    const key = Buffer.alloc(5);
    key[0] = 1;
    key.writeUInt32LE(index + 1, 1);
    cursor -= key.length;
    key.copy(hashPage, cursor);
    offsets.push(cursor);
    let value: Buffer;
    if (options.inline?.includes(index) === true) value = Buffer.concat([Buffer.from([1]), blob]);
    else {
      const first = pages.length;
      const room = pageSize - 26;
      for (let at = 0; at < blob.length; at += room) {
        const page = Buffer.alloc(pageSize);
        const part = blob.subarray(at, at + room);
        page.writeUInt32LE(pages.length, 8);
        page.writeUInt32LE(at + room < blob.length ? pages.length + 1 : 0, 16);
        page.writeUInt16LE(part.length, 22);
        page[25] = 7;
        part.copy(page, 26);
        pages.push(page);
      }
      value = Buffer.alloc(12);
      value[0] = 3;
      value.writeUInt32LE(first, 4);
      value.writeUInt32LE(blob.length, 8);
    }
    cursor -= value.length;
    value.copy(hashPage, cursor);
    offsets.push(cursor);
  }
  hashPage.writeUInt32LE(1, 8);
  hashPage.writeUInt16LE(offsets.length, 20);
  hashPage[25] = 13;
  offsets.forEach((offset, i) => {
    hashPage.writeUInt16LE(offset, 26 + i * 2);
  });
  const meta = pages[0]!;
  meta.writeUInt32LE(0x061561, 12);
  meta.writeUInt32LE(9, 16);
  meta.writeUInt32LE(pageSize, 20);
  meta[25] = 8;
  meta.writeUInt32LE(pages.length - 1, 32);
  return Buffer.concat(pages);
}
