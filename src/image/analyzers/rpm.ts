// RPM packages from the SQLite rpm database (rpmdb.sqlite: Fedora 33+, RHEL/Rocky/Alma 9, recent openSUSE),
// read with node:sqlite, and from the Berkeley DB hash database (`Packages`: RHEL/CentOS 7 and 8, Amazon
// Linux 2). NDB (`Packages.db`, SUSE) is not supported yet: reported as an issue, never silently ignored.
import { DatabaseSync } from 'node:sqlite';
import type { FileRecord } from '../layer-filesystem.ts';
import { osEcosystem } from '../os-release.ts';
import type { Package } from '../package.ts';
import { formatPurl } from '../purl.ts';
import type { AnalyzerContext, PackageAnalyzer } from './analyzer.ts';
import { berkeleyHashValues } from './rpm-berkeley-db.ts';
import { parseRpmHeader, parseSourceRpm, RPM_TAGS } from './rpm-header.ts';

const SQLITE_DBS = ['var/lib/rpm/rpmdb.sqlite', 'usr/lib/sysimage/rpm/rpmdb.sqlite'];
const BERKELEY_DBS = ['var/lib/rpm/Packages', 'usr/lib/sysimage/rpm/Packages'];
const UNSUPPORTED_DBS: Record<string, string> = {
  'var/lib/rpm/Packages.db': 'NDB',
  'usr/lib/sysimage/rpm/Packages.db': 'NDB',
};

export const rpmAnalyzer: PackageAnalyzer = {
  id: 'rpm',
  kind: 'os',
  wants: (path) => SQLITE_DBS.includes(path) || BERKELEY_DBS.includes(path) || path in UNSUPPORTED_DBS,
  async analyze(context: AnalyzerContext): Promise<Package[]> {
    const database = [...SQLITE_DBS, ...BERKELEY_DBS]
      .map((path) => context.view.get(path))
      .find((file) => file !== undefined);
    if (database === undefined) {
      for (const [path, format] of Object.entries(UNSUPPORTED_DBS)) {
        const file = context.view.get(path);
        if (file !== undefined)
          context.issue({
            severity: 'error',
            code: 'unsupported-format',
            message: `rpm database ${path} is in ${format} format, which is not supported yet: rpm packages are not listed`,
            path,
            layer: file.layer,
          });
      }
      return [];
    }
    const packages = new Map<string, Package>();
    const versions = [...(database.history ?? []), database];
    for (const [position, version] of versions.entries()) {
      const found = await readDatabase(context, version, position === versions.length - 1);
      for (const key of [...packages.keys()]) if (!found.has(key)) packages.delete(key);
      for (const [key, pkg] of found) if (packages.get(key)?.version !== pkg.version) packages.set(key, pkg);
    }
    return [...packages.values()];
  },
};

async function readDatabase(
  context: AnalyzerContext,
  file: FileRecord,
  last: boolean,
): Promise<Map<string, Package>> {
  return BERKELEY_DBS.includes(file.path)
    ? readBerkeleyDatabase(context, file, last)
    : readSqliteDatabase(context, file, last);
}

async function readBerkeleyDatabase(
  context: AnalyzerContext,
  file: FileRecord,
  last: boolean,
): Promise<Map<string, Package>> {
  const found = new Map<string, Package>();
  let blobs: Buffer[];
  try {
    blobs = berkeleyHashValues(await context.view.read(file), file.path);
  } catch (error) {
    context.issue({
      severity: 'error',
      code: 'parse-failed',
      message: (error as Error).message,
      path: file.path,
      layer: file.layer,
    });
    return found;
  }
  for (const [index, blob] of blobs.entries())
    addFromHeader(context, found, blob, file, `${file.path} record ${index}`, last);
  return found;
}

