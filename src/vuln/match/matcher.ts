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
   * The ecosystems, as advisories write them (`Alpine:v3.20`, `Debian`), that any advisory names under this base
   * ecosystem. A lookup that can tell (the database) lets a scan say which packages went unchecked, where "no
   * findings" would otherwise read as "no vulnerabilities".
   */
  ecosystemsOf?(base: string): readonly string[];
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

/**
 * Which package ecosystems the lookup holds any advisory for, release included (`Alpine:v3.20` is not covered by
 * Alpine v3.19 data alone), with a count of the packages left unchecked per ecosystem.
 */
class Coverage {
  readonly #lookup: AdvisoryLookup;
  readonly #byBase = new Map<string, readonly string[]>();
  readonly #covered = new Map<string, boolean>();
  readonly #unchecked = new Map<string, number>();

  constructor(lookup: AdvisoryLookup) {
    this.#lookup = lookup;
  }

  /** True when advisories may name packages of this ecosystem (or the lookup cannot tell); else counts one. */
  covers(ecosystem: string): boolean {
    let covered = this.#covered.get(ecosystem);
    if (covered === undefined) {
      const written = this.#written(baseEcosystem(ecosystem));
      covered = written === undefined || written.some((name) => sameEcosystemRelease(name, ecosystem));
      this.#covered.set(ecosystem, covered);
    }
    if (!covered) this.#unchecked.set(ecosystem, (this.#unchecked.get(ecosystem) ?? 0) + 1);
    return covered;
  }

  #written(base: string): readonly string[] | undefined {
    if (!this.#lookup.ecosystemsOf) return undefined;
    let written = this.#byBase.get(base);
    if (written === undefined) {
      written = this.#lookup.ecosystemsOf(base);
      this.#byBase.set(base, written);
    }
    return written;
  }

  /** One warning per ecosystem whose packages went unchecked, by name. */
  notices(): string[] {
    return [...this.#unchecked]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([ecosystem, count]) => {
        const base = baseEcosystem(ecosystem);
        const others = (this.#byBase.get(base) ?? []).length > 0;
        const packages = `${count} ${ecosystem} package${count === 1 ? ' was' : 's were'} not checked`;
        return others
          ? `the vulnerability database has ${base} advisories, but none for ${ecosystem}: ${packages} (import ${base} advisories for that release with \`palisade db import\` to check them)`
          : `the vulnerability database has no advisories for ${base}: ${packages} (import ${base} advisories with \`palisade db import\` to check them)`;
      });
  }
}

export function matchPackages(
  lookup: AdvisoryLookup,
  packages: readonly MatchPackage[],
  target: string,
): MatchResult {
  const notices: string[] = [];
  const findings: VulnerabilityFinding[] = [];
  const unsupported = new Set<string>();
  const coverage = new Coverage(lookup);
  for (const pkg of packages) {
    const scheme = schemeForEcosystem(pkg.ecosystem);
    if (!scheme) {
      unsupported.add(baseEcosystem(pkg.ecosystem));
      continue;
    }
    if (!coverage.covers(pkg.ecosystem)) continue;
    const matches = matchPackage(lookup, pkg, scheme, notices);
    findings.push(...mergeAliases(pkg, matches, scheme, target));
  }
  for (const ecosystem of [...unsupported].sort())
    notices.push(`ecosystem ${ecosystem} has no exact version comparator: its packages were not matched`);
  notices.push(...coverage.notices());
  return { findings, notices };
}
