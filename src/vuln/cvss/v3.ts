// CVSS v3.0 and v3.1 base score from the vector string (FIRST specification §7.1, with each version's rounding).
import { PalisadeError } from '../../core/errors.ts';

const AV: Record<string, number> = { N: 0.85, A: 0.62, L: 0.55, P: 0.2 };
const AC: Record<string, number> = { L: 0.77, H: 0.44 };
const PR_UNCHANGED: Record<string, number> = { N: 0.85, L: 0.62, H: 0.27 };
const PR_CHANGED: Record<string, number> = { N: 0.85, L: 0.68, H: 0.5 };
const UI: Record<string, number> = { N: 0.85, R: 0.62 };
const CIA: Record<string, number> = { H: 0.56, L: 0.22, N: 0 };

/** Allowed values per metric, base and the optional temporal/environmental ones (parsed, not scored). */
const METRICS: Record<string, readonly string[]> = {
  AV: ['N', 'A', 'L', 'P'],
  AC: ['L', 'H'],
  PR: ['N', 'L', 'H'],
  UI: ['N', 'R'],
  S: ['U', 'C'],
  C: ['H', 'L', 'N'],
  I: ['H', 'L', 'N'],
  A: ['H', 'L', 'N'],
  E: ['X', 'U', 'P', 'F', 'H'],
  RL: ['X', 'O', 'T', 'W', 'U'],
  RC: ['X', 'U', 'R', 'C'],
  CR: ['X', 'L', 'M', 'H'],
  IR: ['X', 'L', 'M', 'H'],
  AR: ['X', 'L', 'M', 'H'],
  MAV: ['X', 'N', 'A', 'L', 'P'],
  MAC: ['X', 'L', 'H'],
  MPR: ['X', 'N', 'L', 'H'],
  MUI: ['X', 'N', 'R'],
  MS: ['X', 'U', 'C'],
  MC: ['X', 'N', 'L', 'H'],
  MI: ['X', 'N', 'L', 'H'],
  MA: ['X', 'N', 'L', 'H'],
};
const BASE = ['AV', 'AC', 'PR', 'UI', 'S', 'C', 'I', 'A'];

export function parseCvss3(vector: string): { version: '3.0' | '3.1'; metrics: Map<string, string> } {
  const match = /^CVSS:(3\.[01])\/(.*)$/.exec(vector.trim());
  if (!match)
    throw new PalisadeError(
      'unsupported',
      `CVSS vector "${vector.slice(0, 120)}" does not start with CVSS:3.0/ or CVSS:3.1/`,
    );
  const metrics = new Map<string, string>();
  for (const part of (match[2] ?? '').split('/')) {
    const [name = '', value = '', extra] = part.split(':');
    const allowed = METRICS[name];
    if (!allowed || extra !== undefined || !allowed.includes(value))
      throw new PalisadeError(
        'unsupported',
        `CVSS vector "${vector.slice(0, 120)}": bad metric "${part.slice(0, 20)}"`,
      );
    if (metrics.has(name))
      throw new PalisadeError(
        'unsupported',
        `CVSS vector "${vector.slice(0, 120)}": metric ${name} given twice`,
      );
    metrics.set(name, value);
  }
  for (const name of BASE)
    if (!metrics.has(name))
      throw new PalisadeError(
        'unsupported',
        `CVSS vector "${vector.slice(0, 120)}": base metric ${name} is missing`,
      );
  return { version: match[1] as '3.0' | '3.1', metrics };
}

/** v3.1 Roundup (Appendix A): works on integers to avoid floating-point artefacts such as 4.000000001 -> 4.1. */
function roundUp31(value: number): number {
  const integer = Math.round(value * 100000);
  return integer % 10000 === 0 ? integer / 100000 : (Math.floor(integer / 10000) + 1) / 10;
}

/** v3.0 rounds up to one decimal with a plain ceiling. */
function roundUp30(value: number): number {
  return Math.ceil(value * 10) / 10;
}

export function cvss3BaseScore(vector: string): number {
  const { version, metrics } = parseCvss3(vector);
  const get = (name: string): string => metrics.get(name) ?? '';
  const changed = get('S') === 'C';
  const iss = 1 - (1 - CIA[get('C')]!) * (1 - CIA[get('I')]!) * (1 - CIA[get('A')]!);
  const impact = changed ? 7.52 * (iss - 0.029) - 3.25 * (iss - 0.02) ** 15 : 6.42 * iss;
  const exploitability =
    8.22 *
    AV[get('AV')]! *
    AC[get('AC')]! *
    (changed ? PR_CHANGED : PR_UNCHANGED)[get('PR')]! *
    UI[get('UI')]!;
  if (impact <= 0) return 0;
  const roundUp = version === '3.1' ? roundUp31 : roundUp30;
  return changed
    ? roundUp(Math.min(1.08 * (impact + exploitability), 10))
    : roundUp(Math.min(impact + exploitability, 10));
}