/** One package header into `found`, keyed by name and arch; an unreadable header is a warning, not a stop. */
function addFromHeader(
  context: AnalyzerContext,
  found: Map<string, Package>,
  blob: Uint8Array,
  file: FileRecord,
  where: string,
  collectFiles: boolean,
): void {
  try {
    const pkg = packageFromHeader(context, blob, file, where, collectFiles);
    if (pkg !== undefined) found.set(`${pkg.name}.${pkg.arch ?? ''}`, pkg);
  } catch (error) {
    context.issue({
      severity: 'warning',
      code: 'parse-failed',
      message: (error as Error).message,
      path: file.path,
    });
  }
}

async function readSqliteDatabase(
  context: AnalyzerContext,
  file: FileRecord,
  last: boolean,
): Promise<Map<string, Package>> {
  const path = await context.tempFile(await context.view.read(file));
  const found = new Map<string, Package>();
  let database: DatabaseSync;
  try {
    database = new DatabaseSync(path, { readOnly: true });
  } catch (error) {
    context.issue({
      severity: 'error',
      code: 'parse-failed',
      message: `${file.path}: ${(error as Error).message}`,
      path: file.path,
    });
    return found;
  }
  try {
    const rows = database.prepare('SELECT hnum, blob FROM Packages').all() as {
      hnum: number;
      blob: Uint8Array;
    }[];
    for (const row of rows)
      addFromHeader(context, found, row.blob, file, `${file.path} row ${row.hnum}`, last);
  } catch (error) {
    context.issue({
      severity: 'error',
      code: 'parse-failed',
      message: `${file.path}: not an rpm SQLite database (${(error as Error).message})`,
      path: file.path,
    });
  } finally {
    database.close();
  }
  return found;
}

function packageFromHeader(
  context: AnalyzerContext,
  blob: Uint8Array,
  file: FileRecord,
  where: string,
  collectFiles: boolean,
): Package | undefined {
  const header = parseRpmHeader(blob, where);
  const name = header.string(RPM_TAGS.name);
  const version = header.string(RPM_TAGS.version);
  const release = header.string(RPM_TAGS.release);
  // gpg-pubkey entries are imported signing keys, not software.
  if (name === undefined || version === undefined || release === undefined || name === 'gpg-pubkey')
    return undefined;
  const epoch = header.int32s(RPM_TAGS.epoch)[0];
  const arch = header.string(RPM_TAGS.arch);
  const license = header.string(RPM_TAGS.license);
  const source = parseSourceRpm(header.string(RPM_TAGS.sourceRpm));
  if (collectFiles) {
    const dirs = header.strings(RPM_TAGS.dirNames);
    const indexes = header.int32s(RPM_TAGS.dirIndexes);
    header.strings(RPM_TAGS.baseNames).forEach((base, i) => {
      const dir = dirs[indexes[i] ?? -1];
      if (dir !== undefined) context.ownedByOs.add(`${dir}${base}`.replace(/^\/+/, ''));
    });
  }
  const family = context.os?.family ?? 'redhat';
  const qualifiers: Record<string, string> = {};
  if (arch !== undefined) qualifiers.arch = arch;
  if (epoch !== undefined && epoch !== 0) qualifiers.epoch = String(epoch);
  if (context.os !== undefined) qualifiers.distro = `${family}-${context.os.version}`;
  const fullVersion = `${epoch !== undefined && epoch !== 0 ? `${epoch}:` : ''}${version}-${release}`;
  const pkg: Package = {
    type: 'rpm',
    namespace: family,
    name,
    version: fullVersion,
    ecosystem: osEcosystem(context.os),
    purl: formatPurl({ type: 'rpm', namespace: family, name, version: `${version}-${release}`, qualifiers }),
    licenses: license === undefined ? [] : [license],
    hashes: [],
    locations: [{ path: file.path, layer: file.layer }],
    foundBy: 'rpm',
  };
  if (source !== undefined) {
    pkg.sourceName = source.name;
    pkg.sourceVersion = `${epoch !== undefined && epoch !== 0 ? `${epoch}:` : ''}${source.version}`;
  }
  if (arch !== undefined) pkg.arch = arch;
  return pkg;
}
