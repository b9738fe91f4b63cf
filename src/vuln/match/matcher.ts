// Matches packages against the advisory database: exact ecosystem and release, the source package for distros,
// exact version ranges, then one finding per vulnerability per package with its aliases merged.
import type { VulnerabilityFinding } from '../../core/finding.ts';
import { normalizePackageName, type OsvAffected, type OsvRecord } from '../db/osv-record.ts';
import { baseEcosystem, schemeForEcosystem, type VersionScheme } from '../version/index.ts';
import { mergeAliases } from './aliases.ts';
import type { MatchPackage } from './package.ts';
import { type RangeVerdict, readAffected } from './ranges.ts';
import { isSourceKeyed, isSourceRpmKeyed, sameEcosystemRelease } from './release.ts';
import { type AdvisorySeverity, advisorySeverity } from './severity.ts';

export interface AdvisoryLookup {
  findByPackage(base: string, name: string): OsvRecord[];
  /**
   * Whether any advisory at all names this base ecosystem. A lookup that can tell (the database) lets a scan say
   * which packages went unchecked, where "no findings" would otherwise read as "no vulnerabilities".
   */
  hasAdvisories?(base: string): boolean;
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

/**
 * The name and version distro advisories are written against: the source package for Debian, Ubuntu, Alpine; the
 * source RPM for SUSE, openSUSE and Mageia, at the package's own `[epoch:]version-release`, which its source RPM
 * shares (the source RPM's file name has no epoch). Without a known source, the package's own name.
 */
function matchKey(pkg: MatchPackage): { name: string; version: string } {
  if (isSourceKeyed(pkg.ecosystem))
    return { name: pkg.sourceName ?? pkg.name, version: pkg.sourceVersion ?? pkg.version };
  if (isSourceRpmKeyed(pkg.ecosystem)) return { name: pkg.sourceName ?? pkg.name, version: pkg.version };
  return { name: pkg.name, version: pkg.version };
}

/** Whether an `affected` entry names this package in this ecosystem and release. */
function namesPackage(affected: OsvAffected, pkg: MatchPackage, name: string): boolean {
  if (!affected.package || !sameEcosystemRelease(affected.package.ecosystem, pkg.ecosystem)) return false;
  const base = baseEcosystem(pkg.ecosystem);
  return normalizePackageName(base, affected.package.name) === normalizePackageName(base, name);
}

/**
 * The lowest fixed version, above the installed one, that no entry of the record still covers: a record may
 * split one package over several entries ([0, 1.20.11) and [1.20.11, 1.20.12)), and 1.20.11 is no fix then.
 */
function firstClearFix(
  version: string,
  entries: ReadonlyArray<{ affected: OsvAffected; verdictAt: (version: string) => RangeVerdict }>,
  scheme: VersionScheme,
): string | undefined {
  const candidates = new Set<string>();
  // A GIT range's fix is a commit hash, never a version to upgrade to.
  for (const { affected } of entries)
    for (const range of affected.ranges)
      if (range.type === 'SEMVER' || range.type === 'ECOSYSTEM')
        for (const event of range.events) if (event.fixed) candidates.add(event.fixed);
  const above: string[] = [];
  for (const candidate of candidates)
    try {
      if (scheme.compare(candidate, version) > 0) above.push(candidate);
    } catch {
      // A fixed version the scheme cannot read is no candidate.
    }
  above.sort((a, b) => scheme.compare(a, b));
  // A doubt (an unreadable event) does not withhold a fix: the finding is reported either way, and a finding
  // without a fix would be left out by --ignore-unfixed.
  return above.find((candidate) => entries.every((entry) => entry.verdictAt(candidate).affected === false));
}

export function matchPackage(
  lookup: AdvisoryLookup,
  pkg: MatchPackage,
  scheme: VersionScheme,
  notices: string[],
): AdvisoryMatch[] {
  const key = matchKey(pkg);
  const problem = scheme.validate(key.version);
  if (problem)
    notices.push(
      `${pkg.ecosystem} ${key.name} ${key.version}: version not comparable (${problem}); only advisories listing it exactly are matched`,
    );
  const matches: AdvisoryMatch[] = [];
  for (const record of lookup.findByPackage(baseEcosystem(pkg.ecosystem), key.name)) {
    if (record.withdrawn) continue;
    // Each entry is read once for the installed version and every candidate fix.
    const entries = record.affected
      .filter((affected) => namesPackage(affected, pkg, key.name))
      .map((affected) => ({ affected, verdictAt: readAffected(affected, scheme) }));
    let hit: OsvAffected | undefined;
    let doubt: string | undefined;
    for (const { affected, verdictAt } of entries) {
      if (problem) {
        // The `versions` list is compared as plain text (OSV's IncludedInVersions), so it needs no parsing.
        if (affected.versions.includes(key.version)) hit ??= affected;
        continue;
      }
      const verdict = verdictAt(key.version);
      if (verdict.affected === 'unknown')
        notices.push(`${record.id} for ${key.name} ${key.version}: ${verdict.reason}; not evaluated`);
      else if (verdict.affected) hit ??= affected;
      else doubt ??= verdict.doubt;
    }
    if (hit === undefined) {
      // Not affected as far as the record can be read: said, since the unreadable event may have made it so.
      if (doubt !== undefined)
        notices.push(
          `${record.id} for ${key.name} ${key.version}: ${doubt}; not affected as far as the rest of the record says`,
        );
      continue;
    }
    const match: AdvisoryMatch = { record, affected: hit, severity: advisorySeverity(record, hit) };
    const fixedVersion = problem ? undefined : firstClearFix(key.version, entries, scheme);
    if (fixedVersion !== undefined) match.fixedVersion = fixedVersion;
    matches.push(match);
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
  // Packages per base ecosystem with no advisory in the database, decided once per base.
  const uncovered = new Map<string, number>();
  const covered = new Set<string>();
  for (const pkg of packages) {
    const scheme = schemeForEcosystem(pkg.ecosystem);
    const base = baseEcosystem(pkg.ecosystem);
    if (!scheme) {
      unsupported.add(base);
      continue;
    }
    if (!covered.has(base)) {
      const unchecked = uncovered.get(base);
      if (unchecked !== undefined) {
        uncovered.set(base, unchecked + 1);
        continue;
      }
      if (lookup.hasAdvisories?.(base) === false) {
        uncovered.set(base, 1);
        continue;
      }
      covered.add(base);
    }
    const matches = matchPackage(lookup, pkg, scheme, notices);
    findings.push(...mergeAliases(pkg, matches, scheme, target));
  }
  for (const ecosystem of [...unsupported].sort())
    notices.push(`ecosystem ${ecosystem} has no exact version comparator: its packages were not matched`);
  for (const [ecosystem, count] of [...uncovered].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
    notices.push(
      `the vulnerability database has no advisories for ${ecosystem}: ${count} ${ecosystem} package${count === 1 ? ' was' : 's were'} not checked (import ${ecosystem} advisories with \`palisade db import\` to check them)`,
    );
  return { findings, notices };
}
