// Real OSV data from ../shared/corpus/osv/: it imports, re-imports incrementally, and every published range
// boundary of the Go and AlmaLinux records matches exactly (introduced is affected, fixed is not).
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { AdvisoryDatabase } from '../../src/vuln/db/database.ts';
import { importOsv } from '../../src/vuln/db/import.ts';
import { type OsvRecord, parseOsvRecord } from '../../src/vuln/db/osv-record.ts';
import { matchPackages } from '../../src/vuln/match/matcher.ts';
import { sharedPath, skipWithoutShared } from '../shared-corpus.ts';

const skip = skipWithoutShared('corpus', 'osv');
const NOW = new Date('2026-11-22T11:00:00Z');
let directory = '';
let db: AdvisoryDatabase;

before(async () => {
  if (skip) return;
  directory = mkdtempSync(join(tmpdir(), 'palisade-osv-corpus-'));
  db = AdvisoryDatabase.open(join(directory, 'vuln.db'), { create: true });
});
after(() => {
  if (skip) return;
  db.close();
  rmSync(directory, { recursive: true, force: true });
});

function records(...parts: string[]): OsvRecord[] {
  const dir = sharedPath('corpus', 'osv', ...parts);
  return readdirSync(dir)
    .filter((name) => name.endsWith('.json'))
    .map((name) => parseOsvRecord(JSON.parse(readFileSync(join(dir, name), 'utf8'))))
    .flatMap((result) => (result.ok ? [result.record] : []));
}

test('imports the Go vulndb and AlmaLinux 9 exports, then re-imports them as unchanged', {
  skip,
}, async () => {
  const go = await importOsv(db, sharedPath('corpus', 'osv', 'golang-vulndb'), { source: 'go', now: NOW });
  assert.equal(go.invalid, 0, JSON.stringify(go.issues.slice(0, 3)));
  assert.equal(go.read, 4291);
  assert.equal(go.inserted, 4291);
  const alma = await importOsv(db, sharedPath('corpus', 'osv', 'almalinux-osv'), {
    source: 'alma',
    now: NOW,
  });
  assert.equal(alma.read, 1783);
  assert.equal(alma.inserted, 1783);
  const again = await importOsv(db, sharedPath('corpus', 'osv', 'golang-vulndb'), { source: 'go', now: NOW });
  assert.deepEqual([again.inserted, again.updated, again.unchanged], [0, 0, 4291]);
  const status = db.status();
  assert.equal(status.advisories + status.withdrawn, 4291 + 1783);
  assert.ok(status.ecosystems.some((entry) => entry.ecosystem === 'AlmaLinux:9'));
});

/** For each single-package entry, each range: `introduced` (when not 0) is affected and each `fixed` is not. */
function boundaryMismatches(all: OsvRecord[], ecosystemOf: (eco: string) => string): string[] {
  const wrong: string[] = [];
  let checked = 0;
  for (const record of all) {
    if (record.withdrawn) continue;
    for (const affected of record.affected) {
      if (!affected.package) continue;
      const { ecosystem, name } = affected.package;
      // Another entry of the same record for the same package could cover a boundary of this one.
      if (
        record.affected.filter(
          (other) => other.package?.name === name && other.package.ecosystem === ecosystem,
        ).length > 1
      )
        continue;
      for (const range of affected.ranges) {
        if (range.type !== 'SEMVER' && range.type !== 'ECOSYSTEM') continue;
        const introduced = range.events.flatMap((e) =>
          e.introduced && e.introduced !== '0' ? [e.introduced] : [],
        );
        const fixed = range.events.flatMap((e) => (e.fixed ? [e.fixed] : []));
        // Only this record is looked up, so the check is about its own ranges (the full database is matched elsewhere).
        const lookup = { findByPackage: () => [record] };
        const hit = (version: string): boolean =>
          matchPackages(
            lookup,
            [{ ecosystem: ecosystemOf(ecosystem), name, version }],
            'corpus',
          ).findings.some(
            (finding) => finding.ruleId === record.id || finding.advisory.aliases.includes(record.id),
          );
        for (const version of introduced) {
          checked++;
          if (!hit(version)) wrong.push(`${record.id} ${name} ${version} (introduced) not matched`);
        }
        for (const version of fixed) {
          checked++;
          // A later range of the same entry may start again exactly at this fix; then it is affected by design.
          if (introduced.includes(version)) continue;
          if (hit(version)) wrong.push(`${record.id} ${name} ${version} (fixed) matched`);
        }
      }
    }
  }
  assert.ok(checked > 1000, `only ${checked} boundaries checked`);
  return wrong;
}

test('Go vulndb: every introduced version matches and every fixed version does not', { skip }, () => {
  const wrong = boundaryMismatches(records('golang-vulndb', 'data', 'osv'), (eco) => eco);
  assert.deepEqual(wrong.slice(0, 20), []);
});

test('AlmaLinux 9: every introduced version matches and every fixed version does not', { skip }, () => {
  const all = readdirSync(sharedPath('corpus', 'osv', 'almalinux-osv', 'advisories', 'almalinux9'));
  assert.ok(all.length > 1000);
  const wrong = boundaryMismatches(records('almalinux-osv', 'advisories', 'almalinux9'), (eco) => eco);
  assert.deepEqual(wrong.slice(0, 20), []);
});

test('osv.dev and schema test records: valid ones import, withdrawn ones never match, broken ones are issues', {
  skip,
}, async () => {
  const dev = await importOsv(db, sharedPath('corpus', 'osv', 'osv-dev-testdata'), {
    source: 'dev',
    now: NOW,
  });
  const schema = await importOsv(db, sharedPath('corpus', 'osv', 'osv-schema-testdata'), {
    source: 'schema',
    now: NOW,
  });
  assert.ok(dev.read > 30, `read ${dev.read}`);
  assert.ok(schema.read > 10, `read ${schema.read}`);
  for (const issue of [...dev.issues, ...schema.issues]) assert.ok(issue.file !== '' && issue.message !== '');
  const withdrawn = readFileSync(
    sharedPath('corpus', 'osv', 'osv-schema-testdata', 'tools', 'ghsa', 'testdata', 'withdrawn.osv.json'),
    'utf8',
  );
  const record = parseOsvRecord(JSON.parse(withdrawn));
  assert.ok(record.ok && record.record.withdrawn);
  if (record.ok) {
    for (const affected of record.record.affected) {
      if (!affected.package) continue;
      const events = affected.ranges.flatMap((range) => range.events);
      const version =
        events.find((e) => e.introduced && e.introduced !== '0')?.introduced ??
        events.find((e) => e.last_affected)?.last_affected;
      if (!version) continue;
      const result = matchPackages(
        db,
        [{ ecosystem: affected.package.ecosystem, name: affected.package.name, version }],
        'x',
      );
      assert.ok(
        !result.findings.some(
          (f) => f.ruleId === record.record.id || f.advisory.aliases.includes(record.record.id),
        ),
      );
    }
  }
});
