// OSV matching semantics on records built here, one rule of the schema per test: ties between events, packages
// split over several `affected` entries, versions only the `versions` list can match, optional ecosystem suffixes,
// and SEMVER ranges over Go's own version spellings.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { VulnerabilityFinding } from '../../src/core/finding.ts';
import { type OsvRecord, parseOsvRecord } from '../../src/vuln/db/osv-record.ts';
import { type AdvisoryLookup, matchPackages } from '../../src/vuln/match/matcher.ts';
import type { MatchPackage } from '../../src/vuln/match/package.ts';

function record(id: string, affected: unknown[]): OsvRecord {
  const parsed = parseOsvRecord({ id, modified: '2026-01-01T00:00:00Z', affected });
  if (!parsed.ok) throw new Error(parsed.reason);
  return parsed.record;
}

function lookup(records: OsvRecord[]): AdvisoryLookup {
  return { findByPackage: () => records };
}

function findings(
  records: OsvRecord[],
  pkg: MatchPackage,
): { found: VulnerabilityFinding[]; notices: string[] } {
  const { findings: found, notices } = matchPackages(lookup(records), [pkg], 'test');
  return { found, notices };
}

const semver = (name: string, events: unknown[], ecosystem = 'npm') => ({
  package: { ecosystem, name },
  ranges: [{ type: 'SEMVER', events }],
});

test('an introduction and a fix at the same version leave that version affected, in any event order', () => {
  const events = [{ introduced: '2.0.0' }, { fixed: '2.1.0' }, { introduced: '1.0.0' }, { fixed: '2.0.0' }];
  const advisory = record('OSV-TIE', [semver('left-pad', events)]);
  const { found } = findings([advisory], { ecosystem: 'npm', name: 'left-pad', version: '2.0.0' });
  assert.equal(found.length, 1);
  assert.equal(found[0]?.advisory.fixedVersion, '2.1.0');
});

test('an introduction with last_affected or fixed at that same version covers that version alone, or none', () => {
  const only = record('OSV-ONE', [semver('single', [{ introduced: '1.0.0' }, { last_affected: '1.0.0' }])]);
  const at = (version: string, advisory = only, name = 'single') =>
    findings([advisory], { ecosystem: 'npm', name, version }).found.length;
  assert.equal(at('1.0.0'), 1);
  assert.equal(at('9.0.0'), 0);
  assert.equal(at('0.9.0'), 0);
  const none = record('OSV-NONE', [semver('eq', [{ introduced: '1.0.0' }, { fixed: '1.0.0' }])]);
  for (const version of ['1.0.0', '5.0.0']) assert.equal(at(version, none, 'eq'), 0, version);
  const reopened = record('OSV-RE', [
    semver('re', [
      { introduced: '0' },
      { fixed: '1.0.0' },
      { introduced: '2.0.0' },
      { last_affected: '2.0.0' },
    ]),
  ]);
  assert.deepEqual(
    ['0.5.0', '1.5.0', '2.0.0', '2.1.0'].map((version) => at(version, reopened, 're')),
    [1, 0, 1, 0],
  );
});

test('NuGet and Packagist names match whatever their case; npm names do not', () => {
  const advisory = record('OSV-CASE', [
    semver('Newtonsoft.Json', [{ introduced: '0' }, { fixed: '13.0.1' }], 'NuGet'),
    semver('Vendor/Pkg', [{ introduced: '0' }, { fixed: '1.0.0' }], 'Packagist'),
    semver('Left-Pad', [{ introduced: '0' }, { fixed: '1.0.0' }]),
  ]);
  const count = (ecosystem: string, name: string, version: string) =>
    findings([advisory], { ecosystem, name, version }).found.length;
  assert.equal(count('NuGet', 'newtonsoft.json', '12.0.3'), 1);
  assert.equal(count('Packagist', 'vendor/pkg', '0.9.0'), 1);
  assert.equal(count('npm', 'left-pad', '0.9.0'), 0);
});

test('a limit of "*" is no limit', () => {
  const advisory = record('OSV-LIMIT', [semver('lms', [{ introduced: '1.0.0' }, { limit: '*' }])]);
  const { found, notices } = findings([advisory], { ecosystem: 'npm', name: 'lms', version: '3.0.0' });
  assert.equal(found.length, 1);
  assert.deepEqual(notices, []);
});

test('a package split over several entries gets the first version no entry covers as its fix', () => {
  const advisory = record('GO-SPLIT', [
    semver('stdlib', [{ introduced: '0' }, { fixed: '1.20.11' }], 'Go'),
    semver('stdlib', [{ introduced: '1.20.11' }, { fixed: '1.20.12' }], 'Go'),
  ]);
  const below = findings([advisory], { ecosystem: 'Go', name: 'stdlib', version: 'v1.20.5' }).found;
  assert.equal(below.length, 1);
  assert.equal(below[0]?.advisory.fixedVersion, '1.20.12');
  assert.equal(
    findings([advisory], { ecosystem: 'Go', name: 'stdlib', version: 'v1.20.12' }).found.length,
    0,
  );
});

