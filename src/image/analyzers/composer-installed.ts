// PHP packages installed by Composer: vendor/composer/installed.json (Composer 1: an array; 2: { packages }).
import type { Package } from '../package.ts';
import { licenceChoice } from '../sbom/spdx-license.ts';
import type { AnalyzerContext, PackageAnalyzer } from './analyzer.ts';
import { unownedFiles } from './analyzer.ts';
import { isRecord, languagePackage, tryJson } from './language-package.ts';

const INSTALLED = /(?:^|\/)vendor\/composer\/installed\.json$/;

/**
 * A package from a Composer `path` repository: the project's own code (symlinked or copied into vendor), not a
 * Packagist package, so it is not reported under a Packagist purl that advisories for another package could match.
 */
export function isLocalComposerPackage(entry: Record<string, unknown>): boolean {
  return isRecord(entry.dist) && entry.dist.type === 'path';
}

/** "vendor/name" → purl namespace and name. */
export function composerPackage(
  entry: Record<string, unknown>,
  path: string,
  layer: string | undefined,
  foundBy: string,
  dev?: boolean,
): Package | undefined {
  const { name, version } = entry;
  if (typeof name !== 'string' || typeof version !== 'string' || !name.includes('/')) return undefined;
  const slash = name.indexOf('/');
  // Composer writes `license` as an array, but its loader also takes the composer.json form, one string. Several
  // licences in the array are a choice (dual licensing, Composer's schema says).
  const licenses = licenceChoice(
    Array.isArray(entry.license)
      ? entry.license.filter((item): item is string => typeof item === 'string')
      : typeof entry.license === 'string'
        ? [entry.license]
        : [],
  );
  return languagePackage({
    type: 'composer',
    namespace: name.slice(0, slash),
    name: name.slice(slash + 1),
    version,
    path,
    ...(layer === undefined ? {} : { layer }),
    licenses,
    foundBy,
    ...(dev === undefined ? {} : { dev }),
  });
}

export const composerInstalledAnalyzer: PackageAnalyzer = {
  id: 'composer-installed',
  kind: 'language',
  wants: (path) => INSTALLED.test(path),
  async analyze(context: AnalyzerContext): Promise<Package[]> {
    const packages: Package[] = [];
    // A manifest an OS package installed is that package's: not counted again.
    for (const file of unownedFiles(context, this)) {
      const json = tryJson(await context.view.read(file));
      const list = Array.isArray(json)
        ? json
        : isRecord(json) && Array.isArray(json.packages)
          ? json.packages
          : undefined;
      if (list === undefined) {
        context.issue({
          severity: 'warning',
          code: 'parse-failed',
          message: `${file.path}: not a Composer installed.json`,
          path: file.path,
          layer: file.layer,
        });
        continue;
      }
      for (const entry of list) {
        if (isRecord(entry) && isLocalComposerPackage(entry)) continue;
        const pkg = isRecord(entry)
          ? composerPackage(entry, file.path, file.layer, 'composer-installed')
          : undefined;
        if (pkg !== undefined) packages.push(pkg);
      }
    }
    return packages;
  },
};
