// What every image origin (registry, docker save archive, OCI layout) provides to the inventory.
import type { FileHandle } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import type { ImageConfig } from './image-config.ts';

/**
 * A stored blob read into the caller's buffers, for blobs in files (layout directories, archives): the layer stream
 * then reuses a few read buffers instead of allocating one per read, which spares the garbage collector.
 */
export interface BlobReader {
  /** Reads the next bytes into `buffer` (at most its length); 0 at the end of the blob. */
  read(buffer: Buffer): Promise<number>;
  close(): Promise<void>;
}

export interface LayerSource {
  /** Digest of the blob as stored (compressed or not). */
  digest?: string;
  size?: number;
  mediaType?: string;
  /** Digest of the uncompressed tar, from the config's rootfs. */
  diffId: string;
  open(): Promise<Readable>;
  /** The same bytes as open(), for blobs stored in files. */
  openReader?(): Promise<BlobReader>;
}

export interface ImageSource {
  /** What the user named: a reference, an archive path or a layout path. */
  target: string;
  /** Normalised image reference, when known (registry, or a tag inside an archive). */
  reference?: string;
  manifestDigest?: string;
  configDigest: string;
  config: ImageConfig;
  /** Manifest annotations (e.g. org.opencontainers.image.base.name). */
  annotations: Record<string, string>;
  layers: LayerSource[];
  /** Releases files or temporary data the source holds. */
  close(): Promise<void>;
}

export const MAX_MANIFEST_BYTES = 4 * 1024 * 1024;
export const MAX_CONFIG_BYTES = 8 * 1024 * 1024;

/** `length` bytes of an open file from `start`, read in order; closes the handle when `owned`. */
export function fileRangeReader(
  handle: FileHandle,
  start: number,
  length: number,
  owned: boolean,
): BlobReader {
  let position = start;
  const end = start + length;
  return {
    async read(buffer) {
      const want = Math.min(buffer.length, end - position);
      if (want <= 0) return 0;
      const { bytesRead } = await handle.read(buffer, 0, want, position);
      position += bytesRead;
      return bytesRead;
    },
    async close() {
      if (owned) await handle.close();
    },
  };
}
