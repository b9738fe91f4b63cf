// `docker save` archives: manifest.json names the config and the layer files, in the old layout
// (<id>/layer.tar) and in Docker 25+ (OCI blobs/sha256/<hex>, with index.json beside it).
import { PalisadeError } from '../core/errors.ts';
import { digestOf } from './digest.ts';
import { parseImageConfig } from './image-config.ts';
import { type ImageSource, MAX_CONFIG_BYTES, MAX_MANIFEST_BYTES } from './image-source.ts';
import type { TarIndex } from './tar-index.ts';

interface ArchiveImage {
  config: string;
  repoTags: string[];
  layers: string[];
}

function parseArchiveManifest(raw: Buffer, where: string): ArchiveImage[] {
  let json: unknown;
  try {
    json = JSON.parse(raw.toString('utf8'));
  } catch (error) {
    throw new PalisadeError('input-unreadable', `${where}: manifest.json is not JSON`, { cause: error });
  }
  if (!Array.isArray(json) || json.length === 0)
    throw new PalisadeError('input-unreadable', `${where}: manifest.json lists no images`);
  return json.map((item: unknown, position) => {
    const record = (typeof item === 'object' && item !== null ? item : {}) as Record<string, unknown>;
    const layers = Array.isArray(record.Layers) ? record.Layers : undefined;
    if (
      typeof record.Config !== 'string' ||
      layers === undefined ||
      layers.some((layer) => typeof layer !== 'string')
    )
      throw new PalisadeError(
        'input-unreadable',
        `${where}: manifest.json[${position}] needs Config and Layers`,
      );
    return {
      config: record.Config,
      repoTags: Array.isArray(record.RepoTags)
        ? record.RepoTags.filter((tag) => typeof tag === 'string')
        : [],
      layers: layers as string[],
    };
  });
}

export interface DockerArchiveOptions {
  /** Picks the image with this RepoTag when the archive holds several. */
  tag?: string;
}

export function isDockerArchive(index: TarIndex): boolean {
  return index.has('manifest.json');
}

export async function openDockerArchive(
  index: TarIndex,
  target: string,
  options: DockerArchiveOptions,
  close: () => Promise<void>,
): Promise<ImageSource> {
  const images = parseArchiveManifest(await index.read('manifest.json', MAX_MANIFEST_BYTES), target);
  let image = images[0]!;
  if (options.tag !== undefined) {
    const tagged = images.find((candidate) => candidate.repoTags.includes(options.tag!));
    if (tagged === undefined)
      throw new PalisadeError(
        'input-not-found',
        `${target}: no image tagged "${options.tag}" (has: ${images.flatMap((i) => i.repoTags).join(', ') || 'none'})`,
      );
    image = tagged;
  } else if (images.length > 1)
    throw new PalisadeError(
      'usage',
      `${target}: the archive holds ${images.length} images; name one as ${target}:<tag> (${images
        .flatMap((i) => i.repoTags)
        .join(', ')})`,
    );
  const configRaw = await index.read(image.config, MAX_CONFIG_BYTES);
  // The config's name is its digest in both layouts (<hex>.json, or blobs/sha256/<hex>).
  const configDigest = digestOf(configRaw);
  const named = /([a-f0-9]{64})(?:\.json)?$/.exec(image.config)?.[1];
  if (named !== undefined && `sha256:${named}` !== configDigest)
    throw new PalisadeError(
      'input-unreadable',
      `${target}: ${image.config} does not match its digest (${configDigest})`,
    );
  const config = parseImageConfig(configRaw, `${target} ${image.config}`);
  if (config.diffIds.length !== image.layers.length)
    throw new PalisadeError(
      'input-unreadable',
      `${target}: manifest.json lists ${image.layers.length} layers but the config has ${config.diffIds.length} diff_ids`,
    );
  const source: ImageSource = {
    target,
    configDigest,
    config,
    annotations: {},
    layers: image.layers.map((layer, position) => {
      const size = index.member(layer)?.size;
      if (size === undefined)
        throw new PalisadeError('input-unreadable', `${target}: layer file ${layer} is missing`);
      return {
        diffId: config.diffIds[position]!,
        size,
        open: async () => index.open(layer).stream,
        openReader: async () => (await index.openReader(layer)).reader,
      };
    }),
    close,
  };
  const reference = image.repoTags[0];
  if (reference !== undefined) source.reference = reference;
  return source;
}
