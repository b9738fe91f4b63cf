// OSV range reading at scale and against a plain reference: a record with tens of thousands of events is read
// in one pass, and on random small event lists the matcher gives exactly what the straightforward reading of the
// schema gives (events grouped by version, a close then an opening at a shared version, limit, last_affected
// inclusive, fixed exclusive), the fix offered included.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { type OsvAffected, type OsvRecord, parseOsvRecord } from '../../src/vuln/db/osv-record.ts';
import { type MatchResult, matchPackages } from '../../src/vuln/match/matcher.ts';
import { evaluateAffected } from '../../src/vuln/match/ranges.ts';
import { schemeForEcosystem, semverScheme } from '../../src/vuln/version/index.ts';
import { seededRandom } from '../seeded-random.ts';

type Event = Partial<Record<'introduced' | 'fixed' | 'last_affected' | 'limit', string>>;

function record(id: string, ranges: Event[][], name = 'pkg'): OsvRecord {
  const parsed = parseOsvRecord({
    id,
    modified: '2026-01-01T00:00:00Z',
    affected: [
      { package: { ecosystem: 'npm', name }, ranges: ranges.map((events) => ({ type: 'SEMVER', events })) },
    ],
  });
  if (!parsed.ok) throw new Error(parsed.reason);
  return parsed.record;
}

function matchOne(records: OsvRecord[], version: string): MatchResult {
  return matchPackages({ findByPackage: () => records }, [{ ecosystem: 'npm', name: 'pkg', version }], 't');
}

test('20,000 events in one range, in shuffled order: the one clear gap is found as the fix', () => {
  // Every fix 1.i.0 is re-opened at once by an introduction at 1.i.0, except at GAP, re-opened only at 1.GAP.5:
  // 1.GAP.0 is the first version no interval covers, near the end so every candidate before it is tried.
  const pairs = 10_000;
  const gap = pairs - 3;
  const events: Event[] = [{ introduced: '0' }];
  for (let i = 1; i <= pairs; i++)
    events.push({ fixed: `1.${i}.0` }, { introduced: i === gap ? `1.${i}.5` : `1.${i}.0` });
  const next = seededRandom(7);
  for (let i = events.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [events[i], events[j]] = [events[j]!, events[i]!];
  }
  assert.equal(events.length, 20_001);
  const advisory = record('OSV-MANY', [events]);
  const below = matchOne([advisory], '0.5.0');
  assert.equal(below.findings.length, 1);
  assert.equal(below.findings[0]?.advisory.fixedVersion, `1.${gap}.0`);
  for (const [version, affected] of [
    [`1.${gap - 1}.9`, true],
    [`1.${gap}.0`, false],
    [`1.${gap}.4`, false],
    [`1.${gap}.5`, true],
    [`1.${pairs}.0`, true],
  ] as const)
    assert.equal(matchOne([advisory], version).findings.length, affected ? 1 : 0, version);
  // Above the gap every fix is re-opened: affected, and no version to upgrade to.
  assert.equal(matchOne([advisory], `1.${gap}.7`).findings[0]?.advisory.fixedVersion, undefined);
});

// The straightforward reading, written apart from the matcher: versions ordered ("0" lowest, limit "*" highest),
// the events at each version taken together, every interval listed, then each interval checked in turn.

const compare = (a: string, b: string): number =>
  a === b ? 0 : a === '0' || b === '*' ? -1 : b === '0' || a === '*' ? 1 : semverScheme.compare(a, b);

const versionOf = (event: Event): string =>
  event.introduced ?? event.fixed ?? event.last_affected ?? event.limit ?? '';

interface Interval {
  from: string;
  /** Undefined: open above. */
  to?: string;
  toIncluded: boolean;
}

function referenceIntervals(events: Event[]): Interval[] {
  const points: string[] = [];
  for (const event of [...events].sort((a, b) => compare(versionOf(a), versionOf(b))))
    if (points.length === 0 || compare(points.at(-1)!, versionOf(event)) !== 0) points.push(versionOf(event));
  const intervals: Interval[] = [];
  let from: string | undefined;
  for (const point of points) {
    const here = events.filter((event) => compare(versionOf(event), point) === 0);
    const opens = here.some((event) => event.introduced !== undefined);
    const lastAffected = here.some((event) => event.last_affected !== undefined);
    const closes = lastAffected || here.some((event) => event.fixed !== undefined);
    if (from !== undefined) {
      if (!closes) continue;
      intervals.push({ from, to: point, toIncluded: lastAffected });
      from = opens ? point : undefined;
    } else if (opens) {
      if (closes) intervals.push({ from: point, to: point, toIncluded: lastAffected });
      else from = point;
    }
  }
  if (from !== undefined) intervals.push({ from, toIncluded: false });
  return intervals;
}

