// npm packages installed in node_modules (package.json of each installed package).
import type { Package } from '../package.ts';
import type { AnalyzerContext, PackageAnalyzer } from './analyzer.ts';
import { unownedFiles } from './analyzer.ts';
import { isRecord, npmPackage, tryJson } from './language-package.ts';

const PACKAGE_JSON = /(?:^|\/)node_modules\/(?:@[^/]+\/)?[^/@][^/]*\/package\.json$/;

/** "MIT", { type: "MIT" }, or the deprecated licenses: [{ type }] */
export function npmLicenses(json: Record<string, unknown>): string[] {
  const { license, licenses } = json;
  if (typeof license === 'string') return [license];
  if (isRecord(license) && typeof license.type === 'string') return [license.type];
  if (Array.isArray(licenses))
    return licenses.flatMap((item) =>
      isRecord(item) && typeof item.type === 'string' ? [item.type] : typeof item === 'string' ? [item] : [],
    );
  return [];
}

export const nodeModulesAnalyzer: PackageAnalyzer = {
  id: 'node-modules',
  kind: 'language',
  wants: (path) => PACKAGE_JSON.test(path),
  async analyze(context: AnalyzerContext): Promise<Package[]> {
    const packages: Package[] = [];
    for (const file of unownedFiles(context, this)) {
      const json = tryJson(await context.view.read(file));
      if (!isRecord(json)) {
        context.issue({
          severity: 'warning',
          code: 'parse-failed',
          message: `${file.path}: not valid JSON`,
          path: file.path,
          layer: file.layer,
        });
        continue;
      }
      // Nested package.json files of a package's own sources (e.g. lib/package.json with only "type") are not packages.
      if (
        typeof json.name !== 'string' ||
        typeof json.version !== 'string' ||
        json.name === '' ||
        json.version === ''
      )
        continue;
      packages.push(
        npmPackage(json.name, json.version, {
          path: file.path,
          layer: file.layer,
          licenses: npmLicenses(json),
          foundBy: 'node-modules',
        }),
      );
    }
    return packages;
  },
};
