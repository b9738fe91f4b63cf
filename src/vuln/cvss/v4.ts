// CVSS v4.0 score from the vector string: macrovector lookup plus the specification's interpolation by severity distance.
import { PalisadeError } from '../../core/errors.ts';
import { MACROVECTOR_SCORES } from './v4-macrovectors.ts';

/** Metrics in the order the specification requires, with their allowed values. */
const METRICS: ReadonlyArray<readonly [string, readonly string[], boolean]> = [
  ['AV', ['N', 'A', 'L', 'P'], true],
  ['AC', ['L', 'H'], true],
  ['AT', ['N', 'P'], true],
  ['PR', ['N', 'L', 'H'], true],
  ['UI', ['N', 'P', 'A'], true],
  ['VC', ['H', 'L', 'N'], true],
  ['VI', ['H', 'L', 'N'], true],
  ['VA', ['H', 'L', 'N'], true],
  ['SC', ['H', 'L', 'N'], true],
  ['SI', ['H', 'L', 'N'], true],
  ['SA', ['H', 'L', 'N'], true],
  ['E', ['X', 'A', 'P', 'U'], false],
  ['CR', ['X', 'H', 'M', 'L'], false],
  ['IR', ['X', 'H', 'M', 'L'], false],
  ['AR', ['X', 'H', 'M', 'L'], false],
  ['MAV', ['X', 'N', 'A', 'L', 'P'], false],
  ['MAC', ['X', 'L', 'H'], false],
  ['MAT', ['X', 'N', 'P'], false],
  ['MPR', ['X', 'N', 'L', 'H'], false],
  ['MUI', ['X', 'N', 'P', 'A'], false],
  ['MVC', ['X', 'H', 'L', 'N'], false],
  ['MVI', ['X', 'H', 'L', 'N'], false],
  ['MVA', ['X', 'H', 'L', 'N'], false],
  ['MSC', ['X', 'H', 'L', 'N'], false],
  ['MSI', ['X', 'S', 'H', 'L', 'N'], false],
  ['MSA', ['X', 'S', 'H', 'L', 'N'], false],
  ['S', ['X', 'N', 'P'], false],
  ['AU', ['X', 'N', 'Y'], false],
  ['R', ['X', 'A', 'U', 'I'], false],
  ['V', ['X', 'D', 'C'], false],
  ['RE', ['X', 'L', 'M', 'H'], false],
  ['U', ['X', 'Clear', 'Green', 'Amber', 'Red'], false],
];

export function parseCvss4(vector: string): Map<string, string> {
  const text = vector.trim();
  const fail = (why: string): PalisadeError =>
    new PalisadeError('unsupported', `CVSS v4.0 vector "${text.slice(0, 160)}": ${why}`);
  if (!text.startsWith('CVSS:4.0/')) throw fail('does not start with CVSS:4.0/');
  const metrics = new Map<string, string>();
  let position = 0;
  for (const part of text.slice('CVSS:4.0/'.length).split('/')) {
    const [name = '', value = '', extra] = part.split(':');
    const index = METRICS.findIndex(([metric]) => metric === name);
    if (index < 0 || extra !== undefined) throw fail(`unknown metric "${part.slice(0, 20)}"`);
    if (metrics.has(name)) throw fail(`metric ${name} given twice`);
    if (index < position) throw fail(`metric ${name} is out of the specified order`);
    if (!METRICS[index]![1].includes(value))
      throw fail(`metric ${name} has no value "${value.slice(0, 10)}"`);
    position = index;
    metrics.set(name, value);
  }
  for (const [name, , mandatory] of METRICS)
    if (mandatory && !metrics.has(name)) throw fail(`mandatory ${name} is missing`);
  return metrics;
}

/** Effective value: the modified metric when given, else the base one; threat and requirements default to worst case. */
function effective(metrics: Map<string, string>, name: string): string {
  const modified = metrics.get(`M${name}`);
  if (modified !== undefined && modified !== 'X') return modified;
  const value = metrics.get(name);
  if (value !== undefined && value !== 'X') return value;
  if (name === 'E') return 'A';
  if (name === 'CR' || name === 'IR' || name === 'AR') return 'H';
  return value ?? 'X';
}

