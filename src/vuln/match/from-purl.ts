// A package URL (from an SBOM) as a matchable package: the OSV ecosystem, with the distribution and release of OS
// packages from Palisade's ecosystem property, else the purl (namespace, `distro` qualifier), else the SBOM's OS
// component, all through os-release.ts's table; the source package from the property, else `upstream`.
import {
  distributionIds as allDistributionIds,
  distribution,
  distributionEcosystem,
} from '../../image/os-release.ts';
import { declaredNpmName, LANGUAGE_ECOSYSTEMS, parsePurl, upstreamSource } from '../../image/purl.ts';
import { baseEcosystem } from '../version/index.ts';
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
function idsNamed(name: string, type: string): string[] {
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

/** What an SBOM says about a package besides its purl (Palisade's properties, the document's OS component). */
export interface PurlContext {
  /** `palisade:package:ecosystem`. */
  ecosystem?: string;
  /** `palisade:package:source_name` and `source_version`. */
  sourceName?: string;
  sourceVersion?: string;
  /** The operating-system component: name (an os-release ID) and version. */
  os?: { family: string; version: string };
}

/**
 * The OSV ecosystem of an OS package: the distribution the purl namespace and the `distro` qualifier name (the
 * qualifier picks among a vendor's, `opensuse` -> `opensuse-tumbleweed`), narrowed by the OS component when it
 * agrees; the release from the qualifier, else the OS component. Undefined when the names disagree, when the
 * distribution is not one `os-release.ts` knows, or when it has releases and none is known.
 */
function osEcosystem(
  type: string,
  namespace: string | undefined,
  qualifier: string | undefined,
  os: PurlContext['os'],
): string | undefined {
  let ids = idsNamed((namespace ?? '').toLowerCase(), type);
  const distro = readDistro(qualifier);
  if (distro.family !== undefined) {
    const named = idsNamed(distro.family, type);
    ids = ids.length === 0 ? named : named.filter((id) => ids.includes(id));
    // Two names that cannot be one distribution (`pkg:rpm/redhat/x?distro=fedora-39`) are not guessed between.
    if (ids.length === 0) return undefined;
  }
  let version = distro.version;
  // The OS component fills in what the purl leaves open; one that names another distribution is no help.
  if (os !== undefined) {
    const named = idsNamed(os.family.toLowerCase(), type);
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

/**
 * The ecosystem property, when it names a distribution of this purl type (one the namespace may mean, when it
 * names any) and carries the release such a distribution needs; else undefined, and the purl decides. An older
 * Palisade wrote `mageia` or `Linux` there, which no advisory matches.
 */
function declaredEcosystem(
  type: string,
  namespace: string | undefined,
  ecosystem: string | undefined,
): string | undefined {
  if (ecosystem === undefined) return undefined;
  const base = baseEcosystem(ecosystem);
  const byNamespace = idsNamed((namespace ?? '').toLowerCase(), type);
  const ids = byNamespace.length > 0 ? byNamespace : allDistributionIds();
  const named = ids.map((id) => distribution(id)!).filter((d) => d.osv === base && d.packageType === type);
  if (named.length === 0) return undefined;
  const needsRelease = named.every((d) => typeof d.release === 'function');
  return needsRelease && ecosystem === base ? undefined : ecosystem;
}

/** Undefined when the purl has no version or no ecosystem OSV covers (or no release for an OS package). */
export function packageFromPurl(
  purl: string,
  declaredName?: unknown,
  context: PurlContext = {},
): MatchPackage | undefined {
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
  // As docs/sbom.md says: the property Palisade writes, else the purl, else the OS component.
  const ecosystem =
    declaredEcosystem(parts.type, parts.namespace, context.ecosystem) ??
    osEcosystem(parts.type, parts.namespace, qualifiers.distro, context.os);
  if (ecosystem === undefined) return undefined;
  let version = parts.version;
  if (parts.type === 'rpm' && qualifiers.epoch && !version.includes(':'))
    version = `${qualifiers.epoch}:${version}`;
  const pkg: MatchPackage = { ecosystem, name: parts.name, version, purl };
  const upstream = qualifiers.upstream ?? qualifiers.origin;
  if (context.sourceName !== undefined && context.sourceName !== '') {
    pkg.sourceName = context.sourceName;
    if (context.sourceVersion !== undefined && context.sourceVersion !== '')
      pkg.sourceVersion = context.sourceVersion;
  } else {
    const source = upstreamSource(parts.type, upstream);
    if (source !== undefined) pkg.sourceName = source.name;
    if (source?.version !== undefined) pkg.sourceVersion = source.version;
  }
  return pkg;
}
