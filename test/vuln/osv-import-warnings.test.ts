// What an import says about data it keeps but cannot fully use: malformed range events (named by record id and
// position, read so the package never looks safer than the record says) and ecosystems without a comparator
// (one warning per ecosystem with a count). Warnings do not make the import fail.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { writeZip } from '../../src/image/zip-writer.ts';
import { AdvisoryDatabase } from '../../src/vuln/db/database.ts';
import { importOsv } from '../../src/vuln/db/import.ts';
import { type OsvRecord, parseOsvRecord } from '../../src/vuln/db/osv-record.ts';
import { matchPackages } from '../../src/vuln/match/matcher.ts';
import { runPalisade } from '../cli/cli-harness.ts';

const directory = mkdtempSync(join(tmpdir(), 'palisade-import-warnings-'));
after(() => rmSync(directory, { recursive: true, force: true }));
const NOW = new Date('2026-11-22T12:00:00Z');

function osv(id: string, affected: unknown[]): Record<string, unknown> {
  return { id, modified: '2026-01-01T00:00:00Z', affected };
}

const npm = (name: string, events: unknown[], ecosystem = 'npm') => ({
  package: { ecosystem, name },
  ranges: [{ type: 'SEMVER', events }],
});

function parse(value: Record<string, unknown>): { record: OsvRecord; warnings: string[] } {
  const parsed = parseOsvRecord(value);
  if (!parsed.ok) throw new Error(parsed.reason);
  return { record: parsed.record, warnings: parsed.warnings };
}

function scan(record: OsvRecord, name: string, version: string) {
  const { findings, notices } = matchPackages(
    { findByPackage: () => [record] },
    [{ ecosystem: 'npm', name, version }],
    't',
  );
  return { count: findings.length, fix: findings[0]?.advisory.fixedVersion, notices };
}

test('every kind of malformed event is a warning naming the record and its position', () => {
  const { warnings } = parse(
    osv('GHSA-bad-events', [
      npm('ok', [{ introduced: '0' }, { fixed: '1.0.0' }]),
      {
        package: { ecosystem: 'npm', name: 'bad' },
        ranges: [
          { type: 'SEMVER', events: [{ introduced: '0' }, { fixed: '1.0.0' }] },
          {
            type: 'SEMVER',
            events: [
              { introduced: '0' },
              {},
              { introduce: '1.0.0' },
              { introduced: '2.0.0', fixed: '3.0.0' },
              { fixed: 3 },
              'fixed 4.0.0',
              { limit: 'x'.repeat(300) },
              // An unknown key beside one known key is valid OSV (the schema allows other properties).
              { fixed: '5.0.0', note: 'backport' },
            ],
          },
        ],
      },
    ]),
  );
  assert.deepEqual(warnings, [
    'GHSA-bad-events: affected[1].ranges[1].events[1] has none of introduced, fixed, last_affected, limit',
    'GHSA-bad-events: affected[1].ranges[1].events[2] has none of introduced, fixed, last_affected, limit (has introduce)',
    'GHSA-bad-events: affected[1].ranges[1].events[3] has introduced and fixed (an event holds one)',
    'GHSA-bad-events: affected[1].ranges[1].events[4] fixed is not a string',
    'GHSA-bad-events: affected[1].ranges[1].events[5] is not an object',
    'GHSA-bad-events: affected[1].ranges[1].events[6] limit is longer than 256 characters',
  ]);
  assert.deepEqual(
    parse(osv('GHSA-clean', [npm('ok', [{ introduced: '0' }, { fixed: '1.0.0' }])])).warnings,
    [],
  );
});

test('an introduction in a malformed event is kept: the package is not made to look safer', () => {
  // Before, the two-key event was dropped whole and 2.5.0 looked safe.
  const { record } = parse(
    osv('GHSA-two-keys', [
      npm('two', [{ introduced: '0' }, { fixed: '1.0.0' }, { introduced: '2.0.0', fixed: '3.0.0' }]),
    ]),
  );
  assert.equal(scan(record, 'two', '0.5.0').count, 1);
  assert.equal(scan(record, 'two', '1.5.0').count, 0);
  // The fix beside it is not trusted: from 2.0.0 on, nothing in the record says where it ends.
  assert.deepEqual([scan(record, 'two', '2.5.0').count, scan(record, 'two', '3.5.0').count], [1, 1]);
});

test('a fix, last_affected or limit that cannot be read ends nothing: the range reaches further, never less', () => {
  const { record } = parse(
    osv('GHSA-closes', [
      npm('fix', [{ introduced: '1.0.0' }, { fixed: 2 }]),
      npm('limits', [{ introduced: '1.0.0' }, { limit: '2.0.0' }, { limit: ['5.0.0'] }]),
    ]),
  );
  assert.deepEqual(
    ['0.5.0', '1.0.0', '9.0.0'].map((version) => scan(record, 'fix', version).count),
    [0, 1, 1],
  );
  // The unreadable limit may have been the higher one: no limit is applied rather than the lower one alone.
  assert.equal(scan(record, 'limits', '3.0.0').count, 1);
});

