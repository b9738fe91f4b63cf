// Taking the package inventory of an image (layers streamed, applied in order, analyzers over the result) or
// of a directory (walked without following symlinks, lockfiles read as well).
import { PalisadeError } from '../core/errors.ts';
import type { AnalyzerContext, PackageAnalyzer } from './analyzers/analyzer.ts';
import { PACKAGE_ANALYZERS } from './analyzers/index.ts';
import { walkDirectory } from './directory-walk.ts';
import type { ImageSource } from './image-source.ts';
import type { InventoryIssue } from './inventory-issue.ts';
import { type ContentVisitor, DEFAULT_FS_LIMITS, LayeredFileSystem } from './layer-filesystem.ts';
import { openLayerTar, openLayerTarFromReader } from './layer-stream.ts';
import { LOCKFILE_ANALYZERS } from './lockfiles/index.ts';
import { detectOs, OS_FILES } from './os-release.ts';
import type { Package, PackageInventory } from './package.ts';
import { formatPlatform } from './platform.ts';
import { readTar } from './tar-reader.ts';

export interface InventoryOptions {
  signal?: AbortSignal;
  /** Uncompressed bytes allowed per layer (decompression bomb guard). Default 16 GiB. */
  maxLayerBytes?: number;
  /** Largest file kept for analysis. Default 512 MiB. */
  maxKeptFile?: number;
  /** Sees the content of files as layers or the directory are read (the secret scanner plugs in here). */
  visitor?: ContentVisitor;
}

const DEFAULT_MAX_LAYER = 16 * 2 ** 30;

function keepPredicate(
  analyzers: readonly PackageAnalyzer[],
): (path: string, mode: number, size: number) => boolean {
  const osFiles = new Set(OS_FILES);
  return (path, mode, size) =>
    osFiles.has(path) || analyzers.some((analyzer) => analyzer.wants(path, mode, size));
}

/** Runs the analyzers over a filled file system; OS first, so the language analyzers skip OS-owned files. */
async function analyze(fs: LayeredFileSystem, analyzers: readonly PackageAnalyzer[], signal?: AbortSignal) {
  const issues: InventoryIssue[] = [];
  const os = await detectOs(fs);
  const context: AnalyzerContext = {
    view: fs,
    os,
    ownedByOs: new Set(),
    issue: (issue) => issues.push(issue),
    tempFile: (data) => fs.writeTemp(data),
  };
  const packages: Package[] = [];
  const ordered = [...analyzers.filter((a) => a.kind === 'os'), ...analyzers.filter((a) => a.kind !== 'os')];
  for (const analyzer of ordered) {
    signal?.throwIfAborted();
    try {
      // A loop, not push(...found): spreading 130k+ arguments overflows the stack.
      for (const pkg of await analyzer.analyze(context)) packages.push(pkg);
    } catch (error) {
      if (error instanceof PalisadeError && error.code === 'internal') throw error;
      issues.push({
        severity: 'error',
        code: 'analyzer-failed',
        message: `${analyzer.id}: ${(error as Error).message}`,
      });
    }
  }
  return { os, packages: mergePackages(packages), issues };
}

/** One entry per purl; the same package found in several places keeps all its locations. Linear: what is
 * already known of each package is looked up in sets, not searched. */
export function mergePackages(packages: Package[]): Package[] {
  const byPurl = new Map<
    string,
    { pkg: Package; locations: Set<string>; licenses: Set<string>; hashes: Set<string> }
  >();
  const locationKey = (location: Package['locations'][number]): string =>
    `${location.layer === undefined ? '-' : `+${location.layer}`}\0${location.path}`;
  for (const pkg of packages) {
    const known = byPurl.get(pkg.purl);
    if (known === undefined) {
      byPurl.set(pkg.purl, {
        pkg: { ...pkg, locations: [...pkg.locations], licenses: [...pkg.licenses], hashes: [...pkg.hashes] },
        locations: new Set(pkg.locations.map(locationKey)),
        licenses: new Set(pkg.licenses),
        hashes: new Set(pkg.hashes.map((hash) => hash.value)),
      });
      continue;
    }
    const existing = known.pkg;
    for (const location of pkg.locations) {
      const key = locationKey(location);
      if (known.locations.has(key)) continue;
      known.locations.add(key);
      existing.locations.push(location);
    }
    for (const license of pkg.licenses) {
      if (known.licenses.has(license)) continue;
      known.licenses.add(license);
      existing.licenses.push(license);
    }
    for (const hash of pkg.hashes) {
      if (known.hashes.has(hash.value)) continue;
      known.hashes.add(hash.value);
      existing.hashes.push(hash);
    }
    if (pkg.direct === true) existing.direct = true;
    // Dev-only only when every copy says so: a copy with no scope (yarn.lock has none) may be a runtime
    // dependency, so it is not dev-only either way round; `false` anywhere wins.
    if (existing.dev !== pkg.dev) {
      if (existing.dev === false || pkg.dev === false) existing.dev = false;
      else delete existing.dev;
    }
  }
  return [...byPurl.values()]
    .map((entry) => entry.pkg)
    .sort((a, b) => (a.purl < b.purl ? -1 : a.purl > b.purl ? 1 : 0));
}