function referenceRange(version: string, events: Event[]): { affected: boolean; fix?: string } {
  const inside = (interval: Interval): boolean =>
    compare(version, interval.from) >= 0 &&
    (interval.to === undefined ||
      (interval.toIncluded ? compare(version, interval.to) <= 0 : compare(version, interval.to) < 0));
  let affected = referenceIntervals(events).some(inside);
  const limits = events.flatMap((event) => (event.limit === undefined ? [] : [event.limit]));
  if (limits.length > 0 && !limits.some((limit) => limit === '*' || compare(version, limit) < 0))
    affected = false;
  if (!affected) return { affected };
  const fixes = events
    .flatMap((event) => (event.fixed !== undefined && compare(event.fixed, version) > 0 ? [event.fixed] : []))
    .sort(compare);
  return fixes[0] === undefined ? { affected } : { affected, fix: fixes[0] };
}

/** An entry's verdict: any range affected; its fix the highest of the affected ranges' first fixes. */
function referenceEntry(version: string, ranges: Event[][]): { affected: boolean; fix?: string } {
  let fix: string | undefined;
  let affected = false;
  for (const events of ranges) {
    const verdict = referenceRange(version, events);
    if (!verdict.affected) continue;
    affected = true;
    if (verdict.fix !== undefined && (fix === undefined || compare(verdict.fix, fix) > 0)) fix = verdict.fix;
  }
  return fix === undefined ? { affected } : { affected, fix };
}

/** The lowest fixed version above `version` that no entry covers. */
function referenceClearFix(version: string, entries: Event[][][]): string | undefined {
  const fixes = entries
    .flat(2)
    .flatMap((event) => (event.fixed !== undefined && compare(event.fixed, version) > 0 ? [event.fixed] : []))
    .sort(compare);
  return fixes.find((fix) => entries.every((ranges) => !referenceEntry(fix, ranges).affected));
}

// Few distinct versions, so events often share one; `1.1.0+build` equals 1.1.0 in SemVer but not as text.
const POOL = ['1.0.0', '1.1.0', '1.1.0+build', '1.2.0', '1.3.0-rc.1', '1.3.0', '1.4.0', '2.0.0'];
const QUERIES = ['0.0.1', ...POOL, '1.0.5', '1.2.9', '1.3.0-alpha', '9.9.9'];

function randomEvents(next: () => number): Event[] {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!;
  const events: Event[] = [];
  const count = 1 + Math.floor(next() * 7);
  for (let i = 0; i < count; i++) {
    const kind = pick(['introduced', 'introduced', 'fixed', 'fixed', 'last_affected', 'limit'] as const);
    const version =
      kind === 'introduced' && next() < 0.2 ? '0' : kind === 'limit' && next() < 0.2 ? '*' : pick(POOL);
    events.push({ [kind]: version });
  }
  return events;
}

