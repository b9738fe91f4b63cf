import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { describe, it } from 'node:test';
import { readTar } from './tar-reader.ts';

function header(
  name: string,
  flag: string,
  size: number,
  options: { base256?: boolean; linkName?: string } = {},
): Buffer {
  const block = Buffer.alloc(512);
  block.write(name.slice(0, 100), 0);
  block.write('0000644\0', 100);
  block.write('0000000\0', 108);
  block.write('0000000\0', 116);
  if (options.base256) {
    block[124] = 0x80;
    block.writeUIntBE(size, 136 - 6, 6);
  } else block.write(`${size.toString(8).padStart(11, '0')}\0`, 124);
  block.write('00000000000\0', 136);
  block.write('        ', 148);
  block.write(flag, 156);
  block.write(options.linkName ?? '', 157);
  block.write('ustar  \0', 257);
  let sum = 0;
  for (const byte of block) sum += byte;
  block.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148);
  return block;
}

function body(content: string | Buffer): Buffer {
  const data = Buffer.from(content);
  return Buffer.concat([data, Buffer.alloc((512 - (data.length % 512)) % 512)]);
}

async function entries(
  tar: Buffer,
  chunkSize = 7,
): Promise<{ name: string; type: string; text: string; link: string }[]> {
  const chunks: Buffer[] = [];
  for (let i = 0; i < tar.length; i += chunkSize) chunks.push(tar.subarray(i, i + chunkSize));
  const out: { name: string; type: string; text: string; link: string }[] = [];
  for await (const entry of readTar(Readable.from(chunks), 't.tar'))
    out.push({
      name: entry.name,
      type: entry.type,
      text: entry.type === 'file' ? (await entry.bytes(1 << 20)).toString() : '',
      link: entry.linkName,
    });
  return out;
}

describe('tar reader', () => {
  it('reads GNU long names and links, pax paths, base-256 sizes, across tiny chunks', async () => {
    const longName = `${'d/'.repeat(80)}file.txt`;
    const longLink = `${'l/'.repeat(70)}target`;
    const pax = Buffer.from('32 path=pax/overridden/name.txt\n');
    const tar = Buffer.concat([
      header('././@LongLink', 'L', longName.length + 1),
      body(`${longName}\0`),
      header('truncated-name', '0', 5),
      body('hello'),
      header('././@LongLink', 'K', longLink.length + 1),
      body(`${longLink}\0`),
      header('link', '2', 0, { linkName: 'short' }),
      header('PaxHeader', 'x', pax.length),
      body(pax),
      header('ignored', '0', 3),
      body('pax'),
      header('big-number', '0', 4, { base256: true }),
      body('b256'),
      Buffer.alloc(1024),
    ]);
    assert.deepEqual(await entries(tar), [
      { name: longName, type: 'file', text: 'hello', link: '' },
      { name: 'link', type: 'symlink', text: '', link: longLink },
      { name: 'pax/overridden/name.txt', type: 'file', text: 'pax', link: '' },
      { name: 'big-number', type: 'file', text: 'b256', link: '' },
    ]);
  });

  it('skips bodies the caller does not read, and accepts a missing end marker', async () => {
    const tar = Buffer.concat([header('a', '0', 700), body('a'.repeat(700)), header('b', '0', 1), body('b')]);
    const names: string[] = [];
    for await (const entry of readTar(Readable.from([tar]), 't.tar')) names.push(entry.name);
    assert.deepEqual(names, ['a', 'b']);
  });

  it('refuses unknown entry types, bad numbers and data after the end marker', async () => {
    await assert.rejects(
      entries(Buffer.concat([header('v', 'V', 0), Buffer.alloc(1024)])),
      /unsupported entry type "V"/,
    );
    const bad = header('n', '0', 0);
    bad.write('9999', 124);
    await assert.rejects(entries(bad), /checksum|malformed numeric/);
    await assert.rejects(
      entries(Buffer.concat([Buffer.alloc(512), header('x', '0', 0)])),
      /zero block followed by data/,
    );
  });
});
