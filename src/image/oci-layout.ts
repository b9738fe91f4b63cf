// OCI image layouts, as a directory or packed in a tar: index.json → (index →) manifest → config and layers.
import type { Readable } from 'node:stream';
import { PalisadeError } from '../core/errors.ts';
import { parseDigest, verifyDigest } from './digest.ts';
import { parseImageConfig } from './image-config.ts';
import {
  type BlobReader,
  fileRangeReader,
  type ImageSource,
  MAX_CONFIG_BYTES,
  MAX_MANIFEST_BYTES,
} from './image-source.ts';
import { openLayoutFile, readLayoutFile } from './layout-file.ts';
import { parseManifest } from './manifest.ts';
import { type Platform, selectPlatform } from './platform.ts';
import type { TarIndex } from './tar-index.ts';

/** Blob access shared by the directory and tar forms. */
export interface BlobStore {
  read(path: string, limit: number): Promise<Buffer>;
  /** `size`, when the descriptor gives one, is checked against the stored blob before streaming. */
  open(path: string, size?: number): Promise<Readable>;
  /** The same, read into the caller's buffers. */
  openReader(path: string, size?: number): Promise<BlobReader>;
}

function checkSize(where: string, path: string, actual: number, expected: number | undefined): void {
  if (expected !== undefined && actual !== expected)
    throw new PalisadeError(
      'input-unreadable',
      `${where}: ${path} is ${actual} bytes, but its descriptor says ${expected}`,
    );
}

export function directoryBlobStore(root: string): BlobStore {
  /** The blob's file, opened and checked against the size its descriptor gives. */
  const openSized = async (path: string, size: number | undefined) => {
    const opened = await openLayoutFile(root, path, root);
    try {
      checkSize(root, path, opened.size, size);
    } catch (error) {
      await opened.handle.close();
      throw error;
    }
    return opened;
  };
  return {
    read: (path, limit) => readLayoutFile(root, path, root, limit),
    async open(path, size) {
      const { handle } = await openSized(path, size);
      // Large reads: fewer chunks through the digest, decompression and tar stages.
      return handle.createReadStream({ highWaterMark: 1024 * 1024 });
    },
    async openReader(path, size) {
      const { handle, size: actual } = await openSized(path, size);
      return fileRangeReader(handle, 0, actual, true);
    },
  };
}

export function tarBlobStore(index: TarIndex): BlobStore {
  return {
    read: (path, limit) => index.read(path, limit),
    async open(path, size) {
      const member = index.open(path);
      try {
        checkSize(index.where, path, member.size, size);
      } catch (error) {
        member.stream.destroy();
        throw error;
      }
      return member.stream;
    },
    async openReader(path, size) {
      const { reader, size: actual } = await index.openReader(path);
      try {
        checkSize(index.where, path, actual, size);
      } catch (error) {
        await reader.close();
        throw error;
      }
      return reader;
    },
  };
}

function blobPath(digest: string, where: string): string {
  const { algorithm, hex } = parseDigest(digest, where);
  return `blobs/${algorithm}/${hex}`;
}

const REF_NAME = 'org.opencontainers.image.ref.name';

export interface LayoutOptions {
  platform: Platform;
  /** Picks the manifest whose ref.name annotation equals this (a tag), when the index has several. */
  tag?: string;
}

/** Opens an OCI layout through its blob store. */
export async function openOciLayout(
  store: BlobStore,
  target: string,
  options: LayoutOptions,
  close: () => Promise<void>,
): Promise<ImageSource> {
  // Read only to prove it is a readable file: a FIFO or a device there is refused, not waited on.
  await store.read('oci-layout', 4096);
  const where = `${target} index.json`;
  let manifest = parseManifest(await store.read('index.json', MAX_MANIFEST_BYTES), where);
  let manifestDigest: string | undefined;
  let reference: string | undefined;
  for (let depth = 0; manifest.kind === 'index'; depth++) {
    if (depth > 4) throw new PalisadeError('input-unreadable', `${target}: indexes nested too deeply`);
    let entries = manifest.entries;
    if (depth === 0 && options.tag !== undefined) {
      entries = entries.filter((entry) => entry.annotations[REF_NAME] === options.tag);
      if (entries.length === 0)
        throw new PalisadeError('input-not-found', `${target}: no image tagged "${options.tag}"`);
    }
    // Entries named differently are different images, not one image's platforms: which one is the user's choice.
    const names = new Set(entries.flatMap((entry) => entry.annotations[REF_NAME] ?? []));
    if (depth === 0 && names.size > 1)
      throw new PalisadeError(
        'usage',
        `${target}: the layout holds ${names.size} images; name one as ${target}:<tag> (${[...names].join(', ')})`,
      );
    // ref.name is a full reference (docker.io/library/nginx:1.25) or just a tag; a bare tag is named after the layout.
    const refName = depth === 0 ? entries[0]?.annotations[REF_NAME] : undefined;
    if (refName !== undefined) reference = refName.includes('/') ? refName : `${target}:${refName}`;
    const chosen =
      entries.length === 1 && entries[0]!.platform === undefined
        ? entries[0]!
        : selectPlatform(entries, options.platform, target);
    const raw = await store.read(blobPath(chosen.digest, where), MAX_MANIFEST_BYTES);
    verifyDigest(raw, chosen.digest, `${target} manifest ${chosen.digest}`);
    manifestDigest = chosen.digest;
    manifest = parseManifest(raw, `${target} manifest ${chosen.digest}`, chosen.mediaType);
  }
  const configRaw = await store.read(blobPath(manifest.config.digest, target), MAX_CONFIG_BYTES);
  verifyDigest(configRaw, manifest.config.digest, `${target} config`);
  const config = parseImageConfig(configRaw, `${target} config`);
  if (config.diffIds.length !== manifest.layers.length)
    throw new PalisadeError(
      'input-unreadable',
      `${target}: manifest has ${manifest.layers.length} layers but the config lists ${config.diffIds.length} diff_ids`,
    );
  const source: ImageSource = {
    target,
    configDigest: manifest.config.digest,
    config,
    annotations: manifest.annotations,
    layers: manifest.layers.map((layer, position) => {
      const path = blobPath(layer.digest, `${target} layer ${position}`);
      const entry = {
        digest: layer.digest,
        mediaType: layer.mediaType,
        diffId: config.diffIds[position]!,
        open: () => store.open(path, layer.size),
        openReader: () => store.openReader(path, layer.size),
      };
      return layer.size === undefined ? entry : { ...entry, size: layer.size };
    }),
    close,
  };
  if (manifestDigest !== undefined) source.manifestDigest = manifestDigest;
  if (reference !== undefined) source.reference = reference;
  return source;
}
