// The distribution and release a package URL of an OS package means: its namespace (an os-release ID or a vendor)
// and its `distro` qualifier, as Palisade and other tools (Syft, Trivy) write them, read through os-release.ts's
// table. Shared by `palisade sbom` (reading an SBOM into an inventory) and `scan-sbom` (matching it).
import { distribution, distributionEcosystem } from './os-release.ts';

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

/**
 * Names other tools write, in purl namespaces or `distro` qualifiers, that are not os-release IDs (Palisade writes
 * the ID): a vendor, with the distributions it may mean, the usual one first (the qualifier picks among them), or
 * another spelling (Trivy's `opensuse.leap`, `slem`).
 */
const ALIASES: Record<string, readonly string[]> = {
  redhat: ['rhel', 'centos'],
  suse: ['sles', 'sle-micro'],
  opensuse: ['opensuse-leap', 'opensuse-tumbleweed'],
  'opensuse.leap': ['opensuse-leap'],
  'opensuse.tumbleweed': ['opensuse-tumbleweed'],
  slem: ['sle-micro'],
  oracle: ['ol'],
  amazon: ['amzn'],
};

/** A table entry, never an inherited member: a purl type or distro named `constructor` is just unknown. */
function own<T>(table: Record<string, T>, key: string): T | undefined {
  return Object.hasOwn(table, key) ? table[key] : undefined;
}

/**
 * The os-release IDs of `type` packages a namespace or distro name can mean: itself when the table has it, else
 * those its alias names.
 */
export function distributionIdsNamed(name: string, type: string): string[] {
  const ids = distribution(name) !== undefined ? [name] : (own(ALIASES, name) ?? []);
  return ids.filter((id) => distribution(id)?.packageType === type);
}

/**
 * The `distro` qualifier: `debian-12.5`, `opensuse-leap-15.5`, `wolfi-20230201`, `opensuse-tumbleweed`, a
 * codename (`bookworm`, `jammy`) or a bare release (`12`).
 */
function readDistro(qualifier: string | undefined): { family?: string; version?: string } {
  if (qualifier === undefined || qualifier === '') return {};
  const value = qualifier.toLowerCase();
  const debian = own(DEBIAN_CODENAMES, value);
  if (debian !== undefined) return { family: 'debian', version: debian };
  const ubuntu = own(UBUNTU_CODENAMES, value);
  if (ubuntu !== undefined) return { family: 'ubuntu', version: ubuntu };
  if (/^[0-9][\w.]*$/.test(value)) return { version: value };
  const named = /^([a-z][a-z0-9.-]*?)-([0-9][\w.]*)$/.exec(value);
  if (named) return { family: named[1]!, version: named[2]! };
  return { family: value };
}

/**
 * The OSV ecosystem of an OS package: the distribution the purl namespace and the `distro` qualifier name (the
 * qualifier picks among a vendor's, `opensuse` -> `opensuse-tumbleweed`), narrowed by the OS component when it
 * agrees; the release from the qualifier, else the OS component. Undefined when the names disagree, when the
 * distribution is not one `os-release.ts` knows, or when it has releases and none is known.
 */
export function purlOsEcosystem(
  type: string,
  namespace: string | undefined,
  qualifier: string | undefined,
  os: { family: string; version: string } | undefined,
): string | undefined {
  let ids = distributionIdsNamed((namespace ?? '').toLowerCase(), type);
  const distro = readDistro(qualifier);
  if (distro.family !== undefined) {
    const named = distributionIdsNamed(distro.family, type);
    ids = ids.length === 0 ? named : named.filter((id) => ids.includes(id));
    // Two names that cannot be one distribution (`pkg:rpm/redhat/x?distro=fedora-39`) are not guessed between.
    if (ids.length === 0) return undefined;
  }
  let version = distro.version;
  // The OS component fills in what the purl leaves open; one that names another distribution is no help.
  if (os !== undefined) {
    const named = distributionIdsNamed(os.family.toLowerCase(), type);
    const agreeing = ids.length === 0 ? named : named.filter((id) => ids.includes(id));
    if (agreeing.length > 0) {
      ids = agreeing;
      version ??= os.version;
    }
  }
  const found = ids[0] === undefined ? undefined : distribution(ids[0]);
  if (found === undefined) return undefined;
  // A distribution with releases needs one: its advisories are per release.
  if (typeof found.release === 'function' && (version === undefined || version === '')) return undefined;
  return distributionEcosystem(found, version ?? '');
}
