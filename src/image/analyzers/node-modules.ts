// npm packages installed in node_modules (package.json of each installed package).
import type { Package } from '../package.ts';
import { licenceChoice } from '../sbom/spdx-license.ts';
import type { AnalyzerContext, PackageAnalyzer } from './analyzer.ts';
import { unownedFiles } from './analyzer.ts';
import { isRecord, npmPackage, tryJson } from './language-package.ts';

const PACKAGE_JSON = /(?:^|\/)node_modules\/(?:@[^/]+\/)?[^/@][^/]*\/package\.json$/;

/** One license entry: "MIT" or the legacy { type: "MIT", url }. */
function licenseName(item: unknown): string[] {
  if (typeof item === 'string') return [item];
  return isRecord(item) && typeof item.type === 'string' ? [item.type] : [];
}

/**
 * "MIT", { type: "MIT" }, or the deprecated lists: licenses: [{ type }] (or a bare string), and the same list
 * written under license (as published by e.g. tv4: "license": [{ "type": "MIT", "url": ... }]). npm's docs give
 * `(MIT OR Apache-2.0)` as what such a list should have been written as, so a list is a choice.
 */
export function npmLicenses(json: Record<string, unknown>): string[] {
  const { license, licenses } = json;
  const named = Array.isArray(license) ? license.flatMap(licenseName) : licenseName(license);
  if (named.length > 0) return licenceChoice(named);
  return licenceChoice(Array.isArray(licenses) ? licenses.flatMap(licenseName) : licenseName(licenses));
}

export const nodeModulesAnalyzer: PackageAnalyzer = {
  id: 'node-modules',
  kind: 'language',
  wants: (path) => PACKAGE_JSON.test(path),
  async analyze(context: AnalyzerContext): Promise<Package[]> {
    const packages: Package[] = [];
    for (const file of unownedFiles(context, this)) {
      // npm reads package.json past a UTF-8 byte order mark.
      const json = tryJson((await context.view.read(file)).toString('utf8').replace(/^\uFEFF/, ''));
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
