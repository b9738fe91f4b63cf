// The ZIP reader on real archives, from disk (OSV all.zip) and from memory (JARs), and on hostile ones: each is
// refused with a reason.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { crc32, deflateRawSync } from 'node:zlib';
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

test('refuses entries whose data overlap: many directory entries naming the same bytes are a zip bomb', async () => {
  const zip = writeZip([
    { name: 'a.json', data: '{"id":"A"}' },
    { name: 'b.json', data: '{"id":"B"}' },
  ]);
  const central = zip.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]));
  const second = zip.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]), central + 4);
  // The second entry made to point at the first one's local header.
  const overlapping = Buffer.from(zip);
  overlapping.writeUInt32LE(0, second + 42);
  await assert.rejects(
    ZipReader.open(file(overlapping)),
    /entries a\.json and b\.json overlap \(a zip bomb\)/,
  );
  await assert.rejects(ZipReader.fromBuffer(overlapping, 'nested.jar'), /overlap \(a zip bomb\)/);
  // Written back to back, as every tool writes them, they do not.
  assert.deepEqual(await readAll(file(zip)), { 'a.json': '{"id":"A"}', 'b.json': '{"id":"B"}' });
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
  // Without refuseEncrypted (JARs), the archive opens and only the encrypted entry is refused.
  const jar = await ZipReader.fromBuffer(encrypted, 'app.jar', { refuseEncrypted: false });
  assert.equal(jar.entries.length, 1);
  await assert.rejects(jar.read(jar.entries[0]!), /app\.jar: .*a\.json: encrypted entries are not supported/);
});

test('reads from memory too: stored and deflated entries, a size cap per read, garbage refused', async () => {
  const jar = writeZip([
    { name: 'META-INF/MANIFEST.MF', data: 'Manifest-Version: 1.0\n', method: 'store' },
    { name: 'lib/big.jar', data: Buffer.alloc(5000, 0x41) },
  ]);
  const zip = await ZipReader.fromBuffer(jar, 'app.jar');
  const [manifest, big] = zip.entries;
  assert.equal((await zip.read(manifest!)).toString(), 'Manifest-Version: 1.0\n');
  assert.equal((await zip.read(big!)).length, 5000);
  await assert.rejects(zip.read(big!, 1000), /app\.jar: .*lib\/big\.jar is larger than 1000 bytes/);
  await assert.rejects(
    ZipReader.fromBuffer(Buffer.from('PK not a zip'), 'garbage.jar'),
    /garbage\.jar: .*no end/,
  );
  await zip.close();
});

test('refuses a stored entry whose two sizes differ, and a lying deflated size while inflating', async () => {
  const stored = writeZip([{ name: 'a.txt', data: 'abcdef', method: 'store', declaredSize: 3 }]);
  const one = await ZipReader.fromBuffer(stored, 'stored.zip');
  await assert.rejects(one.read(one.entries[0]!), /a\.txt: size 6 differs from the declared 3/);
  const bomb = writeZip([{ name: 'bomb.bin', data: Buffer.alloc(4 * 1024 * 1024), declaredSize: 100 }]);
  const two = await ZipReader.fromBuffer(bomb, 'bomb.jar', { maxRatio: Number.POSITIVE_INFINITY });
  await assert.rejects(two.read(two.entries[0]!), /bomb\.bin: .*(buffer|length|size)/i);
});

