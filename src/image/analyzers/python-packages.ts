// Installed Python distributions: *.dist-info/METADATA (wheels, pip), *.egg-info (PKG-INFO file or
// directory, setuptools and Debian's python3-* packages, which are then owned by dpkg and skipped) and eggs
// (easy_install): a *.egg directory's EGG-INFO/PKG-INFO, or the same entry inside a zipped *.egg.
import type { FileRecord } from '../layer-filesystem.ts';
import type { Package } from '../package.ts';
import { ZipReader } from '../zip-reader.ts';
import type { AnalyzerContext, PackageAnalyzer } from './analyzer.ts';
import { wantedFiles } from './analyzer.ts';
import { languagePackage } from './language-package.ts';

const METADATA = /(?:^|\/)[^/]+\.dist-info\/METADATA$/;
const EGG_INFO_DIR = /(?:^|\/)[^/]+\.egg-info\/PKG-INFO$/;
const EGG_INFO_FILE = /(?:^|\/)[^/]+\.egg-info$/;
const EGG_DIR = /(?:^|\/)[^/]+\.egg\/EGG-INFO\/PKG-INFO$/;
const EGG_ZIP = /(?:^|\/)[^/]+\.egg$/;
const EGG_ZIP_ENTRY = 'EGG-INFO/PKG-INFO';
const MAX_METADATA = 1024 * 1024;
const MAX_EGG_ZIP = 64 * 1024 * 1024;

/**
 * RFC 822 style headers of the core metadata, as Python's email parser reads them: only an empty line ends the
 * headers (the body after it is the description); a line starting with a space or tab, even one of blanks only
 * (setuptools folds a blank line of a long field that way), continues the previous field, joined with "\n".
 */
export function parseCoreMetadata(text: string): Map<string, string[]> {
  const headers = new Map<string, string[]>();
  let last: string[] | undefined;
  for (const raw of text.split('\n')) {
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (line === '') break;
    if (line.startsWith(' ') || line.startsWith('\t')) {
      if (last !== undefined) last[last.length - 1] += `\n${line.trim()}`;
      continue;
    }
    const colon = line.indexOf(':');
    if (colon <= 0) {
      last = undefined;
      continue;
    }
    const key = line.slice(0, colon).trim().toLowerCase();
    last = headers.get(key) ?? [];
    last.push(line.slice(colon + 1).trim());
    headers.set(key, last);
  }
  return headers;
}

/** A header's value without the blank lines folding may leave around it. */
function field(headers: Map<string, string[]>, key: string): string | undefined {
  return headers.get(key)?.[0]?.trim();
}

function pythonLicenses(headers: Map<string, string[]>): string[] {
  const expression = field(headers, 'license-expression');
  if (expression !== undefined && expression !== '') return [expression];
  // License is free text: a short one-line value names the license; several lines are the license text itself.
  const license = field(headers, 'license');
  if (
    license !== undefined &&
    license !== '' &&
    license !== 'UNKNOWN' &&
    license.length <= 100 &&
    !license.includes('\n')
  )
    return [license];
  return (headers.get('classifier') ?? [])
    .filter((value) => value.startsWith('License :: '))
    .map((value) => value.split(' :: ').at(-1)!)
    .filter((value) => value !== 'OSI Approved');
}

/** The directory (dist-info, egg-info or EGG-INFO) a metadata file belongs to; a file egg-info or zipped egg is its own. */
function distributionDir(path: string): string {
  return EGG_INFO_FILE.test(path) || EGG_ZIP.test(path) ? path : path.slice(0, path.lastIndexOf('/'));
}

export const pythonPackagesAnalyzer: PackageAnalyzer = {
  id: 'python-packages',
  kind: 'language',
  wants: (path, _mode, size) =>
    METADATA.test(path) ||
    EGG_INFO_DIR.test(path) ||
    EGG_DIR.test(path) ||
    (EGG_INFO_FILE.test(path) && size < MAX_METADATA) ||
    (EGG_ZIP.test(path) && size < MAX_EGG_ZIP),
  async analyze(context: AnalyzerContext): Promise<Package[]> {
    const packages: Package[] = [];
    for (const file of wantedFiles(context.view, this)) {
      if (context.ownedByOs.has(file.path) || context.ownedByOs.has(distributionDir(file.path))) continue;
      const zipped = EGG_ZIP.test(file.path);
      const metadata = zipped ? await zippedEggMetadata(context, file) : await context.view.read(file);
      if (metadata === undefined) continue;
      const where = zipped ? `${file.path}!/${EGG_ZIP_ENTRY}` : file.path;
      const headers = parseCoreMetadata(metadata.toString('utf8'));
      const name = field(headers, 'name');
      const version = field(headers, 'version');
      if (name === undefined || version === undefined || name === '' || version === '') {
        context.issue({
          severity: 'warning',
          code: 'parse-failed',
          message: `${where}: no Name or Version`,
          path: file.path,
          layer: file.layer,
        });
        continue;
      }
      packages.push(
        languagePackage({
          type: 'pypi',
          name,
          version,
          path: where,
          layer: file.layer,
          licenses: pythonLicenses(headers),
          foundBy: 'python-packages',
        }),
      );
    }
    return packages;
  },
};

/** EGG-INFO/PKG-INFO of a zipped egg; undefined (with an issue when the archive is unreadable) when absent. */
async function zippedEggMetadata(context: AnalyzerContext, file: FileRecord): Promise<Buffer | undefined> {
  try {
    const zip = await ZipReader.fromBuffer(await context.view.read(file), file.path, {
      maxEntries: 200_000,
      refuseEncrypted: false,
    });
    const entry = zip.entries.find((candidate) => candidate.name === EGG_ZIP_ENTRY);
    return entry === undefined ? undefined : await zip.read(entry, MAX_METADATA);
  } catch (error) {
    context.issue({
      severity: 'warning',
      code: 'parse-failed',
      message: (error as Error).message,
      path: file.path,
      layer: file.layer,
    });
    return undefined;
  }
}
