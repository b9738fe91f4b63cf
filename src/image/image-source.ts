// What every image origin (registry, docker save archive, OCI layout) provides to the inventory.
import type { Readable } from 'node:stream';
import type { ImageConfig } from './image-config.ts';

export interface LayerSource {
  /** Digest of the blob as stored (compressed or not). */
  digest?: string;
  size?: number;
  mediaType?: string;
  /** Digest of the uncompressed tar, from the config's rootfs. */
  diffId: string;
  open(): Promise<Readable>;
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
