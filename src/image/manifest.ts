// OCI / Docker v2 manifests and indexes: parsed, checked, and told apart by media type and shape.
import { PalisadeError } from '../core/errors.ts';
import { isRecord } from '../core/kube-object.ts';
import { type IndexEntry, indexEntries } from './platform.ts';

export const MEDIA_TYPES = {
  ociIndex: 'application/vnd.oci.image.index.v1+json',
  ociManifest: 'application/vnd.oci.image.manifest.v1+json',
  dockerList: 'application/vnd.docker.distribution.manifest.list.v2+json',
  dockerManifest: 'application/vnd.docker.distribution.manifest.v2+json',
  dockerSchema1: 'application/vnd.docker.distribution.manifest.v1+json',
  dockerSchema1Signed: 'application/vnd.docker.distribution.manifest.v1+prettyjws',
} as const;

export const ACCEPT_MANIFESTS = [
  MEDIA_TYPES.ociIndex,
  MEDIA_TYPES.ociManifest,
  MEDIA_TYPES.dockerList,
  MEDIA_TYPES.dockerManifest,
].join(', ');

export interface Descriptor {
  digest: string;
  size?: number;
  mediaType: string;
}

export type ParsedManifest =
  | { kind: 'index'; entries: IndexEntry[] }
  | { kind: 'image'; config: Descriptor; layers: Descriptor[]; annotations: Record<string, string> };

function descriptor(value: unknown, where: string): Descriptor {
  if (!isRecord(value) || typeof value.digest !== 'string')
    throw new PalisadeError('input-unreadable', `${where}: descriptor without a digest`);
  const parsed: Descriptor = {
    digest: value.digest,
    mediaType: typeof value.mediaType === 'string' ? value.mediaType : '',
  };
  if (typeof value.size === 'number' && Number.isSafeInteger(value.size) && value.size >= 0)
    parsed.size = value.size;
  return parsed;
}

/** A JSON document that must be an object (a manifest, an image config): refused naming `what` otherwise. */
export function parseJsonObject(raw: Buffer, where: string, what: string): Record<string, unknown> {
  let json: unknown;
  try {
    json = JSON.parse(raw.toString('utf8'));
  } catch (error) {
    throw new PalisadeError(
      'input-unreadable',
      `${where}: ${what} is not JSON: ${(error as Error).message}`,
      {
        cause: error,
      },
    );
  }
  if (!isRecord(json)) throw new PalisadeError('input-unreadable', `${where}: ${what} is not an object`);
  return json;
}

export function parseManifest(raw: Buffer, where: string, contentType = ''): ParsedManifest {
  const json = parseJsonObject(raw, where, 'manifest');
  const mediaType = typeof json.mediaType === 'string' ? json.mediaType : contentType.split(';')[0]!.trim();
  if (json.schemaVersion === 1 || mediaType.startsWith(MEDIA_TYPES.dockerSchema1))
    throw new PalisadeError(
      'unsupported',
      `${where}: Docker schema 1 manifests are not supported (deprecated format)`,
    );
  if (
    mediaType === MEDIA_TYPES.ociIndex ||
    mediaType === MEDIA_TYPES.dockerList ||
    Array.isArray(json.manifests)
  )
    return { kind: 'index', entries: indexEntries(json, where) };
  if (!Array.isArray(json.layers))
    throw new PalisadeError('input-unreadable', `${where}: manifest has no layers`);
  const annotations: Record<string, string> = {};
  if (isRecord(json.annotations))
    for (const [key, value] of Object.entries(json.annotations))
      if (typeof value === 'string') annotations[key] = value;
  return {
    kind: 'image',
    config: descriptor(json.config, `${where} config`),
    layers: json.layers.map((layer, position) => descriptor(layer, `${where} layers[${position}]`)),
    annotations,
  };
}
