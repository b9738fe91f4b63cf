// Alpine (and Wolfi/Chainguard) packages: lib/apk/db/installed, recording origin (the source package),
// licenses, the files each package owns, and the layer that first installed each version.
import type { FileRecord } from '../layer-filesystem.ts';
import { osEcosystem } from '../os-release.ts';
import type { Package } from '../package.ts';
import { formatPurl } from '../purl.ts';
import type { AnalyzerContext, PackageAnalyzer } from './analyzer.ts';

const INSTALLED = 'lib/apk/db/installed';

/** The apk database: blank-line separated records of single-letter fields. Repeated F:/R: build file paths. */
function parseInstalled(text: string): { fields: Map<string, string>; files: string[] }[] {
  const records: { fields: Map<string, string>; files: string[] }[] = [];
  let fields = new Map<string, string>();
  let files: string[] = [];
  let directory = '';
  const flush = (): void => {
    if (fields.size > 0) records.push({ fields, files });
    fields = new Map();
    files = [];
    directory = '';
  };
  for (const line of text.split('\n')) {
    if (line.trim() === '') {
      flush();
      continue;
    }
    if (line[1] !== ':') continue;
    const key = line[0]!;
    const value = line.slice(2);
    if (key === 'F') directory = value;
    else if (key === 'R') files.push(directory === '' ? value : `${directory}/${value}`);
    else if (!fields.has(key)) fields.set(key, value);
  }
  flush();
  return records;
}

/** apk's `C:` checksum is "Q1" + base64 SHA-1 of the control segment. */
function checksumHash(value: string | undefined): Package['hashes'] {
  if (value === undefined || !value.startsWith('Q1')) return [];
  const bytes = Buffer.from(value.slice(2), 'base64');
  return bytes.length === 20 ? [{ algorithm: 'SHA-1', value: bytes.toString('hex') }] : [];
}

export const apkAnalyzer: PackageAnalyzer = {
  id: 'apk',
  kind: 'os',
  wants: (path) => path === INSTALLED,
  async analyze(context: AnalyzerContext): Promise<Package[]> {
    const file = context.view.get(INSTALLED);
    if (file === undefined) return [];
    const packages = new Map<string, Package>();
    const versions: FileRecord[] = [...(file.history ?? []), file];
    for (const [position, version] of versions.entries()) {
      const records = parseInstalled((await context.view.read(version)).toString('utf8'));
      const seen = new Set<string>();
      for (const { fields, files } of records) {
        const name = fields.get('P');
        const pkgVersion = fields.get('V');
        if (name === undefined || pkgVersion === undefined) continue;
        seen.add(name);
        if (position === versions.length - 1) for (const path of files) context.ownedByOs.add(path);
        if (packages.get(name)?.version === pkgVersion) continue;
        packages.set(name, buildPackage(context, fields, name, pkgVersion, version));
      }
      for (const name of [...packages.keys()]) if (!seen.has(name)) packages.delete(name);
    }
    return [...packages.values()];
  },
};

function buildPackage(
  context: AnalyzerContext,
  fields: Map<string, string>,
  name: string,
  version: string,
  file: FileRecord,
): Package {
  const family = context.os?.family ?? 'alpine';
  const arch = fields.get('A');
  const origin = fields.get('o');
  const qualifiers: Record<string, string> = {};
  if (arch !== undefined) qualifiers.arch = arch;
  if (context.os !== undefined) qualifiers.distro = `${family}-${context.os.version}`;
  if (origin !== undefined && origin !== name) qualifiers.upstream = origin;
  const license = fields.get('L');
  const pkg: Package = {
    type: 'apk',
    namespace: family,
    name,
    version,
    ecosystem: osEcosystem(context.os),
    purl: formatPurl({ type: 'apk', namespace: family, name, version, qualifiers }),
    sourceName: origin ?? name,
    sourceVersion: version,
    licenses: license === undefined || license === '' ? [] : [license],
    hashes: checksumHash(fields.get('C')),
    locations: [{ path: INSTALLED, layer: file.layer }],
    foundBy: 'apk',
  };
  if (arch !== undefined) pkg.arch = arch;
  return pkg;
}