test("SEMVER ranges read Go's own spellings of a version (v1.20, go1.20.5)", () => {
  const advisory = record('GO-STDLIB', [
    semver(
      'stdlib',
      [{ introduced: '0' }, { fixed: '1.19.11' }, { introduced: '1.20.0' }, { fixed: '1.20.6' }],
      'Go',
    ),
  ]);
  for (const version of ['v1.20', 'go1.20.5']) {
    const { found, notices } = findings([advisory], { ecosystem: 'Go', name: 'stdlib', version });
    assert.equal(found.length, 1, version);
    assert.equal(found[0]?.advisory.fixedVersion, '1.20.6');
    assert.deepEqual(notices, []);
  }
  assert.equal(
    findings([advisory], { ecosystem: 'Go', name: 'stdlib', version: 'go1.20.6' }).found.length,
    0,
  );
});

test('a version the scheme cannot read still matches a versions list that names it exactly', () => {
  const advisory = record('PYSEC-LEGACY', [
    { package: { ecosystem: 'PyPI', name: 'legacy' }, versions: ['0.1dev-r1234'] },
  ]);
  const { found, notices } = findings([advisory], {
    ecosystem: 'PyPI',
    name: 'legacy',
    version: '0.1dev-r1234',
  });
  assert.equal(found.length, 1);
  assert.match(notices.join('\n'), /only advisories listing it exactly are matched/);
  assert.equal(
    findings([advisory], { ecosystem: 'PyPI', name: 'legacy', version: '0.1dev-r9' }).found.length,
    0,
  );
});

test('an advisory without a release suffix covers every release; Maven Central named in full is plain Maven', () => {
  const zlibAdvisory = (ecosystem: string) =>
    record(`DSA-${ecosystem}`, [
      {
        package: { ecosystem, name: 'zlib' },
        ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: '1:1.3.1-1' }] }],
      },
    ]);
  const zlib1g = { ecosystem: 'Debian:12', name: 'zlib1g', sourceName: 'zlib', version: '1:1.2.13.dfsg-1' };
  assert.equal(findings([zlibAdvisory('Debian')], zlib1g).found.length, 1);
  assert.equal(findings([zlibAdvisory('Debian:11')], zlib1g).found.length, 0);
  const mavenAdvisory = (repository: string) =>
    record('GHSA-MAVEN', [
      {
        package: { ecosystem: `Maven:${repository}`, name: 'org.example:lib' },
        ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: '2.0' }] }],
      },
    ]);
  const lib = { ecosystem: 'Maven', name: 'org.example:lib', version: '1.5' };
  for (const central of ['https://repo.maven.apache.org/maven2/', 'https://repo1.maven.org/maven2'])
    assert.equal(findings([mavenAdvisory(central)], lib).found.length, 1, central);
  assert.equal(findings([mavenAdvisory('https://maven.example.com/releases')], lib).found.length, 0);
});

test('an advisory with only a CVSS v2 vector is rated from it in NVD v2 bands; a v3 vector beside it wins', () => {
  const withSeverity = (id: string, severity: unknown[]) => {
    const parsed = parseOsvRecord({
      id,
      modified: '2026-01-01T00:00:00Z',
      severity,
      affected: [semver('old-lib', [{ introduced: '0' }, { fixed: '2.0.0' }])],
    });
    if (!parsed.ok) throw new Error(parsed.reason);
    return parsed.record;
  };
  const pkg = { ecosystem: 'npm', name: 'old-lib', version: '1.0.0' };
  const v2Only = findings(
    [withSeverity('CVE-2010-0001', [{ type: 'CVSS_V2', score: 'AV:N/AC:M/Au:N/C:C/I:C/A:C' }])],
    pkg,
  );
  assert.equal(v2Only.found[0]?.severity, 'high');
  assert.deepEqual(v2Only.found[0]?.advisory.cvss, {
    version: '2.0',
    vector: 'AV:N/AC:M/Au:N/C:C/I:C/A:C',
    score: 9.3,
  });
  const both = findings(
    [
      withSeverity('CVE-2010-0002', [
        { type: 'CVSS_V2', score: 'AV:N/AC:L/Au:N/C:C/I:C/A:C' },
        { type: 'CVSS_V3', score: 'CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:H/I:N/A:N' },
      ]),
    ],
    pkg,
  );
  assert.equal(both.found[0]?.severity, 'medium');
  assert.equal(both.found[0]?.advisory.cvss?.version, '3.1');
});
