// Layer bytes in, tar bytes out: compression detected from magic bytes (gzip, zstd or none, whatever the
// media type claims), the uncompressed size capped against decompression bombs, the diff_id verified.
import { createHash } from 'node:crypto';
import { Readable, type Transform } from 'node:stream';
import { finished, pipeline } from 'node:stream/promises';
import { createGunzip, createZstdDecompress } from 'node:zlib';
import { PalisadeError } from '../core/errors.ts';
import { firstEvent } from '../core/first-event.ts';
import { DigestCheck, DigestVerifier, parseDigest } from './digest.ts';
import type { BlobReader } from './image-source.ts';

export type Compression = 'gzip' | 'zstd' | 'none';

const GZIP_MAGIC = [0x1f, 0x8b];
const ZSTD_MAGIC = [0x28, 0xb5, 0x2f, 0xfd];

export function detectCompression(head: Uint8Array): Compression {
  if (GZIP_MAGIC.every((byte, i) => head[i] === byte)) return 'gzip';
  if (ZSTD_MAGIC.every((byte, i) => head[i] === byte)) return 'zstd';
  return 'none';
}

export interface LayerStreamOptions {
  where: string;
  /** Digest of the stored (possibly compressed) blob; verified when given. */
  blobDigest?: string;
  blobSize?: number;
  /** diff_id from the image config: digest of the uncompressed tar; verified when given. */
  diffId?: string;
  maxUncompressed: number;
}

/**
 * Reads the first bytes and puts them back (unshift), to pick the decompressor without an extra stage. A blob
 * shorter than that has ended by then: its bytes are returned with `ended`, since nothing can be put back.
 */
async function peek(stream: Readable, bytes: number): Promise<{ head: Buffer; ended: boolean }> {
  const chunks: Buffer[] = [];
  let length = 0;
  while (length < bytes) {
    const chunk = stream.read() as Buffer | null;
    if (chunk !== null) {
      chunks.push(chunk);
      length += chunk.length;
      continue;
    }
    if (stream.errored) throw stream.errored;
    if (stream.readableEnded || stream.destroyed) break;
    await firstEvent(stream, ['readable', 'end', 'error', 'close']);
  }
  const head = Buffer.concat(chunks);
  const ended = stream.readableEnded || stream.destroyed;
  if (head.length > 0 && !ended) stream.unshift(head);
  return { head, ended };
}

/** Decompressed bytes allowed to wait for the reader: lets inflation (on the thread pool) run ahead. */
const READ_AHEAD = 4 * 1024 * 1024;
/**
 * Output block of the decompressor. Each block is a round trip between the thread pool and the main thread
 * and a separate buffer for the garbage collector, so blocks are large; the benchmark's baseline uses the same.
 */
export const INFLATE_CHUNK = 1024 * 1024;

/** The uncompressed tar of a layer, read once; destroy() releases the blob early (failing a read with `reason`). */
export interface LayerTar extends AsyncIterable<Buffer> {
  destroy(reason?: Error): void;
}

/**
 * Returns the uncompressed tar of a layer. Errors (bad digest, bomb, corrupt compression) surface from the
 * iteration, so a reader sees them where it stops; the diff_id is checked when the last byte has been read.
 *
 * The decompressor's output is taken as it is produced (flowing mode, a bounded queue) rather than through
 * further stream stages: zlib only starts on the next block once its output has been pushed, so hashing and
 * tar parsing done synchronously inside that push would stall it. Here the main thread hashes and parses
 * one block while the thread pool inflates the next.
 */
export async function openLayerTar(blob: Readable, options: LayerStreamOptions): Promise<LayerTar> {
  const wrap = (error: unknown): Error => wrapLayerError(error, options.where);
  let verified: Readable = blob;
  if (options.blobDigest !== undefined) {
    const verifier = new DigestVerifier(options.blobDigest, `${options.where} (blob)`, options.blobSize);
    blob.on('error', (error) => verifier.destroy(error));
    verified = blob.pipe(verifier);
  }
  const peeked = await peek(verified, 4);
  const compression = detectCompression(peeked.head);
  // A blob of under 4 bytes has been read whole: it is read again from what peek kept.
  if (peeked.ended) verified = Readable.from(peeked.head.length > 0 ? [peeked.head] : []);
  let out = verified;
  const settled = new Promise<Error | undefined>((resolve) => {
    let decompress: Transform | undefined;
    if (compression === 'gzip') decompress = createGunzip({ chunkSize: INFLATE_CHUNK });
    else if (compression === 'zstd') decompress = createZstdDecompress({ chunkSize: INFLATE_CHUNK });
    if (decompress === undefined) {
      finished(verified).then(
        () => resolve(undefined),
        (error: unknown) => resolve(wrap(error)),
      );
      return;
    }
    out = decompress;
    const inflating = decompress;
    pipeline(verified, decompress).then(
      () => resolve(undefined),
      (error: unknown) => resolve(wrapLayerError(error, options.where, inflating)),
    );
  });
  return new DecompressedTar(out, settled, options);
}

