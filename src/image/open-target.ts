// What the user named: an SBOM file, a directory, an OCI layout (directory or tar), a docker save archive
// (plain or gzip-compressed), or else an image reference to pull. `path:tag` picks one image in an
// archive or layout holding several.
import { createReadStream, createWriteStream } from 'node:fs';
import { lstat, open, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createGunzip, createZstdDecompress } from 'node:zlib';
import { PalisadeError } from '../core/errors.ts';
import { isDockerArchive, openDockerArchive } from './docker-archive.ts';
import type { ImageSource } from './image-source.ts';
import { detectCompression } from './layer-stream.ts';
import { directoryBlobStore, openOciLayout, tarBlobStore } from './oci-layout.ts';
import type { Platform } from './platform.ts';
import { openRegistryImage, type RegistryOptions } from './registry-client.ts';
import { unsupportedSbomFormat, unsupportedSbomMessage } from './sbom/sbom-text-format.ts';
import { TarIndex } from './tar-index.ts';
import { createTempDir, removeTempDir } from './temp-files.ts';

export type Target =
  | { kind: 'image'; source: ImageSource }
  | { kind: 'directory'; root: string }
  | { kind: 'sbom'; file: string };

export interface OpenTargetOptions extends Omit<RegistryOptions, 'platform'> {
  cwd: string;
  platform: Platform;
  /** Largest archive decompressed to a temporary file (docker save | gzip). Default 32 GiB. */
  maxArchiveBytes?: number;
}

