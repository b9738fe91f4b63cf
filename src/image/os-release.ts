// OS detection: etc/os-release (or usr/lib/os-release), refined by the distro's own release file, which is
// more precise (Debian point release, Alpine patch release, RHEL family minor version).
import type { FileView } from './layer-filesystem.ts';
import type { OsInfo } from './package.ts';

export const OS_FILES = [
  'etc/os-release',
  'usr/lib/os-release',
  'etc/debian_version',
  'etc/alpine-release',
  'etc/redhat-release',
  'etc/centos-release',
  'etc/rocky-release',
  'etc/almalinux-release',
  'etc/fedora-release',
  'etc/system-release',
  'etc/lsb-release',
];

/** KEY=value lines, values optionally quoted with shell escapes (os-release(5)). */
export function parseOsReleaseText(text: string): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const match = /^\s*([A-Z][A-Z0-9_]*)=(.*)$/.exec(line);
    if (match === null) continue;
    let value = match[2]!.trim();
    const quote = value[0];
    if ((quote === '"' || quote === "'") && value.endsWith(quote) && value.length >= 2)
      value = value.slice(1, -1).replace(/\\(["'$`\\])/g, '$1');
    fields[match[1]!] = value;
  }
  return fields;
}

const RELEASE_FILE_FAMILIES: [string, string][] = [
  ['etc/rocky-release', 'rocky'],
  ['etc/almalinux-release', 'almalinux'],
  ['etc/centos-release', 'centos'],
  ['etc/fedora-release', 'fedora'],
  ['etc/redhat-release', 'rhel'],
];

async function readText(view: FileView, path: string): Promise<string | undefined> {
  const record = view.get(path);
  if (record === undefined) return undefined;
  return (await view.read(record)).toString('utf8');
}

export async function detectOs(view: FileView): Promise<OsInfo | undefined> {
  const osRelease = (await readText(view, 'etc/os-release')) ?? (await readText(view, 'usr/lib/os-release'));
  const fields = osRelease === undefined ? {} : parseOsReleaseText(osRelease);
  let info: OsInfo | undefined;
  if (fields.ID !== undefined) {
    info = {
      family: fields.ID.toLowerCase(),
      name: fields.PRETTY_NAME ?? fields.NAME ?? fields.ID,
      version: fields.VERSION_ID ?? '',
    };
    if (fields.VERSION_CODENAME !== undefined) info.codename = fields.VERSION_CODENAME;
  }
  const alpine = await readText(view, 'etc/alpine-release');
  if (alpine !== undefined && (info === undefined || info.family === 'alpine'))
    info = { ...(info ?? { family: 'alpine', name: 'Alpine Linux' }), version: alpine.trim() };
  const debian = await readText(view, 'etc/debian_version');
  if (debian !== undefined && (info === undefined || info.family === 'debian')) {
    const version = debian.trim();
    // "12.5" refines VERSION_ID "12"; "trixie/sid" (testing) has no number and keeps os-release's.
    if (/^\d+(\.\d+)*$/.test(version))
      info = { ...(info ?? { family: 'debian', name: 'Debian GNU/Linux' }), version };
    else info ??= { family: 'debian', name: 'Debian GNU/Linux', version: '', codename: version };
  }
  for (const [path, family] of RELEASE_FILE_FAMILIES) {
    const text = await readText(view, path);
    const version = text === undefined ? undefined : /release\s+(\d+(?:\.\d+)*)/i.exec(text)?.[1];
    if (version === undefined) continue;
    if (info === undefined) info = { family, name: text!.trim(), version };
    else if (info.version === '' || version.startsWith(info.version)) info.version = version;
    break;
  }
  return info;
}

export type OsPackageType = 'deb' | 'apk' | 'rpm';

/** A distribution OSV publishes advisories for, keyed by its os-release ID. */
export interface Distribution {
  /** OSV ecosystem name, without the release. */
  osv: string;
  /** The package type its packages have (and their purls). */
  packageType: OsPackageType;
  /**
   * The release suffix, from VERSION_ID; a fixed one for a rolling distribution (`Tumbleweed`), whose snapshots
   * share one advisory stream; none when its advisories carry none (Wolfi, Chainguard).
   */
  release?: ((version: string) => string) | string;
}

const major = (version: string): string => version.split('.')[0]!;
const majorMinor = (version: string): string => version.split('.').slice(0, 2).join('.');

/**
 * Every distribution whose packages are matched, by os-release ID. Images (`osEcosystem`) and SBOM purls
 * (`src/vuln/match/from-purl.ts`, whose namespaces are these IDs when Palisade writes them) both read this one
 * table, so an SBOM of an image is matched exactly as the image is.
 */
const DISTRIBUTIONS: Record<string, Distribution> = {
  debian: { osv: 'Debian', packageType: 'deb', release: major },
  ubuntu: { osv: 'Ubuntu', packageType: 'deb', release: majorMinor },
  alpine: { osv: 'Alpine', packageType: 'apk', release: (version) => `v${majorMinor(version)}` },
  wolfi: { osv: 'Wolfi', packageType: 'apk' },
  chainguard: { osv: 'Chainguard', packageType: 'apk' },
  rocky: { osv: 'Rocky Linux', packageType: 'rpm', release: major },
  almalinux: { osv: 'AlmaLinux', packageType: 'rpm', release: major },
  // Red Hat advisories are per major release (`Red Hat:enterprise_linux:9::appstream`); CentOS is rebuilt from it.
  rhel: { osv: 'Red Hat', packageType: 'rpm', release: major },
  centos: { osv: 'Red Hat', packageType: 'rpm', release: major },
  ol: { osv: 'Oracle Linux', packageType: 'rpm', release: major },
  amzn: { osv: 'Amazon Linux', packageType: 'rpm', release: major },
  // `Mageia:9`: the release is the whole VERSION_ID, which has no minor.
  mageia: { osv: 'Mageia', packageType: 'rpm', release: major },
  // VERSION_ID 15.5 is service pack 5, the name SUSE's advisories use.
  sles: {
    osv: 'SUSE',
    packageType: 'rpm',
    release: (version) => {
      const servicePack = version.split('.')[1];
      return servicePack === undefined || servicePack === '0'
        ? `Linux Enterprise Server ${major(version)}`
        : `Linux Enterprise Server ${major(version)} SP${servicePack}`;
    },
  },
  'sle-micro': {
    osv: 'SUSE',
    packageType: 'rpm',
    release: (version) => `Linux Enterprise Micro ${majorMinor(version)}`,
  },
  'opensuse-leap': {
    osv: 'openSUSE',
    packageType: 'rpm',
    release: (version) => `Leap ${majorMinor(version)}`,
  },
  'opensuse-tumbleweed': { osv: 'openSUSE', packageType: 'rpm', release: 'Tumbleweed' },
};

/** The distribution with this os-release ID (lower case), if its packages are matched. */
export function distribution(id: string): Distribution | undefined {
  return Object.hasOwn(DISTRIBUTIONS, id) ? DISTRIBUTIONS[id] : undefined;
}

/** Every os-release ID in the table, for tests that keep other mappings in step with it. */
export function distributionIds(): string[] {
  return Object.keys(DISTRIBUTIONS);
}

/** `Debian:12` for a distribution and its VERSION_ID; the bare name when the version is unknown. */
export function distributionEcosystem(distro: Distribution, version: string): string {
  const { osv, release } = distro;
  if (release === undefined) return osv;
  if (typeof release === 'string') return `${osv}:${release}`;
  return version === '' ? osv : `${osv}:${release(version)}`;
}

/** OSV ecosystem string for OS packages of this distribution (e.g. `Debian:12`, `Alpine:v3.19`). */
export function osEcosystem(os: OsInfo | undefined): string {
  if (os === undefined) return 'Linux';
  const distro = distribution(os.family);
  return distro === undefined ? os.family : distributionEcosystem(distro, os.version);
}