test('an event that may have been an introduction is never silently read as "not affected"', () => {
  const { record } = parse(
    osv('GHSA-lost', [npm('lost', [{ introduced: '0' }, { fixed: '1.0.0' }, { introduce: '2.0.0' }])]),
  );
  // Inside the readable part: affected, with the readable fix offered.
  const below = scan(record, 'lost', '0.5.0');
  assert.deepEqual([below.count, below.fix], [1, '1.0.0']);
  // Outside it, the scan says the advisory could not be read for this version instead of staying silent.
  const above = scan(record, 'lost', '2.5.0');
  assert.equal(above.count, 0);
  assert.equal(above.notices.length, 1);
  assert.match(
    above.notices[0] ?? '',
    /^GHSA-lost for lost 2\.5\.0: .*affected\[0\]\.ranges\[0\]\.events\[2\]/,
  );
  // The doubt survives the database (records are stored as parsed).
  const stored = JSON.parse(JSON.stringify(record)) as OsvRecord;
  assert.equal(scan(stored, 'lost', '2.5.0').notices.length, 1);
});

test('a range without an introduction is a warning, and a scan notice rather than a silent "not affected"', () => {
  const { record, warnings } = parse(
    osv('GHSA-no-intro', [
      npm('pkg', [{ fixed: '1.0.0' }]),
      { package: { ecosystem: 'npm', name: 'empty' }, ranges: [{ type: 'SEMVER', events: [] }] },
    ]),
  );
  assert.deepEqual(warnings, [
    'GHSA-no-intro: affected[0].ranges[0] has no introduced event (the OSV schema requires one)',
    'GHSA-no-intro: affected[1].ranges[0] has no introduced event (the OSV schema requires one)',
  ]);
  for (const [name, version] of [
    ['pkg', '0.5.0'],
    ['pkg', '2.0.0'],
    ['empty', '1.0.0'],
  ] as const) {
    const result = scan(record, name, version);
    assert.equal(result.count, 0, `${name} ${version}`);
    assert.match(result.notices[0] ?? '', /affected\[\d\]\.ranges\[0\]: an introduction may be missing/);
  }
  // A valid range beside it decides alone: no warning, no notice.
  const valid = parse(osv('GHSA-ok', [npm('pkg', [{ introduced: '0' }, { fixed: '1.0.0' }])]));
  assert.deepEqual(valid.warnings, []);
  assert.deepEqual(scan(valid.record, 'pkg', '2.0.0').notices, []);
});

test('import lists malformed events and unknown ecosystems as warnings, once per ecosystem with a count', async () => {
  const records = [
    osv('GHSA-bad-1', [npm('a', [{ introduced: '0' }, { fixd: '1.0.0' }])]),
    osv('HSEC-1', [npm('aeson', [{ introduced: '0' }], 'Hackage')]),
    osv('HSEC-2', [
      npm('text', [{ introduced: '0' }], 'Hackage'),
      npm('bytes', [{ introduced: '0' }], 'Hackage'),
    ]),
    osv('HSEC-3', [npm('base', [{ introduced: '0' }], 'Hackage')]),
    osv('CRAN-1', [npm('x', [{ introduced: '0' }], 'CRAN')]),
    // Suffixed ecosystems the matcher knows are no warning.
    osv('DSA-1', [npm('zlib', [{ introduced: '0' }], 'Debian:12')]),
    osv('ALPINE-1', [npm('musl', [{ introduced: '0' }], 'Alpine:v3.18')]),
    osv('USN-1', [npm('bash', [{ introduced: '0' }], 'Ubuntu:22.04:LTS')]),
    osv('RHSA-1', [npm('curl', [{ introduced: '0' }], 'Red Hat:enterprise_linux:9::appstream')]),
  ];
  const zipPath = join(directory, 'all.zip');
  writeFileSync(
    zipPath,
    writeZip(records.map((value) => ({ name: `${value.id}.json`, data: JSON.stringify(value) }))),
  );
  const db = AdvisoryDatabase.open(join(directory, 'warn.db'), { create: true });
  const stats = await importOsv(db, zipPath, { source: 'zip', now: NOW });
  db.close();
  assert.equal(stats.read, records.length);
  assert.equal(stats.inserted, records.length);
  assert.equal(stats.invalid, 0, 'a warning is no invalid record');
  assert.equal(stats.warnings, 3);
  assert.deepEqual(
    stats.issues.map(({ file, severity, message }) => [file.replace(directory, ''), severity, message]),
    [
      [
        '/all.zip',
        'warning',
        'ecosystem "CRAN": 1 record imported that never matches a package (Palisade has no version comparator for it)',
      ],
      [
        '/all.zip',
        'warning',
        'ecosystem "Hackage": 3 records imported that never match a package (Palisade has no version comparator for it)',
      ],
      [
        '/all.zip!GHSA-bad-1.json',
        'warning',
        'GHSA-bad-1: affected[0].ranges[0].events[1] has none of introduced, fixed, last_affected, limit (has fixd)',
      ],
    ],
  );
});

test('db import prints the warnings and still exits 0', async () => {
  const file = join(directory, 'one.json');
  writeFileSync(file, JSON.stringify(osv('HSEC-9', [npm('aeson', [{ introduced: '0' }], 'Hackage')])));
  const run = await runPalisade(['db', 'import', file, '--db', join(directory, 'cli.db')]);
  assert.equal(run.code, 0, run.stderr);
  assert.match(
    run.stderr,
    /^ {2}warning: .*one\.json: ecosystem "Hackage": 1 record imported that never matches a package/m,
  );
  assert.match(run.stdout, /1 records read: 1 new, 0 updated, 0 unchanged, 1 warning\n/);
  assert.doesNotMatch(run.stderr, /more invalid/, 'warnings are not invalid records');
});
