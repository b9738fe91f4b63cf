// Installed Python distributions: *.dist-info/METADATA (wheels, pip) and *.egg-info (PKG-INFO file or
// directory, setuptools and Debian's python3-* packages, which are then owned by dpkg and skipped).
import type { Package } from '../package.ts';
import type { AnalyzerContext, PackageAnalyzer } from './analyzer.ts';
import { wantedFiles } from './analyzer.ts';
import { languagePackage } from './language-package.ts';

const METADATA = /(?:^|\/)[^/]+\.dist-info\/METADATA$/;
const EGG_INFO_DIR = /(?:^|\/)[^/]+\.egg-info\/PKG-INFO$/;
const EGG_INFO_FILE = /(?:^|\/)[^/]+\.egg-info$/;

/** RFC 822 style headers of the core metadata; the body after the first blank line is the description. */
export function parseCoreMetadata(text: string): Map<string, string[]> {
  const headers = new Map<string, string[]>();
  let last: string | undefined;
  for (const line of text.split('\n')) {
    if (line.trim() === '') break;
    if ((line.startsWith(' ') || line.startsWith('\t')) && last !== undefined) continue;
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    last = line.slice(0, colon).trim().toLowerCase();
    const values = headers.get(last) ?? [];
    values.push(line.slice(colon + 1).trim());
    headers.set(last, values);
  }
  return headers;
}

function pythonLicenses(headers: Map<string, string[]>): string[] {
  const expression = headers.get('license-expression')?.[0];
  if (expression !== undefined && expression !== '') return [expression];
  const license = headers.get('license')?.[0];
  if (license !== undefined && license !== '' && license !== 'UNKNOWN' && license.length <= 100)
    return [license];
  return (headers.get('classifier') ?? [])
    .filter((value) => value.startsWith('License :: '))
    .map((value) => value.split(' :: ').at(-1)!)
    .filter((value) => value !== 'OSI Approved');
}

/** The directory (dist-info or egg-info) a metadata file belongs to. */
function distributionDir(path: string): string {
  return EGG_INFO_FILE.test(path) ? path : path.slice(0, path.lastIndexOf('/'));
}

export const pythonPackagesAnalyzer: PackageAnalyzer = {
  id: 'python-packages',
  kind: 'language',
  wants: (path, _mode, size) =>
    METADATA.test(path) || EGG_INFO_DIR.test(path) || (EGG_INFO_FILE.test(path) && size < 1024 * 1024),
  async analyze(context: AnalyzerContext): Promise<Package[]> {
    const packages: Package[] = [];
    for (const file of wantedFiles(context.view, this)) {
      const dir = distributionDir(file.path);
      if (context.ownedByOs.has(file.path) || context.ownedByOs.has(dir)) continue;
      const headers = parseCoreMetadata((await context.view.read(file)).toString('utf8'));
      const name = headers.get('name')?.[0];
      const version = headers.get('version')?.[0];
      if (name === undefined || version === undefined || name === '' || version === '') {
        context.issue({
          severity: 'warning',
          code: 'parse-failed',
          message: `${file.path}: no Name or Version`,
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
          path: file.path,
          layer: file.layer,
          licenses: pythonLicenses(headers),
          foundBy: 'python-packages',
        }),
      );
    }
    return packages;
  },
};
