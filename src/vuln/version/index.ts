// Which comparator an OSV ecosystem uses; ecosystems without an exact comparator are refused, never guessed.
import { apkScheme } from './apk.ts';
import { composerScheme } from './composer.ts';
import { dpkgScheme } from './dpkg.ts';
import { goScheme } from './go.ts';
import { mavenScheme } from './maven.ts';
import { nugetScheme } from './nuget.ts';
import { pep440Scheme } from './pep440.ts';
import { pubScheme } from './pub.ts';
import { rpmScheme } from './rpm.ts';
import { rubygemsScheme } from './rubygems.ts';
import type { VersionScheme } from './scheme.ts';
import { semverScheme } from './semver.ts';

export type { Sign, VersionScheme } from './scheme.ts';
export { semverScheme };

/** Keyed by the OSV ecosystem name before any `:release` suffix. */
const BY_ECOSYSTEM: Record<string, VersionScheme> = {
  npm: semverScheme,
  'crates.io': semverScheme,
  Hex: semverScheme,
  Pub: pubScheme,
  Go: goScheme,
  PyPI: pep440Scheme,
  Maven: mavenScheme,
  RubyGems: rubygemsScheme,
  NuGet: nugetScheme,
  Packagist: composerScheme,
  Debian: dpkgScheme,
  Ubuntu: dpkgScheme,
  Alpine: apkScheme,
  Wolfi: apkScheme,
  Chainguard: apkScheme,
  AlmaLinux: rpmScheme,
  'Rocky Linux': rpmScheme,
  'Red Hat': rpmScheme,
  openSUSE: rpmScheme,
  SUSE: rpmScheme,
  Mageia: rpmScheme,
  'Oracle Linux': rpmScheme,
  'Amazon Linux': rpmScheme,
};

/** The base ecosystem: `Debian:12` -> `Debian`, `Ubuntu:22.04:LTS` -> `Ubuntu`. */
export function baseEcosystem(ecosystem: string): string {
  const colon = ecosystem.indexOf(':');
  return colon < 0 ? ecosystem : ecosystem.slice(0, colon);
}

export function schemeForEcosystem(ecosystem: string): VersionScheme | undefined {
  const base = baseEcosystem(ecosystem);
  // Own entries only: an ecosystem named `constructor` (from a hostile SBOM) has no scheme.
  return Object.hasOwn(BY_ECOSYSTEM, base) ? BY_ECOSYSTEM[base] : undefined;
}
