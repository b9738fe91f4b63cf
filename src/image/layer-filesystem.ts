// The image filesystem as the analyzers see it: layers applied in order with whiteouts, keeping only the
// files some analyzer asked for. Small files stay in memory; larger ones go to a temporary directory this
// object owns, under generated names (never a name from the archive), and which dispose() removes.
import { createWriteStream } from 'node:fs';
import { open, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { finished } from 'node:stream/promises';
import type { InventoryIssue } from './inventory-issue.ts';
import { baseName, normaliseLayerPath, parentOf, resolveLinkTarget } from './layer-path.ts';
import type { TarEntry } from './tar-reader.ts';
import { createTempDir, removeTempDir } from './temp-files.ts';

export interface FileRecord {
  path: string;
  size: number;
  mode: number;
  /** diff_id of the layer that wrote this version of the file. */
  layer: string;
  layerIndex: number;
  data?: Buffer;
  spill?: string;
  /** For directory scans: the file on disk, read when an analyzer asks. */
  disk?: string;
  /** Earlier versions from lower layers, oldest first (package databases only: to find the layer of each package). */
  history?: FileRecord[];
}

interface LinkRecord {
  target: string;
  layer: string;
  layerIndex: number;
}

export interface LayerInfo {
  diffId: string;
  index: number;
}

/** Decides, from a header alone, whether a file is worth keeping. */
export type KeepPredicate = (path: string, mode: number, size: number) => boolean;

/** Sees every regular file's content of a layer once (for secret scanning), whether kept or not. */
export interface ContentVisitor {
  wants(path: string, size: number, layer: LayerInfo): boolean;
  visit(path: string, data: Buffer, layer: LayerInfo): void;
}

export interface FileSystemLimits {
  /** Kept files larger than this are not kept (an issue says so). */
  maxKeptFile: number;
  /** Files up to this size stay in memory; larger ones are spilled to the temporary directory. */
  inMemory: number;
}

export const DEFAULT_FS_LIMITS: FileSystemLimits = { maxKeptFile: 512 * 2 ** 20, inMemory: 256 * 1024 };

/** Package databases, whose earlier versions are kept so each package gets the layer that installed it. */
const HISTORY_PATHS = new Set([
  'var/lib/dpkg/status',
  'lib/apk/db/installed',
  'var/lib/rpm/rpmdb.sqlite',
  'usr/lib/sysimage/rpm/rpmdb.sqlite',
  'var/lib/rpm/Packages',
  'usr/lib/sysimage/rpm/Packages',
]);

const WHITEOUT = '.wh.';
const OPAQUE = '.wh..wh..opq';
const MAX_LINK_HOPS = 40;

/** Read-only view the analyzers get, for images and directories alike. */
export interface FileView {
  files(): Iterable<FileRecord>;
  /** The file at `path` after following symlinks inside the root, if it was kept. */
  get(path: string): FileRecord | undefined;
  read(record: FileRecord): Promise<Buffer>;
  /** Up to `length` bytes from `offset`, without reading the whole file (large binaries). */
  readRange(record: FileRecord, offset: number, length: number): Promise<Buffer>;
}

export class LayeredFileSystem implements FileView {
  readonly #files = new Map<string, FileRecord>();
  readonly #links = new Map<string, LinkRecord>();
  /** Directories that have (or had) a kept file or link below them. */
  readonly #directories = new Set<string>();
  readonly #limits: FileSystemLimits;
  readonly issues: InventoryIssue[] = [];
  #tempDir: string | undefined;
  #spillCount = 0;

  constructor(limits: FileSystemLimits = DEFAULT_FS_LIMITS) {
    this.#limits = limits;
  }

  files(): Iterable<FileRecord> {
    return this.#files.values();
  }

  /** Resolves symlinks in every component, confined to the root; undefined on loops or when not kept. */
  get(path: string): FileRecord | undefined {
    let current = path;
    for (let hops = 0; hops < MAX_LINK_HOPS; hops++) {
      const direct = this.#files.get(current);
      if (direct !== undefined) return direct;
      const parts = current.split('/');
      let rewritten: string | undefined;
      for (let i = parts.length; i > 0; i--) {
        const prefix = parts.slice(0, i).join('/');
        const link = this.#links.get(prefix);
        if (link !== undefined) {
          const target = resolveLinkTarget(prefix, link.target);
          rewritten = [target, ...parts.slice(i)].filter(Boolean).join('/');
          break;
        }
      }
      if (rewritten === undefined || rewritten === current) return undefined;
      current = rewritten;
    }
    return undefined;
  }

  async read(record: FileRecord): Promise<Buffer> {
    if (record.data !== undefined) return record.data;
    if (record.spill !== undefined) return readFile(record.spill);
    if (record.disk !== undefined) return readFile(record.disk);
    return Buffer.alloc(0);
  }

  async readRange(record: FileRecord, offset: number, length: number): Promise<Buffer> {
    const start = Math.max(0, Math.min(offset, record.size));
    const end = Math.max(start, Math.min(record.size, offset + length));
    if (record.data !== undefined) return record.data.subarray(start, end);
    const path = record.spill ?? record.disk;
    if (path === undefined || end === start) return Buffer.alloc(0);
    const handle = await open(path, 'r');
    try {
      const buffer = Buffer.alloc(end - start);
      const { bytesRead } = await handle.read(buffer, 0, end - start, start);
      return buffer.subarray(0, bytesRead);
    } finally {
      await handle.close();
    }
  }

  /** Directory scans: a file read from disk on demand. */
  addDiskFile(path: string, disk: string, size: number, mode: number): void {
    this.#files.set(path, { path, size, mode, layer: '', layerIndex: 0, disk });
    this.#noteParents(path);
  }

  /** Directory scans: a symlink, resolved (confined to the root) by get(). */
  addLink(path: string, target: string): void {
    this.#links.set(path, { target, layer: '', layerIndex: 0 });
    this.#noteParents(path);
  }

  /** Writes bytes to a new file in the temporary directory this object owns and removes. */
  async writeTemp(data: Buffer): Promise<string> {
    const path = await this.#spillPath();
    await writeFile(path, data, { flag: 'wx', mode: 0o600 });
    return path;
  }

  async #spillPath(): Promise<string> {
    // Registered for removal at exit too: dispose() does not run when the process exits mid-scan.
    this.#tempDir ??= createTempDir('palisade-image-');
    this.#spillCount += 1;
    return join(this.#tempDir, `f${this.#spillCount}`);
  }

  /** Removes what lower layers put at `path` and below (a whiteout, or an entry replacing it). */
  #hideLower(path: string, layerIndex: number, includeSelf: boolean): void {
    if (includeSelf) {
      if ((this.#files.get(path)?.layerIndex ?? Infinity) < layerIndex) this.#files.delete(path);
      if ((this.#links.get(path)?.layerIndex ?? Infinity) < layerIndex) this.#links.delete(path);
    }
    // Only a directory that ever held a kept entry needs the (linear) subtree scan: most entries skip it.
    if (path !== '' && !this.#directories.has(path)) return;
    const prefix = path === '' ? '' : `${path}/`;
    for (const [candidate, record] of this.#files)
      if (record.layerIndex < layerIndex && candidate.startsWith(prefix)) this.#files.delete(candidate);
    for (const [candidate, record] of this.#links)
      if (record.layerIndex < layerIndex && candidate.startsWith(prefix)) this.#links.delete(candidate);
  }

  /** Records the ancestors of a kept entry, so whiteouts know which directories hold something. */
  #noteParents(path: string): void {
    for (let slash = path.lastIndexOf('/'); slash > 0; slash = path.lastIndexOf('/', slash - 1)) {
      const parent = path.slice(0, slash);
      if (this.#directories.has(parent)) return;
      this.#directories.add(parent);
    }
  }

  /** A lower-layer file where this entry needs a directory was replaced by that directory. */
  #replaceFileParents(path: string, layerIndex: number): void {
    for (let slash = path.indexOf('/'); slash > 0; slash = path.indexOf('/', slash + 1)) {
      const parent = path.slice(0, slash);
      if ((this.#files.get(parent)?.layerIndex ?? Infinity) < layerIndex) this.#files.delete(parent);
    }
  }

  #issue(issue: InventoryIssue): void {
    this.issues.push(issue);
  }

  /** Applies one layer's tar entries on top of what is there. */
  async applyLayer(
    entries: AsyncIterable<TarEntry>,
    layer: LayerInfo,
    keep: KeepPredicate,
    visitor?: ContentVisitor,
  ): Promise<void> {
    const specialFiles: string[] = [];
    for await (const entry of entries) {
      const normalised = normaliseLayerPath(entry.name);
      if (!normalised.ok) {
        this.#issue({
          severity: 'warning',
          code: 'path-escape',
          message: `refused entry "${entry.name}": ${normalised.reason}`,
          layer: layer.diffId,
        });
        continue;
      }
      const path = normalised.path;
      if (path === '') continue;
      const name = baseName(path);
      if (name === OPAQUE) {
        this.#hideLower(parentOf(path), layer.index, false);
        continue;
      }
      if (name.startsWith(WHITEOUT)) {
        const hidden = parentOf(path);
        this.#hideLower(
          hidden === '' ? name.slice(WHITEOUT.length) : `${hidden}/${name.slice(WHITEOUT.length)}`,
          layer.index,
          true,
        );
        continue;
      }
      this.#replaceFileParents(path, layer.index);
      switch (entry.type) {
        case 'directory':
          // A directory replaces a lower file or link of the same name, not what lies below it.
          if ((this.#files.get(path)?.layerIndex ?? Infinity) < layer.index) this.#files.delete(path);
          if ((this.#links.get(path)?.layerIndex ?? Infinity) < layer.index) this.#links.delete(path);
          break;
        case 'symlink':
          this.#hideLower(path, layer.index, true);
          this.#files.delete(path);
          this.#links.set(path, { target: entry.linkName, layer: layer.diffId, layerIndex: layer.index });
          this.#noteParents(path);
          break;
        case 'hardlink':
          this.#hideLower(path, layer.index, true);
          this.#links.delete(path);
          this.#applyHardLink(path, entry.linkName, layer, keep);
          break;
        case 'file': {
          const previous = this.#files.get(path);
          this.#hideLower(path, layer.index, true);
          this.#links.delete(path);
          await this.#applyFile(path, entry, layer, keep, visitor, previous);
          break;
        }
        default:
          // Devices and FIFOs are never created; noted once per layer.
          specialFiles.push(path);
      }
    }
    if (specialFiles.length > 0)
      this.#issue({
        severity: 'info',
        code: 'special-file',
        message: `${specialFiles.length} device or FIFO entries not materialised (first: ${specialFiles[0]})`,
        layer: layer.diffId,
      });
  }

  #applyHardLink(path: string, linkName: string, layer: LayerInfo, keep: KeepPredicate): void {
    const target = normaliseLayerPath(linkName);
    if (!target.ok) {
      this.#issue({
        severity: 'warning',
        code: 'path-escape',
        message: `refused hard link "${path}" -> "${linkName}": ${target.reason}`,
        path,
        layer: layer.diffId,
      });
      return;
    }
    const source = this.#files.get(target.path);
    if (source !== undefined) {
      this.#files.set(path, { ...source, path, layer: layer.diffId, layerIndex: layer.index });
      this.#noteParents(path);
      return;
    }
    this.#files.delete(path);
    if (keep(path, 0o755, 0))
      this.#issue({
        severity: 'warning',
        code: 'hardlink-unresolved',
        message: `hard link "${path}" -> "${target.path}": the target is not in the image`,
        path,
        layer: layer.diffId,
      });
  }

  async #applyFile(
    path: string,
    entry: TarEntry,
    layer: LayerInfo,
    keep: KeepPredicate,
    visitor: ContentVisitor | undefined,
    previous: FileRecord | undefined,
  ): Promise<void> {
    const wanted = keep(path, entry.mode, entry.size);
    const visited = visitor?.wants(path, entry.size, layer) === true;
    this.#files.delete(path);
    if (!wanted && !visited) return;
    if (wanted && entry.size > this.#limits.maxKeptFile) {
      this.#issue({
        severity: 'warning',
        code: 'oversized-file',
        message: `"${path}" is ${entry.size} bytes, over the ${this.#limits.maxKeptFile}-byte limit: not analysed`,
        path,
        layer: layer.diffId,
      });
      return;
    }
    const record: FileRecord = {
      path,
      size: entry.size,
      mode: entry.mode,
      layer: layer.diffId,
      layerIndex: layer.index,
    };
    if (entry.size <= this.#limits.inMemory || (visited && !wanted)) {
      const data = await entry.bytes(Math.max(this.#limits.inMemory, entry.size));
      if (visited) visitor?.visit(path, data, layer);
      if (!wanted) return;
      record.data = ownBytes(data);
    } else {
      const spill = await this.#spillPath();
      const out = createWriteStream(spill, { flags: 'wx', mode: 0o600 });
      // The visitor gets the bytes as they pass, not by reading the spilled file back.
      const seen: Buffer[] | undefined = visited ? [] : undefined;
      try {
        for await (const chunk of entry.chunks()) {
          seen?.push(chunk);
          if (!out.write(chunk)) await onceDrained(out);
        }
      } finally {
        out.end();
        await finished(out);
      }
      record.spill = spill;
      if (seen !== undefined) visitor?.visit(path, Buffer.concat(seen), layer);
    }
    if (previous !== undefined && previous.layerIndex < layer.index && HISTORY_PATHS.has(path)) {
      const { history, ...earlier } = previous;
      record.history = [...(history ?? []), earlier];
    }
    this.#files.set(path, record);
    this.#noteParents(path);
  }

  /** Removes the temporary directory; safe to call more than once. */
  async dispose(): Promise<void> {
    if (this.#tempDir !== undefined) await removeTempDir(this.#tempDir);
    this.#tempDir = undefined;
  }
}

/**
 * A kept file's bytes, copied out when they are a small view into a large decompression chunk: a 300-byte
 * package.json must not keep a megabyte of layer data alive until the analyzers have run.
 */
function ownBytes(data: Buffer): Buffer {
  return data.byteLength * 2 < data.buffer.byteLength ? Buffer.from(data) : data;
}

function onceDrained(stream: NodeJS.WritableStream): Promise<void> {
  return new Promise((resolve, reject) => {
    const cleanup = (): void => {
      stream.off('drain', onDrain);
      stream.off('error', onError);
    };
    const onDrain = (): void => {
      cleanup();
      resolve();
    };
    const onError = (error: Error): void => {
      cleanup();
      reject(error);
    };
    stream.on('drain', onDrain);
    stream.on('error', onError);
  });
}
