import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { describe, test } from 'node:test';
import { gzipSync, zstdCompressSync } from 'node:zlib';
import { digestOf } from './digest.ts';
import type { BlobReader } from './image-source.ts';
import { openLayerTar, openLayerTarFromReader } from './layer-stream.ts';

// Several inflate blocks' worth, so the read-ahead queue pauses and resumes the decompressor. Every line differs,
// so a read buffer reused too early (bytes overwritten before inflation took them) cannot go unnoticed.
const TAR = Buffer.from(
  Array.from({ length: 700_000 }, (_, line) => `layer line ${line.toString().padStart(7, '0')}\n`).join(''),
);

/** A blob from a file, read into the caller's buffers; records whether it was closed. */
class MemoryReader implements BlobReader {
  readonly #bytes: Buffer;
  #at = 0;
  closed = false;
  constructor(bytes: Buffer) {
    this.#bytes = bytes;
  }
  async read(buffer: Buffer): Promise<number> {
    const length = Math.min(buffer.length, this.#bytes.length - this.#at);
    this.#bytes.copy(buffer, 0, this.#at, this.#at + length);
    this.#at += length;
    return length;
  }
  async close(): Promise<void> {
    this.closed = true;
  }
}

function source(bytes: Buffer): Readable {
  const pieces: Buffer[] = [];
  for (let at = 0; at < bytes.length; at += 64 * 1024) pieces.push(bytes.subarray(at, at + 64 * 1024));
  return Readable.from(pieces);
}

type Via = 'stream' | 'reader';

async function read(
  via: Via,
  blob: Buffer,
  options: { diffId?: string; blobDigest?: string; max?: number; slow?: boolean } = {},
) {
  const streamOptions = {
    where: 'test layer',
    maxUncompressed: options.max ?? 2 ** 40,
    ...(options.diffId === undefined ? {} : { diffId: options.diffId }),
    ...(options.blobDigest === undefined ? {} : { blobDigest: options.blobDigest, blobSize: blob.length }),
  };
  const reader = new MemoryReader(blob);
  const tar =
    via === 'stream'
      ? await openLayerTar(source(blob), streamOptions)
      : await openLayerTarFromReader(reader, streamOptions);
  const chunks: Buffer[] = [];
  try {
    for await (const chunk of tar) {
      chunks.push(Buffer.from(chunk));
      // A slow reader: the decompressor gets ahead, is paused at the read-ahead limit, and resumed.
      if (options.slow === true) await new Promise((resolve) => setTimeout(resolve, 5));
    }
  } finally {
    if (via === 'reader') {
      // The file is closed however the layer ends.
      await new Promise((resolve) => setImmediate(resolve));
      assert.equal(reader.closed, true, 'reader closed');
    }
  }
  return Buffer.concat(chunks);
}

for (const via of ['stream', 'reader'] as const)
  describe(`layers from a ${via}`, () => {
    test('gzip, zstd and plain layers come out whole, with blob digest and diff_id verified', async () => {
      for (const blob of [gzipSync(TAR), zstdCompressSync(TAR), TAR]) {
        const out = await read(via, blob, { diffId: digestOf(TAR), blobDigest: digestOf(blob) });
        assert.ok(out.equals(TAR));
      }
      assert.ok((await read(via, gzipSync(TAR), { diffId: digestOf(TAR), slow: true })).equals(TAR));
    });

    test('a diff_id or blob digest that does not match is refused, naming the layer', async () => {
      const blob = gzipSync(TAR);
      await assert.rejects(
        read(via, blob, { diffId: digestOf('other') }),
        /test layer \(diff_id\): digest mismatch/,
      );
      await assert.rejects(
        read(via, blob, { diffId: digestOf(TAR), blobDigest: digestOf('other') }),
        /test layer \(blob\): digest mismatch/,
      );
      // More bytes than the descriptor declares: refused (here, a declared size one byte short).
      const tar = await (via === 'stream'
        ? openLayerTar(source(blob), {
            where: 'test layer',
            maxUncompressed: 2 ** 40,
            blobDigest: digestOf(blob),
            blobSize: blob.length - 1,
          })
        : openLayerTarFromReader(new MemoryReader(blob), {
            where: 'test layer',
            maxUncompressed: 2 ** 40,
            blobDigest: digestOf(blob),
            blobSize: blob.length - 1,
          }));
      await assert.rejects(
        (async () => {
          for await (const _ of tar);
        })(),
        /test layer \(blob\): more bytes than the \d+ declared/,
      );
    });

    test('a decompression bomb stops at the limit; a truncated stream is an error, not a short layer', async () => {
      await assert.rejects(read(via, gzipSync(TAR), { max: 1024 * 1024 }), /decompression bomb/);
      const gzip = gzipSync(TAR);
      await assert.rejects(read(via, gzip.subarray(0, gzip.length - 100)), /test layer: /);
    });
  });

test('a reader that stops early closes the blob, and a destroy reason is what the read fails with', async () => {
  const reader = new MemoryReader(gzipSync(TAR));
  const tar = await openLayerTarFromReader(reader, { where: 'test layer', maxUncompressed: 2 ** 40 });
  for await (const _ of tar) break;
  await new Promise((resolve) => setTimeout(resolve, 20));
  assert.equal(reader.closed, true);

  const again = await openLayerTarFromReader(new MemoryReader(gzipSync(TAR)), {
    where: 'test layer',
    maxUncompressed: 2 ** 40,
  });
  await assert.rejects(
    (async () => {
      for await (const _ of again) again.destroy(new Error('aborted by the user'));
    })(),
    /aborted by the user/,
  );
});

describe('blobs shorter than the 4 bytes read to pick a decompressor', () => {
  test('are read whole, not waited on (the stream had ended before the reader listened)', async () => {
    for (const length of [0, 1, 3, 4]) {
      const blob = Buffer.alloc(length, 0x41);
      const tar = await openLayerTar(Readable.from(length > 0 ? [blob] : []), {
        where: 'layer',
        maxUncompressed: 1024,
      });
      const chunks: Buffer[] = [];
      for await (const chunk of tar) chunks.push(chunk);
      assert.deepEqual(Buffer.concat(chunks), blob, `a blob of ${length} bytes`);
    }
  });
});