/** Read buffers in flight between the file and the decompressor; each is reused once inflation has taken it. */
const POOLED_READS = 4;
const READ_BLOCK = 1024 * 1024;

/**
 * openLayerTar for a blob in a file. A compressed blob is read into a few recycled buffers (released when the
 * decompressor has consumed them) rather than a fresh one per read: with hundreds of megabytes of layers, those
 * allocations are what drives the garbage collector. An uncompressed blob is streamed as before, since the tar
 * reader keeps views into what it is given.
 */
export async function openLayerTarFromReader(
  reader: BlobReader,
  options: LayerStreamOptions,
): Promise<LayerTar> {
  let first: Buffer;
  let length: number;
  try {
    first = Buffer.allocUnsafeSlow(READ_BLOCK);
    length = await reader.read(first);
  } catch (error) {
    await reader.close();
    throw wrapLayerError(error, options.where);
  }
  const head = first.subarray(0, length);
  const compression = detectCompression(head);
  if (compression === 'none') return openLayerTar(Readable.from(plainChunks(reader, head)), options);
  const decompress =
    compression === 'gzip'
      ? createGunzip({ chunkSize: INFLATE_CHUNK })
      : createZstdDecompress({ chunkSize: INFLATE_CHUNK });
  const check =
    options.blobDigest === undefined
      ? undefined
      : new DigestCheck(options.blobDigest, `${options.where} (blob)`, options.blobSize);
  const settled = new Promise<Error | undefined>((resolve) => {
    finished(decompress).then(
      () => resolve(undefined),
      (error: unknown) => resolve(wrapLayerError(error, options.where, decompress)),
    );
  });
  pump(reader, decompress, check, first, length).catch((error: unknown) =>
    decompress.destroy(wrapLayerError(error, options.where, decompress)),
  );
  return new DecompressedTar(decompress, settled, options);
}

/** Feeds the decompressor from recycled buffers; stops when it is destroyed (the reader gave up, or it failed). */
async function pump(
  reader: BlobReader,
  decompress: Transform,
  check: DigestCheck | undefined,
  first: Buffer,
  firstLength: number,
): Promise<void> {
  const free: Buffer[] = [];
  let wake: (() => void) | undefined;
  const release = (buffer: Buffer): void => {
    free.push(buffer);
    const resume = wake;
    wake = undefined;
    resume?.();
  };
  const stop = (): void => {
    const resume = wake;
    wake = undefined;
    resume?.();
  };
  decompress.once('close', stop);
  let allocated = 1;
  try {
    let buffer = first;
    let length = firstLength;
    while (length > 0 && !decompress.destroyed) {
      const chunk = buffer.subarray(0, length);
      check?.update(chunk);
      const owner = buffer;
      decompress.write(chunk, () => release(owner));
      if (free.length === 0 && allocated < POOLED_READS) {
        free.push(Buffer.allocUnsafeSlow(READ_BLOCK));
        allocated++;
      }
      while (free.length === 0 && !decompress.destroyed)
        await new Promise<void>((resolve) => (wake = resolve));
      if (decompress.destroyed) return;
      buffer = free.pop()!;
      length = await reader.read(buffer);
    }
    if (decompress.destroyed) return;
    // The blob digest is checked before the decompressor ends: a mismatch fails the layer, whatever inflated.
    check?.finish();
    decompress.end();
  } finally {
    decompress.off('close', stop);
    await reader.close();
  }
}

/** An uncompressed blob as chunks: the first read, then fresh buffers (the tar reader keeps views into them). */
async function* plainChunks(reader: BlobReader, head: Buffer): AsyncGenerator<Buffer> {
  try {
    if (head.length > 0) yield head;
    for (;;) {
      const buffer = Buffer.allocUnsafeSlow(READ_BLOCK);
      const length = await reader.read(buffer);
      if (length === 0) return;
      yield buffer.subarray(0, length);
    }
  } finally {
    await reader.close();
  }
}

