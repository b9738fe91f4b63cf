// Whether an advisory's ecosystem is the package's ecosystem and release: `Debian:12` is not `Debian:11`,
// `Ubuntu:22.04:LTS` is `Ubuntu:22.04`, `Alpine:v3.20` is `Alpine:3.20`, `AlmaLinux:9` is `AlmaLinux:9.4`.
import { baseEcosystem } from '../version/index.ts';

/** Distributions whose advisories are keyed by the source package (dpkg Source, apk origin). */
const SOURCE_KEYED = new Set(['Debian', 'Ubuntu', 'Alpine', 'Wolfi', 'Chainguard']);
/**
 * RPM distributions whose advisories name the source RPM (OSV's ecosystem definitions: "the name of the source
 * RPM", with the binaries in `ecosystem_specific.binaries`): `openssl-3` covers `libopenssl3`.
 */
const SOURCE_RPM_KEYED = new Set(['openSUSE', 'SUSE', 'Mageia']);
export function isSourceKeyed(ecosystem: string): boolean {
  return SOURCE_KEYED.has(baseEcosystem(ecosystem));
}

/**
 * Advisories name the source RPM, and a binary RPM has its source's version-release. The other RPM distributions
 * (AlmaLinux, Rocky, Red Hat, Oracle, Amazon) name binary RPMs: AlmaLinux's data lists `kernel-devel`.
 */
export function isSourceRpmKeyed(ecosystem: string): boolean {
  return SOURCE_RPM_KEYED.has(baseEcosystem(ecosystem));
}

/** The release part, normalised per distribution; undefined for ecosystems without releases. */
export function releaseOf(ecosystem: string): string | undefined {
  const base = baseEcosystem(ecosystem);
  const rest = ecosystem.slice(base.length + 1);
  if (rest === '' || ecosystem.length === base.length) return undefined;
  switch (base) {
    case 'Ubuntu': {
      // `Ubuntu:Pro:18.04:LTS` is the ESM channel: a different package set, kept apart from plain releases.
      const parts = rest.split(':').filter((part) => part !== 'LTS');
      return parts.join(':');
    }
    case 'Alpine':
      return rest.replace(/^v/, '').split('.').slice(0, 2).join('.');
    case 'Debian':
    case 'AlmaLinux':
    case 'Rocky Linux':
    case 'Oracle Linux':
      return rest.split('.')[0];
    case 'Red Hat': {
      // `Red Hat:enterprise_linux:9::appstream` and a package's `Red Hat:9` both mean release 9. Other streams
      // (`rhel_eus:9.2`, `rhel_aus:8.4`, `rhel_e4s:9.0`, `rhel_tus:8.8`, other products) build from their own
      // branches with their own fixed versions (`-18.el9_2`, which sorts above the mainline's `-27.el9`), so they
      // stay apart: an image of mainline RHEL 9 (UBI 9) is not judged by the EUS 9.2 stream.
      const mainline = /^(?:enterprise_linux:)?([0-9]+)(?::|$)/.exec(rest);
      return mainline?.[1] ?? rest.split('::')[0];
    }
    case 'SUSE':
      return suseCodestream(rest);
    default:
      return rest;
  }
}

/**
 * SUSE advisories name products (`Linux Enterprise Server 15 SP5`, `Linux Enterprise Module for Basesystem 15 SP5`);
 * every SLE product of one service pack is built from one codestream, `15 SP5`, which is also what an image's
 * VERSION_ID 15.5 means. SLE Micro numbers its own releases (`Micro 5.5`) and stays apart.
 */
function suseCodestream(product: string): string {
  const numeric = /^(\d+)\.(\d+)$/.exec(product);
  if (numeric) return numeric[2] === '0' ? numeric[1]! : `${numeric[1]} SP${numeric[2]}`;
  if (/\bMicro\b/.test(product)) return product;
  const named = /^Linux Enterprise\b.*?\s(\d+)(?: SP(\d+))?$/.exec(product);
  if (!named) return product;
  return named[2] === undefined || named[2] === '0' ? named[1]! : `${named[1]} SP${named[2]}`;
}

/** Maven Central, under either of its host names: an ecosystem suffix naming it is the same as none (OSV schema). */
const MAVEN_CENTRAL = /^Maven:https?:\/\/(?:repo\.maven\.apache\.org|repo1\.maven\.org)\/maven2\/?$/;

export function sameEcosystemRelease(advisoryEcosystem: string, packageEcosystem: string): boolean {
  if (baseEcosystem(advisoryEcosystem) !== baseEcosystem(packageEcosystem)) return false;
  const advisoryRelease = MAVEN_CENTRAL.test(advisoryEcosystem) ? undefined : releaseOf(advisoryEcosystem);
  const packageRelease = MAVEN_CENTRAL.test(packageEcosystem) ? undefined : releaseOf(packageEcosystem);
  // The release suffix is optional in OSV: an advisory without one covers every release.
  return advisoryRelease === undefined || advisoryRelease === packageRelease;
}
