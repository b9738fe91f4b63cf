import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { test } from 'node:test';
import { gzipSync, zstdCompressSync } from 'node:zlib';
import { digestOf } from './digest.ts';
import { openLayerTar } from './layer-stream.ts';

// Several inflate blocks' worth, so the read-ahead queue pauses and resumes the decompressor.
const TAR = Buffer.alloc(9 * 1024 * 1024 + 512, 'layer bytes ');

function source(bytes: Buffer): Readable {
  const pieces: Buffer[] = [];
  for (let at = 0; at < bytes.length; at += 64 * 1024) pieces.push(bytes.subarray(at, at + 64 * 1024));
  return Readable.from(pieces);
}

async function read(
  blob: Buffer,
  options: { diffId?: string; blobDigest?: string; max?: number; slow?: boolean } = {},
) {
  const tar = await openLayerTar(source(blob), {
    where: 'test layer',
    maxUncompressed: options.max ?? 2 ** 40,
    ...(options.diffId === undefined ? {} : { diffId: options.diffId }),
    ...(options.blobDigest === undefined ? {} : { blobDigest: options.blobDigest, blobSize: blob.length }),
  });
  const chunks: Buffer[] = [];
  for await (const chunk of tar) {
    chunks.push(chunk);
    // A slow reader: the decompressor gets ahead, is paused at the read-ahead limit, and resumed.
    if (options.slow === true) await new Promise((resolve) => setTimeout(resolve, 5));
  }
  return Buffer.concat(chunks);
}

test('gzip, zstd and plain layers come out whole, with blob digest and diff_id verified', async () => {
  for (const blob of [gzipSync(TAR), zstdCompressSync(TAR), TAR]) {
    const out = await read(blob, { diffId: digestOf(TAR), blobDigest: digestOf(blob) });
    assert.ok(out.equals(TAR));
  }
  assert.ok((await read(gzipSync(TAR), { diffId: digestOf(TAR), slow: true })).equals(TAR));
});

test('a diff_id or blob digest that does not match is refused, naming the layer', async () => {
  const blob = gzipSync(TAR);
  await assert.rejects(read(blob, { diffId: digestOf('other') }), /test layer \(diff_id\): digest mismatch/);
  await assert.rejects(
    read(blob, { diffId: digestOf(TAR), blobDigest: digestOf('other') }),
    /test layer \(blob\): digest mismatch/,
  );
});

test('a decompression bomb stops at the limit; a truncated stream is an error, not a short layer', async () => {
  await assert.rejects(read(gzipSync(TAR), { max: 1024 * 1024 }), /decompression bomb/);
  const gzip = gzipSync(TAR);
  await assert.rejects(read(gzip.subarray(0, gzip.length - 100)), /test layer: /);
});