/**
 * A failure reading a layer as a PalisadeError; while inflating, with how far into the compressed blob it came (a
 * cut-short gzip says only "unexpected end of file").
 */
function wrapLayerError(error: unknown, where: string, decompress?: Transform): Error {
  if (error instanceof PalisadeError) return error;
  const consumed = (decompress as (Transform & { bytesWritten?: number }) | undefined)?.bytesWritten;
  const at = typeof consumed === 'number' ? ` (after ${consumed} bytes of the compressed blob)` : '';
  return new PalisadeError('input-unreadable', `${where}: ${(error as Error).message}${at}`, {
    cause: error,
  });
}

class DecompressedTar implements LayerTar {
  readonly #stream: Readable;
  readonly #settled: Promise<Error | undefined>;
  readonly #options: LayerStreamOptions;
  readonly #queue: Buffer[] = [];
  #queued = 0;
  #ended = false;
  #failure: Error | undefined;
  #wake: (() => void) | undefined;
  #started = false;

  constructor(stream: Readable, settled: Promise<Error | undefined>, options: LayerStreamOptions) {
    this.#stream = stream;
    this.#settled = settled;
    this.#options = options;
    settled.then((error) => {
      if (error !== undefined) this.#fail(error);
    });
  }

  #fail(error: Error): void {
    this.#failure ??= error;
    this.#wakeUp();
  }

  #wakeUp(): void {
    const wake = this.#wake;
    this.#wake = undefined;
    wake?.();
  }

  destroy(reason?: Error): void {
    if (reason !== undefined) this.#fail(reason);
    this.#stream.destroy(reason);
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<Buffer> {
    if (this.#started) throw new PalisadeError('internal', `${this.#options.where}: layer read twice`);
    this.#started = true;
    const stream = this.#stream;
    const { where, maxUncompressed, diffId } = this.#options;
    const hash = diffId === undefined ? undefined : createHash(parseDigest(diffId, where).algorithm);
    let seen = 0;
    const onData = (chunk: Buffer): void => {
      seen += chunk.length;
      // Checked as bytes come out of the decompressor, which stops at once: a bomb is never inflated further.
      if (seen > maxUncompressed) {
        stream.destroy();
        this.#fail(
          new PalisadeError(
            'input-unreadable',
            `${where}: uncompressed size exceeds ${maxUncompressed} bytes (decompression bomb?)`,
          ),
        );
        return;
      }
      this.#queue.push(chunk);
      this.#queued += chunk.length;
      if (this.#queued >= READ_AHEAD) stream.pause();
      this.#wakeUp();
    };
    const onEnd = (): void => {
      this.#ended = true;
      this.#wakeUp();
    };
    // Stream errors arrive through the pipeline (wrapped, with the layer named); this only wakes the reader.
    const onError = (): void => {
      this.#settled.then((error) =>
        this.#fail(error ?? new PalisadeError('input-unreadable', `${where}: read failed`)),
      );
    };
    stream.on('data', onData);
    stream.on('end', onEnd);
    stream.on('error', onError);
    try {
      for (;;) {
        if (this.#failure !== undefined) throw this.#failure;
        const chunk = this.#queue.shift();
        if (chunk === undefined) {
          if (this.#ended) break;
          await new Promise<void>((resolve) => {
            this.#wake = resolve;
          });
          continue;
        }
        this.#queued -= chunk.length;
        if (this.#queued < READ_AHEAD / 2 && stream.isPaused()) stream.resume();
        hash?.update(chunk);
        yield chunk;
      }
      // The blob digest is checked before the decompressor ends; a failure there wins over the diff_id.
      const failure = await this.#settled;
      if (failure !== undefined) throw failure;
      if (hash !== undefined) {
        const actual = `${parseDigest(diffId, where).algorithm}:${hash.digest('hex')}`;
        if (actual !== diffId)
          throw new PalisadeError(
            'input-unreadable',
            `${where} (diff_id): digest mismatch (expected ${diffId}, got ${actual})`,
          );
      }
    } finally {
      stream.off('data', onData);
      stream.off('end', onEnd);
      stream.off('error', onError);
      stream.destroy();
    }
  }
}