test('on 400 random event lists the matcher reads ranges exactly as the plain reference does', () => {
  const entryOf = (ranges: Event[][]): OsvAffected =>
    record('OSV-RANDOM', ranges).affected[0] ?? assert.fail('entry not parsed');
  let affectedSeen = 0;
  let clearSeen = 0;
  for (let seed = 1; seed <= 400; seed++) {
    const next = seededRandom(seed);
    // One or two entries for the package, each with one or two ranges.
    const entries: Event[][][] = Array.from({ length: 1 + Math.floor(next() * 2) }, () =>
      Array.from({ length: 1 + Math.floor(next() * 2) }, () => randomEvents(next)),
    );
    const advisory = parseOsvRecord({
      id: `OSV-SEED-${seed}`,
      modified: '2026-01-01T00:00:00Z',
      affected: entries.map((ranges) => ({
        package: { ecosystem: 'npm', name: 'pkg' },
        ranges: ranges.map((events) => ({ type: 'SEMVER', events })),
      })),
    });
    if (!advisory.ok) throw new Error(advisory.reason);
    const context = (version: string) => `seed ${seed}, version ${version}: ${JSON.stringify(entries)}`;
    for (const version of QUERIES) {
      for (const ranges of entries) {
        const expected = referenceEntry(version, ranges);
        const { doubt, ...verdict } = evaluateAffected(version, entryOf(ranges), semverScheme) as {
          doubt?: string;
        };
        assert.deepEqual(
          verdict,
          expected.fix === undefined
            ? { affected: expected.affected }
            : { affected: true, fixedVersion: expected.fix },
          context(version),
        );
        // A range without an introduction (invalid OSV) leaves a "not affected" in doubt, never silent.
        const lacksIntroduction = ranges.some((events) => !events.some((event) => 'introduced' in event));
        assert.equal(doubt !== undefined, !expected.affected && lacksIntroduction, context(version));
      }
      const hit = entries.some((ranges) => referenceEntry(version, ranges).affected);
      const found: MatchResult['findings'] = matchOne([advisory.record], version).findings;
      assert.equal(found.length, hit ? 1 : 0, context(version));
      if (!hit) continue;
      affectedSeen++;
      const fix = referenceClearFix(version, entries);
      if (fix !== undefined) clearSeen++;
      assert.equal(found[0]?.advisory.fixedVersion, fix, context(version));
    }
  }
  // The random lists exercise both answers, not only "not affected".
  assert.ok(affectedSeen > 500 && clearSeen > 200, `${affectedSeen} affected, ${clearSeen} with a fix`);
});

test('"0" is special only as an introduction, "*" only as a limit: a fixed "0" or an installed "0" is the version 0', () => {
  const affected = (events: Event[]): OsvAffected => ({
    package: { ecosystem: 'x', name: 'pkg' },
    ranges: [{ type: 'ECOSYSTEM', events }],
    versions: [],
    severity: [],
  });
  const verdict = (ecosystem: string, events: Event[], version: string) => {
    const scheme = schemeForEcosystem(ecosystem);
    assert.ok(scheme, ecosystem);
    return evaluateAffected(version, affected(events), scheme).affected;
  };
  // osv-scanner's "zeros with build strings": [0.0.0-2018..., 0.0.0) covers only pre-releases of 0.0.0.
  const goNet = [{ introduced: '0.0.0-20180925071336-cf3bd585ca2a' }, { fixed: '0' }];
  assert.equal(verdict('PyPI', [{ introduced: '0.0a1' }, { fixed: '0' }], '0.1'), false);
  assert.equal(verdict('PyPI', [{ introduced: '0.0a1' }, { fixed: '0' }], '0.0b1'), true);
  // Go reads "0" as v0.0.0: only pseudo-versions of v0.0.0 from 2018-09-25 on are inside.
  assert.equal(verdict('Go', goNet, 'v0.14.0'), false);
  assert.equal(verdict('Go', goNet, 'v0.0.0'), false);
  assert.equal(verdict('Go', goNet, 'v0.0.0-20190101000000-abcdefabcdef'), true);
  // An installed "0" sorts after 0~rc1 (dpkg) and 0.dev1 (PEP 440).
  assert.equal(verdict('Debian', [{ introduced: '0~rc1' }, { fixed: '1.0-1' }], '0'), true);
  assert.equal(verdict('PyPI', [{ introduced: '0.dev1' }, { fixed: '1.0' }], '0'), true);
  // The Go vulnerability database writes SEMVER ranges: "0" there is 0.0.0, as osv-scanner reads it.
  const semver = (events: Event[], version: string) =>
    evaluateAffected(version, { ...affected(events), ranges: [{ type: 'SEMVER', events }] }, semverScheme)
      .affected;
  assert.equal(
    semver([{ introduced: '0.0.0-20180925071336-cf3bd585ca2a' }, { fixed: '0' }], '0.14.0'),
    false,
  );
  assert.equal(
    semver(
      [{ introduced: '0.0.0-20180925071336-cf3bd585ca2a' }, { fixed: '0' }],
      '0.0.0-20190101000000-abcdefabcdef',
    ),
    true,
  );
  // The special values keep their meaning.
  assert.equal(verdict('PyPI', [{ introduced: '0' }, { fixed: '1.0' }], '0'), true);
  assert.equal(verdict('PyPI', [{ introduced: '0' }, { limit: '*' }], '99'), true);
});
