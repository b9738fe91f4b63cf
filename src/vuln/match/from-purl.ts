// A package URL (from an SBOM) as a matchable package: the OSV ecosystem, with the distribution and release of OS
// packages from Palisade's ecosystem property, else the purl (namespace, `distro` qualifier), else the SBOM's OS
// component, all through os-release.ts's table; the source package from the property, else `upstream`.
import { distributionIds as allDistributionIds, distribution } from '../../image/os-release.ts';
import { declaredNpmName, LANGUAGE_ECOSYSTEMS, parsePurl, upstreamSource } from '../../image/purl.ts';
import { distributionIdsNamed, purlOsEcosystem } from '../../image/purl-distribution.ts';
import { baseEcosystem } from '../version/index.ts';
import type { MatchPackage } from './package.ts';

/** The inventory's language ecosystems, plus purl types SBOMs from other tools carry but we never produce. */
const LANGUAGE: Record<string, string> = { ...LANGUAGE_ECOSYSTEMS, hex: 'Hex', pub: 'Pub' };

/** A table entry, never an inherited member: a purl type named `constructor` is just unknown. */
function own<T>(table: Record<string, T>, key: string): T | undefined {
  return Object.hasOwn(table, key) ? table[key] : undefined;
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
  const byNamespace = distributionIdsNamed((namespace ?? '').toLowerCase(), type);
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
    purlOsEcosystem(parts.type, parts.namespace, qualifiers.distro, context.os);
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