/** Severity levels used to measure the distance from the highest-severity vector of a macrovector. */
const LEVELS: Record<string, Record<string, number>> = {
  AV: { N: 0, A: 0.1, L: 0.2, P: 0.3 },
  PR: { N: 0, L: 0.1, H: 0.2 },
  UI: { N: 0, P: 0.1, A: 0.2 },
  AC: { L: 0, H: 0.1 },
  AT: { N: 0, P: 0.1 },
  VC: { H: 0, L: 0.1, N: 0.2 },
  VI: { H: 0, L: 0.1, N: 0.2 },
  VA: { H: 0, L: 0.1, N: 0.2 },
  SC: { H: 0.1, L: 0.2, N: 0.3 },
  SI: { S: 0, H: 0.1, L: 0.2, N: 0.3 },
  SA: { S: 0, H: 0.1, L: 0.2, N: 0.3 },
  CR: { H: 0, M: 0.1, L: 0.2 },
  IR: { H: 0, M: 0.1, L: 0.2 },
  AR: { H: 0, M: 0.1, L: 0.2 },
};

/** The highest-severity vectors of each equivalence class level (specification §8.2). */
const MAX_COMPOSED = {
  eq1: [
    ['AV:N/PR:N/UI:N'],
    ['AV:A/PR:N/UI:N', 'AV:N/PR:L/UI:N', 'AV:N/PR:N/UI:P'],
    ['AV:P/PR:N/UI:N', 'AV:A/PR:L/UI:P'],
  ],
  eq2: [['AC:L/AT:N'], ['AC:H/AT:N', 'AC:L/AT:P']],
  eq3eq6: [
    [['VC:H/VI:H/VA:H/CR:H/IR:H/AR:H'], ['VC:H/VI:H/VA:L/CR:M/IR:M/AR:H', 'VC:H/VI:H/VA:H/CR:M/IR:M/AR:M']],
    [
      ['VC:L/VI:H/VA:H/CR:H/IR:H/AR:H', 'VC:H/VI:L/VA:H/CR:H/IR:H/AR:H'],
      [
        'VC:L/VI:H/VA:L/CR:H/IR:M/AR:H',
        'VC:L/VI:H/VA:H/CR:H/IR:M/AR:M',
        'VC:H/VI:L/VA:H/CR:M/IR:H/AR:M',
        'VC:H/VI:L/VA:L/CR:M/IR:H/AR:H',
        'VC:L/VI:L/VA:H/CR:H/IR:H/AR:M',
      ],
    ],
    [[], ['VC:L/VI:L/VA:L/CR:H/IR:H/AR:H']],
  ],
  eq4: [['SC:H/SI:S/SA:S'], ['SC:H/SI:H/SA:H'], ['SC:L/SI:L/SA:L']],
} as const;

/** Depth of each equivalence class level, in severity steps of 0.1. */
const MAX_SEVERITY = {
  eq1: [1, 4, 5],
  eq2: [1, 2],
  eq3eq6: [
    [7, 6],
    [8, 8],
    [0, 10],
  ],
  eq4: [6, 5, 4],
} as const;

function macrovector(m: (name: string) => string): number[] {
  const av = m('AV');
  const pr = m('PR');
  const ui = m('UI');
  const eq1 =
    av === 'N' && pr === 'N' && ui === 'N'
      ? 0
      : (av === 'N' || pr === 'N' || ui === 'N') && av !== 'P'
        ? 1
        : 2;
  const eq2 = m('AC') === 'L' && m('AT') === 'N' ? 0 : 1;
  const vc = m('VC');
  const vi = m('VI');
  const va = m('VA');
  const eq3 = vc === 'H' && vi === 'H' ? 0 : vc === 'H' || vi === 'H' || va === 'H' ? 1 : 2;
  const si = m('SI');
  const sa = m('SA');
  const eq4 = si === 'S' || sa === 'S' ? 0 : m('SC') === 'H' || si === 'H' || sa === 'H' ? 1 : 2;
  const e = m('E');
  const eq5 = e === 'A' ? 0 : e === 'P' ? 1 : 2;
  const eq6 =
    (m('CR') === 'H' && vc === 'H') || (m('IR') === 'H' && vi === 'H') || (m('AR') === 'H' && va === 'H')
      ? 0
      : 1;
  return [eq1, eq2, eq3, eq4, eq5, eq6];
}

