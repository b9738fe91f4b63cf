// Matches packages against the advisory database: exact ecosystem and release, the source package for distros,
// exact version ranges, then one finding per vulnerability per package with its aliases merged.
import type { VulnerabilityFinding } from '../../core/finding.ts';
import type { OsvAffected, OsvRecord } from '../db/osv-record.ts';
import { baseEcosystem, schemeForEcosystem, type VersionScheme } from '../version/index.ts';
import { mergeAliases } from './aliases.ts';
import type { MatchPackage } from './package.ts';
import { evaluateAffected } from './ranges.ts';
import { isSourceKeyed, sameEcosystemRelease } from './release.ts';
import { type AdvisorySeverity, advisorySeverity } from './severity.ts';

export interface AdvisoryLookup {
  findByPackage(base: string, name: string): OsvRecord[];
}

/** One advisory that matched one package, before alias merging. */
export interface AdvisoryMatch {
  record: OsvRecord;
  affected: OsvAffected;
  fixedVersion?: string;
  severity: AdvisorySeverity;
}

export interface MatchResult {
  findings: VulnerabilityFinding[];
  /** Packages or advisories that could not be evaluated exactly, in words. */
  notices: string[];
}

/** The name and version distro advisories are written against: the source package for Debian, Ubuntu, Alpine. */
function matchKey(pkg: MatchPackage): { name: string; version: string } {
  if (isSourceKeyed(pkg.ecosystem))
    return { name: pkg.sourceName ?? pkg.name, version: pkg.sourceVersion ?? pkg.version };
  return { name: pkg.name, version: pkg.version };
}

export function matchPackage(
  lookup: AdvisoryLookup,
  pkg: MatchPackage,
  scheme: VersionScheme,
  notices: string[],
): AdvisoryMatch[] {
  const key = matchKey(pkg);
  const problem = scheme.validate(key.version);
  if (problem) {
    notices.push(
      `${pkg.ecosystem} ${key.name} ${key.version}: version not comparable (${problem}); not matched`,
    );
    return [];
  }
  const matches: AdvisoryMatch[] = [];
  for (const record of lookup.findByPackage(baseEcosystem(pkg.ecosystem), key.name)) {
    if (record.withdrawn) continue;
    for (const affected of record.affected) {
      if (!affected.package || !sameEcosystemRelease(affected.package.ecosystem, pkg.ecosystem)) continue;
      if (baseEcosystem(pkg.ecosystem) === 'PyPI') {
        if (
          affected.package.name.toLowerCase().replace(/[-_.]+/g, '-') !==
          key.name.toLowerCase().replace(/[-_.]+/g, '-')
        )
          continue;
      } else if (affected.package.name !== key.name) continue;
      const verdict = evaluateAffected(key.version, affected, scheme);
      if (verdict.affected === 'unknown') {
        notices.push(`${record.id} for ${key.name} ${key.version}: ${verdict.reason}; not evaluated`);
        continue;
      }
      if (!verdict.affected) continue;
      const match: AdvisoryMatch = { record, affected, severity: advisorySeverity(record, affected) };
      if (verdict.fixedVersion !== undefined) match.fixedVersion = verdict.fixedVersion;
      matches.push(match);
      break;
    }
  }
  return matches;
}

export function matchPackages(
  lookup: AdvisoryLookup,
  packages: readonly MatchPackage[],
  target: string,
): MatchResult {
  const notices: string[] = [];
  const findings: VulnerabilityFinding[] = [];
  const unsupported = new Set<string>();
  for (const pkg of packages) {
    const scheme = schemeForEcosystem(pkg.ecosystem);
    if (!scheme) {
      unsupported.add(baseEcosystem(pkg.ecosystem));
      continue;
    }
    const matches = matchPackage(lookup, pkg, scheme, notices);
    findings.push(...mergeAliases(pkg, matches, scheme, target));
  }
  for (const ecosystem of [...unsupported].sort())
    notices.push(`ecosystem ${ecosystem} has no exact version comparator: its packages were not matched`);
  return { findings, notices };
}
