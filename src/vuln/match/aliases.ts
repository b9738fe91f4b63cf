// One finding per vulnerability per package: advisories that alias each other (GHSA, CVE, GO-, PYSEC-, DSA...)
// are merged, named by the CVE when there is one, with the highest severity and the fix that covers them all.
import type { VulnerabilityFinding } from '../../core/finding.ts';
import type { VersionScheme } from '../version/index.ts';
import type { AdvisoryMatch } from './matcher.ts';
import type { MatchPackage } from './package.ts';
import { higherSeverity } from './severity.ts';

const MAX_REFERENCES = 10;

/** Groups matches whose ids or aliases overlap (union-find over identifiers). */
function groups(matches: readonly AdvisoryMatch[]): AdvisoryMatch[][] {
  const parent = new Map<string, string>();
  const find = (id: string): string => {
    let root = id;
    while (parent.get(root) !== undefined && parent.get(root) !== root) root = parent.get(root)!;
    parent.set(id, root);
    return root;
  };
  const union = (a: string, b: string): void => {
    const rootA = find(a);
    const rootB = find(b);
    if (rootA !== rootB) parent.set(rootB, rootA);
  };
  for (const match of matches) {
    parent.set(match.record.id, find(match.record.id));
    for (const alias of match.record.aliases) union(match.record.id, alias);
  }
  const byRoot = new Map<string, AdvisoryMatch[]>();
  for (const match of matches) {
    const root = find(match.record.id);
    byRoot.set(root, [...(byRoot.get(root) ?? []), match]);
  }
  return [...byRoot.values()];
}

function primaryId(ids: readonly string[]): string {
  const cves = ids.filter((id) => /^CVE-\d{4}-\d+$/.test(id)).sort();
  return cves[0] ?? [...ids].sort()[0] ?? '';
}

function highestFix(fixes: readonly string[], scheme: VersionScheme): string | undefined {
  let best: string | undefined;
  for (const fix of fixes) {
    try {
      if (best === undefined || scheme.compare(fix, best) > 0) best = fix;
    } catch {
      best ??= fix;
    }
  }
  return best;
}

export function mergeAliases(
  pkg: MatchPackage,
  matches: readonly AdvisoryMatch[],
  scheme: VersionScheme,
  target: string,
): VulnerabilityFinding[] {
  return groups(matches).map((group) => {
    const ids = new Set<string>();
    for (const match of group) {
      ids.add(match.record.id);
      for (const alias of match.record.aliases) ids.add(alias);
    }
    const id = primaryId([...ids]);
    const aliases = [...ids].filter((other) => other !== id).sort();
    // One member without a fix does not hide a fix another member publishes; the highest fix covers all.
    const fixedVersion = highestFix(
      group.map((match) => match.fixedVersion).filter((fix): fix is string => fix !== undefined),
      scheme,
    );
    let strongest = group[0]!;
    for (const match of group)
      if (
        higherSeverity(match.severity.severity, strongest.severity.severity) !== strongest.severity.severity
      )
        strongest = match;
    const severity = strongest.severity;
    const references = [...new Set(group.flatMap((match) => match.record.references))].slice(
      0,
      MAX_REFERENCES,
    );
    const title = group.find((match) => match.record.summary)?.record.summary ?? id;
    const rated = severity.basis === 'unrated' ? ' (the advisory rates no severity)' : '';
    const finding: VulnerabilityFinding = {
      source: 'vulnerability',
      ruleId: id,
      severity: severity.severity,
      title,
      message:
        `${pkg.name} ${pkg.version} is affected by ${id}${rated}` +
        (fixedVersion === undefined ? '; no fixed version is published' : `; fixed in ${fixedVersion}`),
      package: { ecosystem: pkg.ecosystem, name: pkg.name, version: pkg.version },
      advisory: { id, aliases, references },
      status: fixedVersion === undefined ? 'affected' : 'fixed',
      location: { type: 'artifact', target, path: pkg.path ?? '' },
      frameworks: {},
      remediation:
        fixedVersion === undefined
          ? `No fixed version of ${pkg.sourceName ?? pkg.name} is published yet; remove the package or mitigate, and watch ${id}.`
          : `Upgrade ${pkg.sourceName ?? pkg.name} to ${fixedVersion} or later.`,
    };
    if (pkg.purl !== undefined) finding.package.purl = pkg.purl;
    if (pkg.sourceName !== undefined) finding.package.sourceName = pkg.sourceName;
    if (pkg.sourceVersion !== undefined) finding.package.sourceVersion = pkg.sourceVersion;
    if (fixedVersion !== undefined) finding.advisory.fixedVersion = fixedVersion;
    if (severity.basis === 'unrated') finding.advisory.unrated = true;
    if (severity.cvss)
      finding.advisory.cvss = {
        version: severity.cvss.version,
        vector: severity.cvss.vector,
        score: severity.cvss.score,
      };
    if (pkg.layer !== undefined) finding.location.layer = pkg.layer;
    return finding;
  });
}
