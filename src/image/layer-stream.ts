// Layer bytes in, tar bytes out: compression detected from magic bytes (gzip, zstd or none, whatever the
// media type claims), the uncompressed size capped against decompression bombs, the diff_id verified.
import { type Readable, Transform, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip, createZstdDecompress } from 'node:zlib';
import { PalisadeError } from '../core/errors.ts';
import { DigestVerifier } from './digest.ts';

export type Compression = 'gzip' | 'zstd' | 'none';

const GZIP_MAGIC = [0x1f, 0x8b];
const ZSTD_MAGIC = [0x28, 0xb5, 0x2f, 0xfd];

export function detectCompression(head: Uint8Array): Compression {
  if (GZIP_MAGIC.every((byte, i) => head[i] === byte)) return 'gzip';
  if (ZSTD_MAGIC.every((byte, i) => head[i] === byte)) return 'zstd';
  return 'none';
}

class SizeCap extends Transform {
  #seen = 0;
  readonly limit: number;
  readonly where: string;
  constructor(limit: number, where: string) {
    super();
    this.limit = limit;
    this.where = where;
  }
  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    this.#seen += chunk.length;
    if (this.#seen > this.limit)
      done(
        new PalisadeError(
          'input-unreadable',
          `${this.where}: uncompressed size exceeds ${this.limit} bytes (decompression bomb?)`,
        ),
      );
    else done(null, chunk);
  }
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

/** Reads the first bytes and puts them back (unshift), to pick the decompressor without an extra stage. */
async function peek(stream: Readable, bytes: number): Promise<Buffer> {
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
    await new Promise<void>((resolve) => {
      const done = (): void => {
        stream.off('readable', done);
        stream.off('end', done);
        stream.off('error', done);
        stream.off('close', done);
        resolve();
      };
      stream.on('readable', done);
      stream.on('end', done);
      stream.on('error', done);
      stream.on('close', done);
    });
  }
  const head = Buffer.concat(chunks);
  if (head.length > 0) stream.unshift(head);
  return head;
}

/**
 * Returns the uncompressed tar stream of a layer. Errors (bad digest, bomb, corrupt compression) surface
 * from the returned stream, so a reader sees them where it stops.
 */
export async function openLayerTar(blob: Readable, options: LayerStreamOptions): Promise<Readable> {
  let verified: Readable = blob;
  if (options.blobDigest !== undefined) {
    const verifier = new DigestVerifier(options.blobDigest, `${options.where} (blob)`, options.blobSize);
    blob.on('error', (error) => verifier.destroy(error));
    verified = blob.pipe(verifier);
  }
  const compression = detectCompression(await peek(verified, 4));
  const stages: NodeJS.ReadWriteStream[] = [];
  if (compression === 'gzip') stages.push(createGunzip({ chunkSize: 128 * 1024 }));
  else if (compression === 'zstd') stages.push(createZstdDecompress({ chunkSize: 128 * 1024 }));
  stages.push(new SizeCap(options.maxUncompressed, options.where));
  if (options.diffId !== undefined)
    stages.push(new DigestVerifier(options.diffId, `${options.where} (diff_id)`));
  const out = stages.at(-1) as unknown as Readable;
  (pipeline as unknown as (streams: unknown[]) => Promise<void>)([verified, ...stages]).catch(
    (error: unknown) => {
      const wrapped =
        error instanceof PalisadeError
          ? error
          : new PalisadeError('input-unreadable', `${options.where}: ${(error as Error).message}`, {
              cause: error,
            });
      out.destroy(wrapped);
    },
  );
  return out;
}
