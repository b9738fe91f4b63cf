// Score any CVSS vector string OSV carries (v2, v3.0, v3.1, v4.0) and map the score to a severity.
import type { Severity } from '../../core/severity.ts';
import { cvss2BaseScore, severityFromCvss2Score } from './v2.ts';
import { cvss3BaseScore } from './v3.ts';
import { cvss4Score } from './v4.ts';

export interface CvssScore {
  version: string;
  vector: string;
  score: number;
}

/** v2 vectors carry no version prefix: `AV:N/AC:L/Au:N/C:P/I:P/A:P`, sometimes in parentheses. */
const CVSS2 = /^(\(?AV:|CVSS:2\.0\/)/;

/** Undefined for malformed vectors or unknown versions: those never raise a severity by guess. */
export function scoreCvssVector(vector: string): CvssScore | undefined {
  const text = vector.trim();
  try {
    if (CVSS2.test(text)) return { version: '2.0', vector: text, score: cvss2BaseScore(text) };
    if (text.startsWith('CVSS:3.'))
      return { version: text.slice(5, 8), vector: text, score: cvss3BaseScore(text) };
    if (text.startsWith('CVSS:4.0/')) return { version: '4.0', vector: text, score: cvss4Score(text) };
  } catch {
    return undefined;
  }
  return undefined;
}

/** The rating of a score in its own version's bands: v2 has no critical. */
export function severityOfCvss(cvss: CvssScore): Severity {
  return cvss.version === '2.0' ? severityFromCvss2Score(cvss.score) : severityFromScore(cvss.score);
}

/** Qualitative rating shared by CVSS v3 and v4; a 0.0 score is informational. */
export function severityFromScore(score: number): Severity {
  if (score >= 9) return 'critical';
  if (score >= 7) return 'high';
  if (score >= 4) return 'medium';
  if (score > 0) return 'low';
  return 'info';
}
