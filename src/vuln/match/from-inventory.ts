// The inventory's package (src/image) as a matchable package: OSV names per ecosystem, first location.
import type { Package } from '../../image/package.ts';
import type { MatchPackage } from './package.ts';

/** OSV names: Maven `group:artifact`; npm, Go and Composer `namespace/name`; others the bare name. */
function osvName(pkg: Package): string {
  const ns = pkg.namespace;
  if (ns === undefined || ns === '') return pkg.name;
  if (pkg.type === 'maven') return `${ns}:${pkg.name}`;
  if (pkg.type === 'npm' || pkg.type === 'golang' || pkg.type === 'composer') return `${ns}/${pkg.name}`;
  return pkg.name;
}

export function matchPackageFromInventory(pkg: Package): MatchPackage {
  const match: MatchPackage = {
    ecosystem: pkg.ecosystem,
    name: osvName(pkg),
    version: pkg.version,
    purl: pkg.purl,
  };
  if (pkg.sourceName !== undefined) match.sourceName = pkg.sourceName;
  if (pkg.sourceVersion !== undefined) match.sourceVersion = pkg.sourceVersion;
  const location = pkg.locations[0];
  if (location?.path !== undefined) match.path = location.path;
  if (location?.layer !== undefined && location.layer !== '') match.layer = location.layer;
  return match;
}