/** The same archive in ZIP64 form: every size and offset in the extra field and the ZIP64 end records. */
function zip64(files: { name: string; data: Buffer }[]): Buffer {
  const parts: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const entry of files) {
    const compressed = deflateRawSync(entry.data);
    const name = Buffer.from(entry.name);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(45, 4);
    local.writeUInt16LE(8, 8);
    local.writeUInt16LE(name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(45, 4);
    central.writeUInt16LE(45, 6);
    central.writeUInt16LE(8, 10);
    central.writeUInt32LE(crc32(entry.data) >>> 0, 16);
    central.writeUInt32LE(0xffffffff, 20);
    central.writeUInt32LE(0xffffffff, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt16LE(28, 30);
    central.writeUInt32LE(0xffffffff, 42);
    const extra = Buffer.alloc(28);
    extra.writeUInt16LE(1, 0);
    extra.writeUInt16LE(24, 2);
    extra.writeBigUInt64LE(BigInt(entry.data.length), 4);
    extra.writeBigUInt64LE(BigInt(compressed.length), 12);
    extra.writeBigUInt64LE(BigInt(offset), 20);
    parts.push(local, name, compressed);
    centrals.push(central, name, extra);
    offset += 30 + name.length + compressed.length;
  }
  const directory = Buffer.concat(centrals);
  const record = Buffer.alloc(56);
  record.writeUInt32LE(0x06064b50, 0);
  record.writeBigUInt64LE(44n, 4);
  record.writeUInt16LE(45, 12);
  record.writeUInt16LE(45, 14);
  record.writeBigUInt64LE(BigInt(files.length), 24);
  record.writeBigUInt64LE(BigInt(files.length), 32);
  record.writeBigUInt64LE(BigInt(directory.length), 40);
  record.writeBigUInt64LE(BigInt(offset), 48);
  const locator = Buffer.alloc(20);
  locator.writeUInt32LE(0x07064b50, 0);
  locator.writeBigUInt64LE(BigInt(offset + directory.length), 8);
  locator.writeUInt32LE(1, 16);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(0xffff, 8);
  end.writeUInt16LE(0xffff, 10);
  end.writeUInt32LE(0xffffffff, 12);
  end.writeUInt32LE(0xffffffff, 16);
  return Buffer.concat([...parts, directory, record, locator, end]);
}

test('reads ZIP64 archives, from disk and from memory, and refuses a ZIP64 record outside the file', async () => {
  const bytes = zip64([
    { name: 'a.json', data: Buffer.from('{"id":"A"}') },
    { name: 'b.json', data: Buffer.alloc(70_000, 0x62) },
  ]);
  assert.deepEqual(await readAll(file(bytes)), { 'a.json': '{"id":"A"}', 'b.json': 'b'.repeat(70_000) });
  const memory = await ZipReader.fromBuffer(bytes, 'big.jar');
  assert.deepEqual(
    memory.entries.map((entry) => [entry.name, entry.size]),
    [
      ['a.json', 10],
      ['b.json', 70_000],
    ],
  );
  assert.equal((await memory.read(memory.entries[1]!)).length, 70_000);
  const outside = Buffer.from(bytes);
  outside.writeBigUInt64LE(BigInt(bytes.length), bytes.length - 22 - 20 + 8);
  await assert.rejects(ZipReader.fromBuffer(outside, 'big.jar'), /ZIP64 record outside the file/);
});

test('reads an archive with bytes before it (an executable jar launch script), plain and ZIP64', async () => {
  // A Spring Boot "fully executable" jar: every recorded offset is relative to where the archive starts.
  const script = Buffer.from('#!/bin/bash\nexec java -jar "$0" "$@"\n');
  const plain = Buffer.concat([
    script,
    writeZip([
      { name: 'a.json', data: '{"id":"A"}' },
      { name: 'b.json', data: 'b'.repeat(5000), method: 'deflate' },
    ]),
  ]);
  const expected = { 'a.json': '{"id":"A"}', 'b.json': 'b'.repeat(5000) };
  assert.deepEqual(await readAll(file(plain)), expected);
  const memory = await ZipReader.fromBuffer(plain, 'app.jar');
  assert.equal((await memory.read(memory.entries[1]!)).toString(), 'b'.repeat(5000));
  const big = Buffer.concat([
    script,
    zip64([
      { name: 'a.json', data: Buffer.from('{"id":"A"}') },
      { name: 'b.json', data: Buffer.from('b'.repeat(5000)) },
    ]),
  ]);
  assert.deepEqual(await readAll(file(big)), expected);
  // A directory recorded as larger than what precedes its end record would start before the file: refused.
  const negative = writeZip([{ name: 'a.json', data: 'a' }]);
  negative.writeUInt32LE(negative.readUInt32LE(negative.length - 22 + 12) + 1, negative.length - 22 + 12);
  await assert.rejects(ZipReader.fromBuffer(negative, 'bad.jar'), /central directory outside the file/);
});
