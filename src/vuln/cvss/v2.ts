// CVSS v2 base score from the vector string (FIRST's CVSS v2 guide, §3.2.1), for advisories that carry nothing
// newer. v2 has no "critical": NVD rates 0.0-3.9 low, 4.0-6.9 medium, 7.0-10.0 high.
import { PalisadeError } from '../../core/errors.ts';
import type { Severity } from '../../core/severity.ts';

const AV: Record<string, number> = { L: 0.395, A: 0.646, N: 1 };
const AC: Record<string, number> = { H: 0.35, M: 0.61, L: 0.71 };
const AU: Record<string, number> = { M: 0.45, S: 0.56, N: 0.704 };
const CIA: Record<string, number> = { N: 0, P: 0.275, C: 0.66 };

/** Allowed values per metric: base, temporal and environmental (the last two are parsed, not scored). */
const METRICS: Record<string, readonly string[]> = {
  AV: ['L', 'A', 'N'],
  AC: ['H', 'M', 'L'],
  Au: ['M', 'S', 'N'],
  C: ['N', 'P', 'C'],
  I: ['N', 'P', 'C'],
  A: ['N', 'P', 'C'],
  E: ['U', 'POC', 'F', 'H', 'ND'],
  RL: ['OF', 'TF', 'W', 'U', 'ND'],
  RC: ['UC', 'UR', 'C', 'ND'],
  CDP: ['N', 'L', 'LM', 'MH', 'H', 'ND'],
  TD: ['N', 'L', 'M', 'H', 'ND'],
  CR: ['L', 'M', 'H', 'ND'],
  IR: ['L', 'M', 'H', 'ND'],
  AR: ['L', 'M', 'H', 'ND'],
};
const BASE = ['AV', 'AC', 'Au', 'C', 'I', 'A'];

function invalid(vector: string, why: string): PalisadeError {
  return new PalisadeError('unsupported', `CVSS v2 vector "${vector.slice(0, 120)}": ${why}`);
}

/** The metrics of a v2 vector (`AV:N/AC:L/Au:N/C:P/I:P/A:P`, optionally in parentheses or after `CVSS:2.0/`). */
export function parseCvss2(vector: string): Map<string, string> {
  let text = vector.trim();
  if (text.startsWith('(') && text.endsWith(')')) text = text.slice(1, -1);
  if (text.startsWith('CVSS:2.0/')) text = text.slice('CVSS:2.0/'.length);
  const metrics = new Map<string, string>();
  for (const part of text.split('/')) {
    const [name, value, extra] = part.split(':');
    if (name === undefined || value === undefined || extra !== undefined)
      throw invalid(vector, `malformed metric ${JSON.stringify(part)}`);
    const allowed = METRICS[name];
    if (!allowed) throw invalid(vector, `unknown metric ${name}`);
    if (!allowed.includes(value)) throw invalid(vector, `${name}:${value} is not a valid value`);
    if (metrics.has(name)) throw invalid(vector, `${name} is given twice`);
    metrics.set(name, value);
  }
  for (const name of BASE) if (!metrics.has(name)) throw invalid(vector, `base metric ${name} is missing`);
  return metrics;
}

export function cvss2BaseScore(vector: string): number {
  const metrics = parseCvss2(vector);
  const value = (table: Record<string, number>, name: string) => table[metrics.get(name) as string] as number;
  const impact = 10.41 * (1 - (1 - value(CIA, 'C')) * (1 - value(CIA, 'I')) * (1 - value(CIA, 'A')));
  const exploitability = 20 * value(AV, 'AV') * value(AC, 'AC') * value(AU, 'Au');
  const raw = (0.6 * impact + 0.4 * exploitability - 1.5) * (impact === 0 ? 0 : 1.176);
  // Rounded to one decimal, half up; the epsilon keeps 7.45 computed as 7.4499999 from rounding down.
  return Math.max(0, Math.round(raw * 10 + 1e-9) / 10);
}

/** NVD's v2 rating bands. */
export function severityFromCvss2Score(score: number): Severity {
  if (score >= 7) return 'high';
  if (score >= 4) return 'medium';
  return 'low';
}
