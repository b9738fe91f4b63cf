// Builds test images from file lists: layers (plain, gzip or zstd), config, manifest, and writes them as OCI
// layouts (directory or tar), docker save archives (old and Docker 25+ layouts), or pushes them to a registry.
import { createHash } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync, zstdCompressSync } from 'node:zlib';
import { type TarSpec, tarBytes } from './tar-writer.ts';

export type Compression = 'none' | 'gzip' | 'zstd';

export interface BuiltLayer {
  tar: Buffer;
  blob: Buffer;
  diffId: string;
  digest: string;
  mediaType: string;
}

export interface BuiltImage {
  layers: BuiltLayer[];
  config: Buffer;
  configDigest: string;
  manifest: Buffer;
  manifestDigest: string;
}

export interface ImageSpec {
  layers: readonly (readonly TarSpec[] | Buffer)[];
  compression?: Compression;
  config?: Record<string, unknown>;
  history?: { created_by: string; empty_layer?: boolean }[];
  architecture?: string;
  os?: string;
  annotations?: Record<string, string>;
}

export function sha256(data: Buffer | string): string {
  return `sha256:${createHash('sha256').update(data).digest('hex')}`;
}

function compress(tar: Buffer, compression: Compression): { blob: Buffer; mediaType: string } {
  if (compression === 'gzip')
    return { blob: gzipSync(tar), mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip' };
  if (compression === 'zstd')
    return { blob: zstdCompressSync(tar), mediaType: 'application/vnd.oci.image.layer.v1.tar+zstd' };
  return { blob: tar, mediaType: 'application/vnd.oci.image.layer.v1.tar' };
}

export function buildImage(spec: ImageSpec): BuiltImage {
  const layers = spec.layers.map((entries) => {
    const tar = Buffer.isBuffer(entries) ? entries : tarBytes(entries);
    const { blob, mediaType } = compress(tar, spec.compression ?? 'gzip');
    return { tar, blob, diffId: sha256(tar), digest: sha256(blob), mediaType };
  });
  const config = Buffer.from(
    JSON.stringify({
      architecture: spec.architecture ?? 'amd64',
      os: spec.os ?? 'linux',
      config: spec.config ?? { User: '1000', Healthcheck: { Test: ['CMD', 'true'] } },
      rootfs: { type: 'layers', diff_ids: layers.map((layer) => layer.diffId) },
      history: spec.history ?? layers.map((_, i) => ({ created_by: `RUN step ${i + 1}` })),
    }),
  );
  const configDigest = sha256(config);
  const manifest = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      config: {
        mediaType: 'application/vnd.oci.image.config.v1+json',
        digest: configDigest,
        size: config.length,
      },
      layers: layers.map((layer) => ({
        mediaType: layer.mediaType,
        digest: layer.digest,
        size: layer.blob.length,
      })),
      ...(spec.annotations === undefined ? {} : { annotations: spec.annotations }),
    }),
  );
  return { layers, config, configDigest, manifest, manifestDigest: sha256(manifest) };
}

function hex(digest: string): string {
  return digest.slice('sha256:'.length);
}

export interface IndexEntry {
  image: BuiltImage;
  platform?: { os: string; architecture: string; variant?: string };
  tag?: string;
}

/** OCI layout files (path → bytes): oci-layout, index.json, blobs. */
export function ociLayoutFiles(entries: readonly IndexEntry[], nested = false): Map<string, Buffer> {
  const files = new Map<string, Buffer>();
  files.set('oci-layout', Buffer.from('{"imageLayoutVersion":"1.0.0"}'));
  const descriptors = entries.map(({ image, platform, tag }) => {
    files.set(`blobs/sha256/${hex(image.manifestDigest)}`, image.manifest);
    files.set(`blobs/sha256/${hex(image.configDigest)}`, image.config);
    for (const layer of image.layers) files.set(`blobs/sha256/${hex(layer.digest)}`, layer.blob);
    return {
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      digest: image.manifestDigest,
      size: image.manifest.length,
      ...(platform === undefined ? {} : { platform }),
      ...(tag === undefined ? {} : { annotations: { 'org.opencontainers.image.ref.name': tag } }),
    };
  });
  let index = {
    schemaVersion: 2,
    mediaType: 'application/vnd.oci.image.index.v1+json',
    manifests: descriptors,
  };
  if (nested) {
    const inner = Buffer.from(JSON.stringify(index));
    files.set(`blobs/sha256/${hex(sha256(inner))}`, inner);
    index = {
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.index.v1+json',
      manifests: [
        {
          mediaType: 'application/vnd.oci.image.index.v1+json',
          digest: sha256(inner),
          size: inner.length,
        } as never,
      ],
    };
  }
  files.set('index.json', Buffer.from(JSON.stringify(index)));
  return files;
}

export async function writeFiles(dir: string, files: Map<string, Buffer>): Promise<void> {
  for (const [path, data] of files) {
    await mkdir(join(dir, path, '..'), { recursive: true });
    await writeFile(join(dir, path), data);
  }
}

export function filesToTar(files: Map<string, Buffer>): Buffer {
  return tarBytes([...files].map(([name, content]) => ({ name, content })));
}

/** docker save: 'old' = <id>/layer.tar + <config-hex>.json; 'docker25' = OCI blobs + manifest.json (uncompressed layers). */
export function dockerArchiveFiles(
  image: BuiltImage,
  layout: 'old' | 'docker25',
  repoTag = 'test/image:1.0',
): Map<string, Buffer> {
  const files = new Map<string, Buffer>();
  if (layout === 'old') {
    const layers = image.layers.map((layer, i) => {
      const id = hex(sha256(`${i}${layer.diffId}`));
      files.set(`${id}/layer.tar`, layer.tar);
      files.set(`${id}/VERSION`, Buffer.from('1.0'));
      return `${id}/layer.tar`;
    });
    files.set(`${hex(image.configDigest)}.json`, image.config);
    files.set(
      'manifest.json',
      Buffer.from(
        JSON.stringify([{ Config: `${hex(image.configDigest)}.json`, RepoTags: [repoTag], Layers: layers }]),
      ),
    );
    files.set('repositories', Buffer.from('{}'));
    return files;
  }
  files.set('oci-layout', Buffer.from('{"imageLayoutVersion":"1.0.0"}'));
  const layers = image.layers.map((layer) => {
    files.set(`blobs/sha256/${hex(layer.diffId)}`, layer.tar);
    return `blobs/sha256/${hex(layer.diffId)}`;
  });
  files.set(`blobs/sha256/${hex(image.configDigest)}`, image.config);
  files.set(
    'manifest.json',
    Buffer.from(
      JSON.stringify([
        { Config: `blobs/sha256/${hex(image.configDigest)}`, RepoTags: [repoTag], Layers: layers },
      ]),
    ),
  );
  files.set('index.json', Buffer.from(JSON.stringify({ schemaVersion: 2, manifests: [] })));
  return files;
}