export async function inventoryImage(
  source: ImageSource,
  options: InventoryOptions = {},
): Promise<PackageInventory> {
  const fs = new LayeredFileSystem({
    ...DEFAULT_FS_LIMITS,
    maxKeptFile: options.maxKeptFile ?? DEFAULT_FS_LIMITS.maxKeptFile,
  });
  const keep = keepPredicate(PACKAGE_ANALYZERS);
  try {
    for (const [index, layer] of source.layers.entries()) {
      options.signal?.throwIfAborted();
      const where = `${source.target} layer ${index + 1}/${source.layers.length} (${layer.diffId})`;
      const streamOptions = {
        where,
        ...(layer.digest === undefined ? {} : { blobDigest: layer.digest }),
        ...(layer.size === undefined ? {} : { blobSize: layer.size }),
        diffId: layer.diffId,
        maxUncompressed: options.maxLayerBytes ?? DEFAULT_MAX_LAYER,
      };
      const blob = layer.openReader === undefined ? await layer.open() : undefined;
      const tar =
        blob !== undefined
          ? await openLayerTar(blob, streamOptions)
          : await openLayerTarFromReader(await layer.openReader!(), streamOptions);
      // Abort mid-layer too: destroying the layer's streams ends the whole chain with the abort reason.
      const abort = (): void => {
        const reason = options.signal?.reason as Error;
        blob?.destroy(reason);
        tar.destroy(reason);
      };
      options.signal?.addEventListener('abort', abort, { once: true });
      try {
        await fs.applyLayer(readTar(tar, where), { diffId: layer.diffId, index }, keep, options.visitor);
      } finally {
        options.signal?.removeEventListener('abort', abort);
        tar.destroy();
        blob?.destroy();
      }
    }
    const { os, packages, issues } = await analyze(fs, PACKAGE_ANALYZERS, options.signal);
    const inventory: PackageInventory = {
      target: source.target,
      kind: 'image',
      image: {
        configDigest: source.configDigest,
        platform: formatPlatform({
          os: source.config.os,
          architecture: source.config.architecture,
          ...(source.config.variant === undefined ? {} : { variant: source.config.variant }),
        }),
        layers: source.layers.map((layer, index) => ({
          diffId: layer.diffId,
          ...(layer.digest === undefined ? {} : { digest: layer.digest }),
          ...(layer.size === undefined ? {} : { size: layer.size }),
          ...layerCommand(source, index),
        })),
        config: source.config,
        annotations: source.annotations,
        ...(source.reference === undefined ? {} : { reference: source.reference }),
        ...(source.manifestDigest === undefined ? {} : { manifestDigest: source.manifestDigest }),
      },
      packages,
      issues: [...fs.issues, ...issues],
    };
    if (os !== undefined) inventory.os = os;
    return inventory;
  } finally {
    await fs.dispose();
  }
}

/** The history entry that produced the n-th non-empty layer. */
function layerCommand(source: ImageSource, layerIndex: number): { createdBy?: string } {
  const entries = source.config.history.filter((entry) => !entry.emptyLayer);
  // History may be missing or shorter than the layers (squashed images): then there is nothing to say.
  if (entries.length !== source.layers.length) return {};
  const createdBy = entries[layerIndex]?.createdBy;
  return createdBy === undefined || createdBy === '' ? {} : { createdBy };
}

export async function inventoryDirectory(
  root: string,
  target: string,
  options: InventoryOptions = {},
): Promise<PackageInventory> {
  const analyzers = [...PACKAGE_ANALYZERS, ...LOCKFILE_ANALYZERS];
  const keep = keepPredicate(analyzers);
  const fs = new LayeredFileSystem();
  const layer = { diffId: '', index: 0 };
  try {
    // Subtrees too deep to walk, names that are not UTF-8, links out of the directory: reported, never dropped.
    const walkIssues = await walkDirectory(
      root,
      {
        async file(file) {
          if (keep(file.path, file.mode, file.size))
            fs.addDiskFile(file.path, file.disk, file.size, file.mode);
          if (options.visitor?.wants(file.path, file.size, layer) === true) {
            const record = {
              path: file.path,
              size: file.size,
              mode: file.mode,
              layer: '',
              layerIndex: 0,
              disk: file.disk,
            };
            options.visitor.visit(file.path, await fs.read(record), layer);
          }
        },
        link: (path, linkTarget) => fs.addLink(path, linkTarget),
      },
      options.signal,
    );
    const { os, packages, issues } = await analyze(fs, analyzers, options.signal);
    // Directory scans have no layers: drop the empty layer field.
    for (const pkg of packages)
      for (const location of pkg.locations) if (location.layer === '') delete location.layer;
    const inventory: PackageInventory = {
      target,
      kind: 'directory',
      packages,
      issues: [...walkIssues, ...fs.issues, ...issues],
    };
    if (os !== undefined) inventory.os = os;
    return inventory;
  } finally {
    await fs.dispose();
  }
}
