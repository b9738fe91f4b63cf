// A package URL (from an SBOM) as a matchable package: the OSV ecosystem, with the distro release for OS
// packages taken from the `distro` qualifier, and the source package from `upstream`.
import { declaredNpmName, LANGUAGE_ECOSYSTEMS, parsePurl } from '../../image/purl.ts';
import type { MatchPackage } from './package.ts';

/** The inventory's language ecosystems, plus purl types SBOMs from other tools carry but we never produce. */
const LANGUAGE: Record<string, string> = { ...LANGUAGE_ECOSYSTEMS, hex: 'Hex', pub: 'Pub' };

const DEBIAN_CODENAMES: Record<string, string> = {
  buster: '10',
  bullseye: '11',
  bookworm: '12',
  trixie: '13',
  forky: '14',
};
const UBUNTU_CODENAMES: Record<string, string> = {
  bionic: '18.04',
  focal: '20.04',
  jammy: '22.04',
  mantic: '23.10',
  noble: '24.04',
  oracular: '24.10',
  plucky: '25.04',
};
const RPM_DISTROS: Record<string, string> = {
  almalinux: 'AlmaLinux',
  rocky: 'Rocky Linux',
  redhat: 'Red Hat',
  rhel: 'Red Hat',
  opensuse: 'openSUSE',
  suse: 'SUSE',
  sles: 'SUSE',
  mageia: 'Mageia',
  oracle: 'Oracle Linux',
  ol: 'Oracle Linux',
  amazon: 'Amazon Linux',
  amzn: 'Amazon Linux',
};

/** A table entry, never an inherited member: a purl type or distro named `constructor` is just unknown. */
function own(table: Record<string, string>, key: string): string | undefined {
  return Object.hasOwn(table, key) ? table[key] : undefined;
}

/** `debian-12.5`, `bookworm`, `ubuntu-22.04`, `alpine-3.20.3`, `almalinux-9.3` -> the release part. */
function distroRelease(qualifier: string | undefined): string | undefined {
  if (qualifier === undefined) return undefined;
  const value = qualifier.toLowerCase();
  const codename = own(DEBIAN_CODENAMES, value) ?? own(UBUNTU_CODENAMES, value);
  if (codename !== undefined) return codename;
  const match = /-([0-9][0-9.]*)$/.exec(value) ?? /^([0-9][0-9.]*)$/.exec(value);
  return match?.[1];
}

function osEcosystem(
  type: string,
  namespace: string | undefined,
  release: string | undefined,
): string | undefined {
  const ns = (namespace ?? '').toLowerCase();
  if (release === undefined) return undefined;
  if (type === 'deb') {
    if (ns === 'debian') return `Debian:${release.split('.')[0]}`;
    if (ns === 'ubuntu') return `Ubuntu:${release.split('.').slice(0, 2).join('.')}`;
    return undefined;
  }
  if (type === 'apk') {
    if (ns === 'alpine') return `Alpine:v${release.split('.').slice(0, 2).join('.')}`;
    return undefined;
  }
  if (type === 'rpm') {
    const name = own(RPM_DISTROS, ns);
    if (name === undefined) return undefined;
    // SUSE releases are service packs (15.5 is `15 SP5`) and openSUSE's are Leap versions: both keep the minor.
    if (name === 'SUSE') return `SUSE:${release.split('.').slice(0, 2).join('.')}`;
    if (name === 'openSUSE') return `openSUSE:Leap ${release.split('.').slice(0, 2).join('.')}`;
    return `${name}:${release.split('.')[0]}`;
  }
  return undefined;
}

/** Source RPM file name (`openssl-3.0.7-25.el9.src.rpm`) to its package name. */
function sourceRpmName(upstream: string): string {
  const base = upstream.replace(/\.src\.rpm$/, '');
  const parts = base.split('-');
  return parts.length >= 3 ? parts.slice(0, -2).join('-') : base;
}

/** Undefined when the purl has no version or no ecosystem OSV covers (or no release for an OS package). */
export function packageFromPurl(purl: string, declaredName?: unknown): MatchPackage | undefined {
  const parts = parsePurl(purl);
  if (!parts?.version) return undefined;
  const language = own(LANGUAGE, parts.type);
  if (language !== undefined) {
    const ns = parts.namespace;
    const base = declaredNpmName(parts, declaredName);
    const name =
      parts.type === 'maven'
        ? `${ns ?? ''}:${base}`
        : ns !== undefined && ['npm', 'golang', 'composer'].includes(parts.type)
          ? `${ns}/${base}`
          : base;
    return { ecosystem: language, name, version: parts.version, purl };
  }
  const qualifiers = parts.qualifiers ?? {};
  const ecosystem = osEcosystem(parts.type, parts.namespace, distroRelease(qualifiers.distro));
  if (ecosystem === undefined) return undefined;
  let version = parts.version;
  if (parts.type === 'rpm' && qualifiers.epoch && !version.includes(':'))
    version = `${qualifiers.epoch}:${version}`;
  const pkg: MatchPackage = { ecosystem, name: parts.name, version, purl };
  const upstream = qualifiers.upstream ?? qualifiers.origin;
  if (upstream !== undefined && upstream !== '') {
    if (parts.type === 'rpm') pkg.sourceName = sourceRpmName(upstream);
    else {
      // Syft writes `upstream=openssl@3.0.11-1` when the source version differs.
      const at = upstream.indexOf('@');
      pkg.sourceName = at < 0 ? upstream : upstream.slice(0, at);
      if (at >= 0) pkg.sourceVersion = upstream.slice(at + 1);
    }
  }
  return pkg;
}
