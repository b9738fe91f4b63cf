// The ZIP reader on real archives written to disk, and on hostile ones: each is refused with a reason.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { ZipReader } from './zip-reader.ts';
import { writeZip } from './zip-writer.ts';

const directory = mkdtempSync(join(tmpdir(), 'palisade-zip-'));
after(() => rmSync(directory, { recursive: true, force: true }));
let counter = 0;

function file(bytes: Buffer): string {
  const path = join(directory, `${counter++}.zip`);
  writeFileSync(path, bytes);
  return path;
}

async function readAll(
  path: string,
  limits?: Parameters<typeof ZipReader.open>[1],
): Promise<Record<string, string>> {
  const zip = await ZipReader.open(path, limits);
  try {
    const out: Record<string, string> = {};
    for (const entry of zip.entries) out[entry.name] = (await zip.read(entry)).toString();
    return out;
  } finally {
    await zip.close();
  }
}

test('reads every entry of an archive back exactly', async () => {
  const big = 'x'.repeat(100_000);
  const path = file(
    writeZip([
      { name: 'a.json', data: '{"id":"A"}' },
      { name: 'dir/b.json', data: big },
      { name: 'empty', data: '' },
    ]),
  );
  assert.deepEqual(await readAll(path), { 'a.json': '{"id":"A"}', 'dir/b.json': big, empty: '' });
});

test('refuses a file that is not a ZIP, or is truncated', async () => {
  await assert.rejects(
    ZipReader.open(file(Buffer.from('hello world'))),
    /no end-of-central-directory record/,
  );
  const zip = writeZip([{ name: 'a.json', data: 'a'.repeat(1000) }]);
  await assert.rejects(readAll(file(zip.subarray(0, zip.length - 30))), /not a readable ZIP archive/);
});

test('detects a corrupted entry by its CRC-32', async () => {
  const zip = writeZip([{ name: 'a.json', data: '{"id":"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"}' }]);
  // Flip the stored CRC in the central directory (offset 16 of the first central header).
  const central = zip.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]));
  zip.writeUInt32LE((zip.readUInt32LE(central + 16) ^ 0xffff) >>> 0, central + 16);
  await assert.rejects(readAll(file(zip)), /CRC-32 mismatch/);
});

test('stops a decompression bomb: output beyond the declared size is refused while inflating', async () => {
  const zip = writeZip([{ name: 'bomb.json', data: Buffer.alloc(2_000_000, 0x20) }]);
  const central = zip.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]));
  zip.writeUInt32LE(100, central + 24);
  await assert.rejects(readAll(file(zip)), /bomb\.json: (.*larger|.*buffer|.*size|.*ratio)/i);
});

test('refuses entries over the size limit and absurd compression ratios', async () => {
  const path = file(writeZip([{ name: 'big.json', data: Buffer.alloc(300_000, 0x20) }]));
  await assert.rejects(
    readAll(path, { maxEntrySize: 1000, maxEntries: 10, maxRatio: 1000 }),
    /larger than 1000 bytes/,
  );
  await assert.rejects(
    readAll(path, { maxEntrySize: 10_000_000, maxEntries: 10, maxRatio: 10 }),
    /suspicious compression ratio/,
  );
});

test('refuses a central directory or entries pointing outside the file, and too many entries', async () => {
  const zip = writeZip([{ name: 'a.json', data: 'x' }]);
  const end = zip.length - 22;
  const outside = Buffer.from(zip);
  outside.writeUInt32LE(zip.length + 1000, end + 16);
  await assert.rejects(ZipReader.open(file(outside)), /central directory outside the file/);
  const badLocal = Buffer.from(zip);
  const central = badLocal.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]));
  badLocal.writeUInt32LE(zip.length + 5, central + 42);
  await assert.rejects(readAll(file(badLocal)), /local header outside the file/);
  const many = writeZip(Array.from({ length: 5 }, (_, index) => ({ name: `${index}.json`, data: '{}' })));
  await assert.rejects(
    ZipReader.open(file(many), { maxEntrySize: 100, maxEntries: 4, maxRatio: 100 }),
    /5 entries exceed the limit/,
  );
});

test('refuses unsupported compression methods and encrypted entries', async () => {
  const zip = writeZip([{ name: 'a.json', data: 'abc' }]);
  const central = zip.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]));
  const method = Buffer.from(zip);
  method.writeUInt16LE(12, central + 10);
  await assert.rejects(readAll(file(method)), /compression method 12 is not supported/);
  const encrypted = Buffer.from(zip);
  encrypted.writeUInt16LE(1, central + 8);
  await assert.rejects(ZipReader.open(file(encrypted)), /encrypted entries are not supported/);
});
