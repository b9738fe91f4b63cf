// The package shape the matcher needs: what any inventory (image, lockfiles, SBOM) can give.

export interface MatchPackage {
  /** OSV ecosystem, with the release for distributions: `Debian:12`, `Alpine:v3.20`, `AlmaLinux:9`, `npm`, `PyPI`. */
  ecosystem: string;
  /** Name as OSV writes it: Maven `group:artifact`, Go module path, npm `@scope/name`. */
  name: string;
  version: string;
  purl?: string;
  /** Source package (dpkg Source, apk origin, source RPM): distro advisories are keyed by it. */
  sourceName?: string;
  sourceVersion?: string;
  /** Layer diff_id that installed it (images). */
  layer?: string;
  /** File that declared it (lockfile, package database). */
  path?: string;
}