function lookup(levels: readonly number[]): number | undefined {
  return MACROVECTOR_SCORES.get(levels.join(''));
}

function parseComposed(vector: string): Map<string, string> {
  return new Map(vector.split('/').map((part) => part.split(':') as [string, string]));
}

export function cvss4Score(vector: string): number {
  const metrics = parseCvss4(vector);
  const m = (name: string): string => effective(metrics, name);
  if (['VC', 'VI', 'VA', 'SC', 'SI', 'SA'].every((name) => m(name) === 'N')) return 0;
  const [eq1 = 0, eq2 = 0, eq3 = 0, eq4 = 0, eq5 = 0, eq6 = 0] = macrovector(m);
  const current = [eq1, eq2, eq3, eq4, eq5, eq6];
  const value = lookup(current);
  if (value === undefined)
    throw new PalisadeError('internal', `CVSS v4.0 macrovector ${current.join('')} has no score`);

  const lower = (index: number): number | undefined =>
    lookup(current.map((level, i) => (i === index ? level + 1 : level)));
  let lowerEq3eq6: number | undefined;
  if (eq3 === 0 && eq6 === 0) {
    const left = lookup([eq1, eq2, eq3, eq4, eq5, eq6 + 1]);
    const right = lookup([eq1, eq2, eq3 + 1, eq4, eq5, eq6]);
    lowerEq3eq6 = left === undefined ? right : right === undefined ? left : Math.max(left, right);
  } else if (eq3 === 1 && eq6 === 0) {
    lowerEq3eq6 = lookup([eq1, eq2, eq3, eq4, eq5, eq6 + 1]);
  } else {
    lowerEq3eq6 = lookup([eq1, eq2, eq3 + 1, eq4, eq5, eq6]);
  }

  // The first highest-severity vector of this macrovector that the actual vector does not exceed.
  const candidates: string[] = [];
  for (const a of MAX_COMPOSED.eq1[eq1] ?? [])
    for (const b of MAX_COMPOSED.eq2[eq2] ?? [])
      for (const c of MAX_COMPOSED.eq3eq6[eq3]?.[eq6] ?? [])
        for (const d of MAX_COMPOSED.eq4[eq4] ?? []) candidates.push(`${a}/${b}/${c}/${d}`);
  let distances: Record<string, number> = {};
  for (const candidate of candidates) {
    const max = parseComposed(candidate);
    const d: Record<string, number> = {};
    for (const name of Object.keys(LEVELS))
      d[name] = (LEVELS[name]![m(name)] ?? 0) - (LEVELS[name]![max.get(name) ?? ''] ?? 0);
    distances = d;
    if (Object.values(d).every((distance) => distance >= 0)) break;
  }
  const dist = (...names: string[]): number => names.reduce((sum, name) => sum + (distances[name] ?? 0), 0);

  const step = 0.1;
  const parts: Array<[number | undefined, number, number]> = [
    [lower(0), dist('AV', 'PR', 'UI'), MAX_SEVERITY.eq1[eq1 as 0 | 1 | 2] * step],
    [lower(1), dist('AC', 'AT'), MAX_SEVERITY.eq2[eq2 as 0 | 1] * step],
    [lowerEq3eq6, dist('VC', 'VI', 'VA', 'CR', 'IR', 'AR'), (MAX_SEVERITY.eq3eq6[eq3]?.[eq6] ?? 0) * step],
    [lower(3), dist('SC', 'SI', 'SA'), MAX_SEVERITY.eq4[eq4 as 0 | 1 | 2] * step],
    // EQ5 (exploit maturity) has a single value per level: no distance inside it.
    [lower(4), 0, 1 * step],
  ];
  let existing = 0;
  let total = 0;
  for (const [lowerScore, distance, maxSeverity] of parts) {
    if (lowerScore === undefined) continue;
    existing++;
    total += (value - lowerScore) * (distance / maxSeverity);
  }
  const score = Math.min(10, Math.max(0, value - (existing === 0 ? 0 : total / existing)));
  // The reference calculator rounds half up at one decimal, after removing floating-point noise.
  return Math.round((score + 1e-6) * 10) / 10;
}
