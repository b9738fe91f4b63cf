import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { elfWithSections as elf } from '../../../test/image/artifact-builders.ts';
import { readElfSection } from './elf.ts';
import { parseModInfo, readGoBuildInfo } from './go-binary.ts';

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
