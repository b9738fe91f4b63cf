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

/** OSV ecosystem string for OS packages of this distribution (e.g. `Debian:12`, `Alpine:v3.19`). */
export function osEcosystem(os: OsInfo | undefined): string {
  if (os === undefined) return 'Linux';
  const major = os.version.split('.')[0] ?? '';
  const majorMinor = os.version.split('.').slice(0, 2).join('.');
  switch (os.family) {
    case 'debian':
      return major === '' ? 'Debian' : `Debian:${major}`;
    case 'ubuntu':
      return majorMinor === '' ? 'Ubuntu' : `Ubuntu:${majorMinor}`;
    case 'alpine':
      return majorMinor === '' ? 'Alpine' : `Alpine:v${majorMinor}`;
    case 'rocky':
      return `Rocky Linux${major === '' ? '' : `:${major}`}`;
    case 'almalinux':
      return `AlmaLinux${major === '' ? '' : `:${major}`}`;
    case 'rhel':
    case 'centos':
      // Red Hat advisories are per major release (`Red Hat:enterprise_linux:9::appstream`).
      return major === '' ? 'Red Hat' : `Red Hat:${major}`;
    case 'opensuse-leap':
      return `openSUSE:Leap ${majorMinor}`;
    case 'sles': {
      // VERSION_ID 15.5 is service pack 5, the name SUSE's advisories use.
      const servicePack = os.version.split('.')[1];
      if (major === '') return 'SUSE';
      return servicePack === undefined || servicePack === '0'
        ? `SUSE:Linux Enterprise Server ${major}`
        : `SUSE:Linux Enterprise Server ${major} SP${servicePack}`;
    }
    case 'sle-micro':
      return `SUSE:Linux Enterprise Micro ${majorMinor}`;
    case 'opensuse-tumbleweed':
      return 'openSUSE:Tumbleweed';
    case 'wolfi':
      return 'Wolfi';
    case 'chainguard':
      return 'Chainguard';
    default:
      return os.family;
  }
}