async function head(file: string, bytes: number): Promise<Buffer> {
  const handle = await open(file, 'r');
  try {
    const buffer = Buffer.alloc(bytes);
    const { bytesRead } = await handle.read(buffer, 0, bytes, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

function isTarHeader(block: Buffer): boolean {
  return block.length >= 512 && block.subarray(257, 262).toString('latin1') === 'ustar';
}

/** JSON text at the start of a file: UTF-8 (with or without a BOM) or UTF-16 with a byte-order mark. */
function looksLikeJson(first: Buffer): boolean {
  let text = first.toString('utf8');
  const even = (bytes: Buffer) => Buffer.from(bytes.subarray(0, bytes.length - (bytes.length % 2)));
  if (first[0] === 0xff && first[1] === 0xfe) text = even(first.subarray(2)).toString('utf16le');
  else if (first[0] === 0xfe && first[1] === 0xff)
    text = even(first.subarray(2)).swap16().toString('utf16le');
  // \s covers U+FEFF, the UTF-8 byte-order mark.
  return /^\s*[{[]/.test(text);
}

async function existing(path: string): Promise<Awaited<ReturnType<typeof stat>> | undefined> {
  return stat(path).catch(() => undefined);
}

/** Splits `path:tag` when `path` exists and the whole does not. */
async function splitTag(cwd: string, text: string): Promise<{ path: string; tag?: string } | undefined> {
  const whole = resolve(cwd, text);
  if ((await existing(whole)) !== undefined) return { path: whole };
  const colon = text.indexOf(':', text.lastIndexOf('/') + 1);
  if (colon > 0 && (await existing(resolve(cwd, text.slice(0, colon)))) !== undefined)
    return { path: resolve(cwd, text.slice(0, colon)), tag: text.slice(colon + 1) };
  return undefined;
}

async function decompressArchive(
  file: string,
  compression: 'gzip' | 'zstd',
  limit: number,
  signal: AbortSignal | undefined,
): Promise<{ path: string; cleanup: () => Promise<void> }> {
  // Registered for removal at exit: a second Ctrl-C exits at once, without this function's catch running.
  const dir = createTempDir('palisade-archive-');
  const path = join(dir, 'archive.tar');
  let written = 0;
  try {
    await pipeline(
      createReadStream(file),
      compression === 'gzip' ? createGunzip() : createZstdDecompress(),
      async function* (source: AsyncIterable<Buffer>) {
        for await (const chunk of source) {
          written += chunk.length;
          if (written > limit)
            throw new PalisadeError('input-unreadable', `${file}: decompresses to more than ${limit} bytes`);
          yield chunk;
        }
      },
      createWriteStream(path, { flags: 'wx', mode: 0o600 }),
      // Ctrl-C stops a decompression of many gigabytes now, not when it is done.
      ...(signal === undefined ? [] : [{ signal }]),
    );
  } catch (error) {
    await removeTempDir(dir);
    if (signal?.aborted === true) throw signal.reason;
    throw error instanceof PalisadeError
      ? error
      : new PalisadeError('input-unreadable', `${file}: ${(error as Error).message}`, { cause: error });
  }
  return { path, cleanup: () => removeTempDir(dir) };
}

export async function openTarget(text: string, options: OpenTargetOptions): Promise<Target> {
  const local = await splitTag(options.cwd, text);
  if (local === undefined) {
    // A link that does not resolve is a path the user named, not an image reference to look up in a registry.
    const link = await lstat(resolve(options.cwd, text)).catch(() => undefined);
    if (link?.isSymbolicLink())
      throw new PalisadeError(
        'input-unreadable',
        `${text}: a symbolic link that does not resolve (dangling, or a loop)`,
      );
    // An image reference never starts like a path: say what is missing rather than why it is not an image.
    if (/^(?:\.{1,2}(?:\/|$)|\/|~\/)/.test(text))
      throw new PalisadeError('input-unreadable', `${text}: no such file or directory`);
    const registry: RegistryOptions = { ...options };
    return { kind: 'image', source: await openRegistryImage(text, registry) };
  }
  const info = (await existing(local.path))!;
  const tagged = local.tag === undefined ? {} : { tag: local.tag };
  // The archive or layout as named, without the tag: the chosen image is named after it with its own tag.
  const named = local.tag === undefined ? text : text.slice(0, -(local.tag.length + 1));
  if (info.isDirectory()) {
    if ((await existing(join(local.path, 'oci-layout'))) !== undefined)
      return {
        kind: 'image',
        source: await openOciLayout(
          directoryBlobStore(local.path),
          named,
          { platform: options.platform, ...tagged },
          async () => {},
        ),
      };
    if (local.tag !== undefined)
      throw new PalisadeError('usage', `${text}: a tag only applies to archives and OCI layouts`);
    return { kind: 'directory', root: local.path };
  }
  // A FIFO or device would block the read below, beyond the reach of SIGTERM.
  if (!info.isFile())
    throw new PalisadeError('input-unreadable', `${text}: not a regular file (a FIFO, socket or device)`);
  const first = await head(local.path, 512);
  const compression = detectCompression(first);
  let tarFile = local.path;
  let cleanup = async (): Promise<void> => {};
  if (compression !== 'none') {
    ({ path: tarFile, cleanup } = await decompressArchive(
      local.path,
      compression,
      options.maxArchiveBytes ?? 32 * 2 ** 30,
      options.signal,
    ));
  } else if (!isTarHeader(first)) {
    if (looksLikeJson(first)) return { kind: 'sbom', file: local.path };
    const format = unsupportedSbomFormat(first.toString('utf8'));
    if (format !== undefined)
      throw new PalisadeError('input-unreadable', unsupportedSbomMessage(text, format));
    throw new PalisadeError(
      'input-unreadable',
      `${text}: not a tar archive, OCI layout, directory or JSON SBOM`,
    );
  }
  try {
    const index = await TarIndex.build(tarFile, text);
    if (isDockerArchive(index))
      return { kind: 'image', source: await openDockerArchive(index, named, tagged, cleanup) };
    if (index.has('oci-layout'))
      return {
        kind: 'image',
        source: await openOciLayout(
          tarBlobStore(index),
          named,
          { platform: options.platform, ...tagged },
          cleanup,
        ),
      };
    throw new PalisadeError(
      'input-unreadable',
      `${text}: a tar archive, but neither a docker save archive (manifest.json) nor an OCI layout (oci-layout)`,
    );
  } catch (error) {
    await cleanup();
    throw error;
  }
}
