// SUSE, openSUSE and Mageia advisories name the source RPM (OSV's ecosystem definitions), so every binary RPM built
// from it is matched, on its own version-release; Red Hat family advisories name binary RPMs and stay so.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { type OsvRecord, parseOsvRecord } from '../../src/vuln/db/osv-record.ts';
import { type AdvisoryLookup, matchPackages } from '../../src/vuln/match/matcher.ts';
import type { MatchPackage } from '../../src/vuln/match/package.ts';
import { baseEcosystem } from '../../src/vuln/version/index.ts';

function record(id: string, ecosystem: string, name: string, fixed: string): OsvRecord {
  const parsed = parseOsvRecord({
    id,
    modified: '2024-01-10T00:00:00Z',
    affected: [
      {
        package: { ecosystem, name },
        ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed }] }],
      },
    ],
  });
  assert.ok(parsed.ok);
  return parsed.record;
}

const RECORDS = [
  record(
    'SUSE-SU-2024:0001-1',
    'SUSE:Linux Enterprise Module for Basesystem 15 SP5',
    'openssl-3',
    '3.0.8-150500.5.20.1',
  ),
  record('openSUSE-SU-2024:0003-1', 'openSUSE:Leap 15.5', 'curl', '8.0.1-150400.5.30.1'),
  record('MGASA-2024-0001', 'Mageia:9', 'openssl', '1:3.0.13-2.mga9'),
  // AlmaLinux's data names binary RPMs (kernel-devel, python3-perf), as Red Hat's does.
  record('ALSA-2024:0001', 'AlmaLinux:9', 'openssl-libs', '1:3.0.7-27.el9'),
];

/** Records by the name they are filed under, as the database looks them up. */
const lookup: AdvisoryLookup = {
  findByPackage: (base, name) =>
    RECORDS.filter((r) =>
      r.affected.some(
        (a) => a.package && baseEcosystem(a.package.ecosystem) === base && a.package.name === name,
      ),
    ),
};

function found(pkg: MatchPackage): string[] {
  return matchPackages(lookup, [pkg], 'test').findings.map(
    (f) => `${f.ruleId} ${f.advisory.fixedVersion ?? '-'}`,
  );
}

test('SUSE: a binary RPM is matched on its source RPM, at its own version-release', () => {
  const suse = 'SUSE:Linux Enterprise Server 15 SP5';
  const libopenssl3 = { ecosystem: suse, name: 'libopenssl3', version: '3.0.8-150500.5.8.1' };
  assert.deepEqual(found({ ...libopenssl3, sourceName: 'openssl-3', sourceVersion: '3.0.8-150500.5.8.1' }), [
    'SUSE-SU-2024:0001-1 3.0.8-150500.5.20.1',
  ]);
  assert.deepEqual(found({ ...libopenssl3, version: '3.0.8-150500.5.20.1', sourceName: 'openssl-3' }), []);
  // The source RPM itself (installed as a binary of the same name), and a binary whose source is unknown: its name.
  assert.deepEqual(found({ ecosystem: suse, name: 'openssl-3', version: '3.0.8-150500.5.8.1' }), [
    'SUSE-SU-2024:0001-1 3.0.8-150500.5.20.1',
  ]);
  assert.deepEqual(found(libopenssl3), []);
});

test('openSUSE: libcurl4 is matched on curl', () => {
  assert.deepEqual(
    found({
      ecosystem: 'openSUSE:Leap 15.5',
      name: 'libcurl4',
      version: '8.0.1-150400.5.23.1',
      sourceName: 'curl',
    }),
    ['openSUSE-SU-2024:0003-1 8.0.1-150400.5.30.1'],
  );
});

test("Mageia: matched on the source RPM with the binary's epoch, which the source RPM's file name lacks", () => {
  const lib = { ecosystem: 'Mageia:9', name: 'lib64openssl3', sourceName: 'openssl' };
  assert.deepEqual(found({ ...lib, version: '1:3.0.13-1.mga9', sourceVersion: '3.0.13-1.mga9' }), [
    'MGASA-2024-0001 1:3.0.13-2.mga9',
  ]);
  // Fixed: epoch 1 and release 3. Its source version without the epoch would sort below the fix.
  assert.deepEqual(found({ ...lib, version: '1:3.0.13-3.mga9', sourceVersion: '3.0.13-3.mga9' }), []);
});

test('AlmaLinux stays binary-keyed: openssl-libs is matched on its own name, not on openssl', () => {
  assert.deepEqual(
    found({
      ecosystem: 'AlmaLinux:9',
      name: 'openssl-libs',
      version: '1:3.0.7-25.el9',
      sourceName: 'openssl',
    }),
    ['ALSA-2024:0001 1:3.0.7-27.el9'],
  );
});
