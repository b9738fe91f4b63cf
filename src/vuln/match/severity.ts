// An advisory's severity: from its CVSS vectors (score computed from the vector string, newest CVSS version
// first, v2 only when nothing newer is given), else from the ecosystem's own rating (GHSA level, Ubuntu priority, Red Hat/AlmaLinux impact).
import { SEVERITIES, type Severity } from '../../core/severity.ts';
import { type CvssScore, scoreCvssVector, severityOfCvss } from '../cvss/index.ts';
import type { OsvAffected, OsvRecord, OsvSeverity } from '../db/osv-record.ts';

export interface AdvisorySeverity {
  severity: Severity;
  cvss?: CvssScore;
  /** Where the severity came from, for the message. */
  basis: 'cvss' | 'rating' | 'unrated';
}

const RATINGS: Record<string, Severity> = {
  critical: 'critical',
  high: 'high',
  important: 'high',
  moderate: 'medium',
  medium: 'medium',
  low: 'low',
  negligible: 'low',
  unimportant: 'info',
};

/** Severity shown when an advisory carries neither a vector nor a rating: unknown is not harmless. */
export const UNRATED_SEVERITY: Severity = 'medium';

function bestCvss(entries: readonly OsvSeverity[]): CvssScore | undefined {
  let best: CvssScore | undefined;
  for (const entry of entries) {
    if (!entry.type.startsWith('CVSS_V')) continue;
    const scored = scoreCvssVector(entry.score);
    if (!scored) continue;
    if (
      !best ||
      scored.version > best.version ||
      (scored.version === best.version && scored.score > best.score)
    )
      best = scored;
  }
  return best;
}

function rating(record: OsvRecord, affected: OsvAffected): Severity | undefined {
  const candidates = [
    affected.rating,
    ...affected.severity.filter((entry) => !entry.type.startsWith('CVSS')).map((entry) => entry.score),
    ...record.severity.filter((entry) => !entry.type.startsWith('CVSS')).map((entry) => entry.score),
    record.rating,
    // Red Hat and AlmaLinux advisories start their summary with the impact: "Important: openssl security update".
    /^(Critical|Important|Moderate|Low):/i.exec(record.summary ?? '')?.[1],
  ];
  for (const candidate of candidates) {
    const severity = candidate === undefined ? undefined : RATINGS[candidate.trim().toLowerCase()];
    if (severity) return severity;
  }
  return undefined;
}

export function advisorySeverity(record: OsvRecord, affected: OsvAffected): AdvisorySeverity {
  const cvss = bestCvss([...affected.severity, ...record.severity]);
  if (cvss) return { severity: severityOfCvss(cvss), cvss, basis: 'cvss' };
  const rated = rating(record, affected);
  if (rated) return { severity: rated, basis: 'rating' };
  return { severity: UNRATED_SEVERITY, basis: 'unrated' };
}

export function higherSeverity(a: Severity, b: Severity): Severity {
  return SEVERITIES.indexOf(a) <= SEVERITIES.indexOf(b) ? a : b;
}
