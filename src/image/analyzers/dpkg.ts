// Debian packages: var/lib/dpkg/status (and status.d/* on distroless), with source package and version, the
// files each package owns from info/*.list, and the layer that first installed each package version.
import type { FileRecord } from '../layer-filesystem.ts';
import { osEcosystem } from '../os-release.ts';
import type { Package } from '../package.ts';
import { formatPurl } from '../purl.ts';
import { type AnalyzerContext, type PackageAnalyzer, parseParagraphs, wantedFiles } from './analyzer.ts';

const STATUS = 'var/lib/dpkg/status';
const STATUS_D = /^var\/lib\/dpkg\/status\.d\/[^/]+$/;
const LIST = /^var\/lib\/dpkg\/info\/[^/]+\.list$/;

function isStatusFile(path: string): boolean {
  return path === STATUS || (STATUS_D.test(path) && !path.endsWith('.md5sums'));
}

/** "src (1.2-3)" → name and version; a bare name means the same version as the binary package. */
function parseSource(field: string | undefined, version: string): { name?: string; version: string } {
  if (field === undefined) return { version };
  const match = /^(\S+)(?:\s+\((\S+)\))?/.exec(field.trim());
  if (match === null) return { version };
  return { name: match[1]!, version: match[2] ?? version };
}

/**
 * dpkg package states whose files are all on disk: from `unpacked` (unpacked, not yet configured) to `installed`.
 * Not `half-installed` (an unpack that stopped part way), `config-files` (only conffiles left) or `not-installed`.
 * The selection (the first word: install, hold, deinstall, purge) is what the admin asked for next, not what is there.
 */
const FILES_PRESENT = new Set([
  'unpacked',
  'half-configured',
  'triggers-awaited',
  'triggers-pending',
  'installed',
]);

function isInstalled(status: string | undefined): boolean {
  // Distroless status.d files (and chisel-wrapper's status file) carry no Status field: everything listed is installed.
  if (status === undefined) return true;
  return FILES_PRESENT.has(status.trim().split(/\s+/)[2] ?? '');
}

export const dpkgAnalyzer: PackageAnalyzer = {
  id: 'dpkg',
  kind: 'os',
  wants: (path) => isStatusFile(path) || LIST.test(path) || /^usr\/share\/doc\/[^/]+\/copyright$/.test(path),
  async analyze(context: AnalyzerContext): Promise<Package[]> {
    const files = wantedFiles(context.view, this);
    const packages = new Map<string, Package>();
    for (const file of files.filter((candidate) => isStatusFile(candidate.path))) {
      for (const version of [...(file.history ?? []), file]) await addFromStatus(context, version, packages);
    }
    for (const list of files.filter((candidate) => LIST.test(candidate.path)))
      for (const line of (await context.view.read(list)).toString('utf8').split('\n'))
        if (line.startsWith('/') && line.length > 1) context.ownedByOs.add(line.slice(1));
    for (const pkg of packages.values()) {
      const copyright = context.view.get(`usr/share/doc/${pkg.name}/copyright`);
      if (copyright !== undefined)
        pkg.licenses = copyrightLicenses((await context.view.read(copyright)).toString('utf8'));
    }
    return [...packages.values()];
  },
};

async function addFromStatus(
  context: AnalyzerContext,
  file: FileRecord,
  packages: Map<string, Package>,
): Promise<void> {
  const ecosystem = osEcosystem(context.os);
  const seen = new Set<string>();
  for (const paragraph of parseParagraphs((await context.view.read(file)).toString('utf8'))) {
    const name = paragraph.Package;
    const version = paragraph.Version;
    if (name === undefined || version === undefined || !isInstalled(paragraph.Status)) continue;
    const arch = paragraph.Architecture;
    const key = `${name}:${arch ?? ''}`;
    seen.add(key);
    const existing = packages.get(key);
    // A package keeps the layer that first installed this version; an upgrade moves it to the new layer.
    if (existing !== undefined && existing.version === version) continue;
    const source = parseSource(paragraph.Source, version);
    const qualifiers: Record<string, string> = {};
    if (arch !== undefined) qualifiers.arch = arch;
    if (context.os !== undefined) qualifiers.distro = `${context.os.family}-${context.os.version}`;
    if (source.name !== undefined && (source.name !== name || source.version !== version))
      qualifiers.upstream = source.version === version ? source.name : `${source.name}@${source.version}`;
    const pkg: Package = {
      type: 'deb',
      namespace: context.os?.family ?? 'debian',
      name,
      version,
      ecosystem,
      purl: formatPurl({ type: 'deb', namespace: context.os?.family ?? 'debian', name, version, qualifiers }),
      sourceName: source.name ?? name,
      sourceVersion: source.version,
      licenses: [],
      hashes: [],
      locations: [{ path: file.path, layer: file.layer }],
      foundBy: 'dpkg',
    };
    if (arch !== undefined) pkg.arch = arch;
    packages.set(key, pkg);
  }
  // Removed in a later layer: gone from the image.
  if (file.path === STATUS)
    for (const key of [...packages.keys()])
      if (!seen.has(key) && packages.get(key)?.locations[0]?.path === STATUS) packages.delete(key);
}

/** License short names from a machine-readable debian/copyright file (DEP-5). */
export function copyrightLicenses(text: string): string[] {
  const licenses = new Set<string>();
  for (const match of text.matchAll(/^License:[ \t]*(\S[^\n]*)$/gm)) {
    const value = match[1]!.trim();
    if (value.length <= 80) licenses.add(value);
  }
  return [...licenses];
}
