import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { readElfSection } from './elf.ts';
import { parseModInfo, readGoBuildInfo } from './go-binary.ts';

function elf(sections: { name: string; data: Buffer }[]): Buffer {
  const names = Buffer.concat([
    Buffer.from('\0'),
    ...sections.map((s) => Buffer.from(`${s.name}\0`)),
    Buffer.from('.shstrtab\0'),
  ]);
  const header = Buffer.alloc(64);
  Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1]).copy(header);
  const bodies: Buffer[] = [];
  const table: Buffer[] = [Buffer.alloc(64)];
  let offset = 64;
  let nameOffset = 1;
  for (const section of [...sections, { name: '.shstrtab', data: names }]) {
    const entry = Buffer.alloc(64);
    entry.writeUInt32LE(nameOffset, 0);
    entry.writeUInt32LE(1, 4);
    entry.writeBigUInt64LE(BigInt(offset), 24);
    entry.writeBigUInt64LE(BigInt(section.data.length), 32);
    table.push(entry);
    bodies.push(section.data);
    offset += section.data.length;
    nameOffset += section.name.length + 1;
  }
  header.writeBigUInt64LE(BigInt(offset), 0x28);
  header.writeUInt16LE(64, 0x3a);
  header.writeUInt16LE(table.length, 0x3c);
  header.writeUInt16LE(table.length - 1, 0x3e);
  return Buffer.concat([header, ...bodies, ...table]);
}

const reader = (data: Buffer) => async (offset: number, length: number) =>
  data.subarray(offset, offset + length);

describe('binary analyzers', () => {
  it('reads one ELF section by ranged reads, and nothing from malformed files', async () => {
    const file = elf([
      { name: '.text', data: Buffer.alloc(100) },
      { name: '.dep-v0', data: Buffer.from('payload') },
    ]);
    assert.equal((await readElfSection(reader(file), '.dep-v0', 1024))?.toString(), 'payload');
    assert.equal(await readElfSection(reader(file), '.missing', 1024), undefined);
    assert.equal(
      await readElfSection(reader(file), '.dep-v0', 3),
      undefined,
      'sections over the limit are not read',
    );
    assert.equal(await readElfSection(reader(file.subarray(0, 80)), '.dep-v0', 1024), undefined, 'truncated');
    const hostile = Buffer.from(file);
    hostile.writeBigUInt64LE(2n ** 62n, 0x28);
    assert.equal(await readElfSection(reader(hostile), '.dep-v0', 1024), undefined);
    assert.equal(
      await readElfSection(reader(Buffer.from('#!/bin/sh\necho hi\n'.padEnd(100))), '.text', 1024),
      undefined,
    );
  });

  it('parses Go module info with replacements, and tells old-format build info apart', () => {
    const info = parseModInfo(
      `${'0'.repeat(16)}path\tex.com/cmd\nmod\tex.com\tv1.0.0\th1:a\ndep\ta.com/x\tv0.1.0\th1:b\n=>\t../local\t\t\ndep\tb.com/y\tv2.0.0\n${'0'.repeat(16)}`,
      'go1.22.0',
    );
    assert.equal(info.mainPath, 'ex.com');
    assert.deepEqual(info.deps, [
      { path: '../local', version: '' },
      { path: 'b.com/y', version: 'v2.0.0' },
    ]);
    const old = Buffer.alloc(64);
    Buffer.from('\xff Go buildinf:', 'latin1').copy(old, 16);
    old[16 + 14] = 8;
    old[16 + 15] = 0;
    assert.equal(readGoBuildInfo(old), 'old-format');
    assert.equal(readGoBuildInfo(Buffer.from('no build info here')), undefined);
  });
});
