// Exact matches and exact non-matches at range boundaries, per ecosystem, on the fixture advisories.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { VulnerabilityFinding } from '../../src/core/finding.ts';
import type { AdvisoryDatabase } from '../../src/vuln/db/database.ts';
import { matchPackages } from '../../src/vuln/match/matcher.ts';
import type { MatchPackage } from '../../src/vuln/match/package.ts';
import { fixtureDatabase } from './fixture-db.ts';

let db: AdvisoryDatabase;
let cleanup: () => void;
before(async () => {
  ({ db, cleanup } = await fixtureDatabase());
});
after(() => cleanup());

function match(pkg: MatchPackage): VulnerabilityFinding[] {
  return matchPackages(db, [pkg], 'test').findings;
}

/** [package, expected advisory id or undefined for no finding, expected fixed version] */
const CASES: Array<[string, MatchPackage, string | undefined, string | undefined]> = [
  ['npm below fix', { ecosystem: 'npm', name: 'lodash', version: '4.17.20' }, 'CVE-2099-0001', '4.17.21'],
  [
    'npm pre-release of the fix is still affected',
    { ecosystem: 'npm', name: 'lodash', version: '4.17.21-rc.1' },
    'CVE-2099-0001',
    '4.17.21',
  ],
  ['npm exactly the fix', { ecosystem: 'npm', name: 'lodash', version: '4.17.21' }, undefined, undefined],
  ['npm above the fix', { ecosystem: 'npm', name: 'lodash', version: '4.17.22' }, undefined, undefined],
  ['npm other package', { ecosystem: 'npm', name: 'lodash-es', version: '4.17.20' }, undefined, undefined],
  [
    'PyPI just before introduced',
    { ecosystem: 'PyPI', name: 'requests', version: '1.9.9' },
    undefined,
    undefined,
  ],
  [
    'PyPI exactly introduced',
    { ecosystem: 'PyPI', name: 'requests', version: '2.0.0' },
    'CVE-2099-0002',
    '2.32.0',
  ],
  [
    'PyPI exactly last_affected (merged with the fixed GHSA)',
    { ecosystem: 'PyPI', name: 'Requests', version: '2.31.0' },
    'CVE-2099-0002',
    '2.32.0',
  ],
  [
    'PyPI post-release of last_affected is still below the GHSA fix',
    { ecosystem: 'PyPI', name: 'requests', version: '2.31.0.post1' },
    'CVE-2099-0002',
    '2.32.0',
  ],
  ['PyPI the fix', { ecosystem: 'PyPI', name: 'requests', version: '2.32.0' }, undefined, undefined],
  [
    'Debian 12 below fix (~ sorts first)',
    { ecosystem: 'Debian:12', name: 'libssl3', sourceName: 'openssl', version: '3.0.11-1~deb12u1' },
    'CVE-2099-0003',
    '3.0.11-1~deb12u2',
  ],
  [
    'Debian 12 exactly fixed',
    { ecosystem: 'Debian:12', name: 'libssl3', sourceName: 'openssl', version: '3.0.11-1~deb12u2' },
    undefined,
    undefined,
  ],
  [
    'Debian 12 binNMU of the fix',
    { ecosystem: 'Debian:12', name: 'libssl3', sourceName: 'openssl', version: '3.0.11-1~deb12u2+b1' },
    undefined,
    undefined,
  ],
  [
    'Debian 11 uses the Debian 11 range',
    { ecosystem: 'Debian:11', name: 'openssl', version: '1.1.1w-0+deb11u1' },
    undefined,
    undefined,
  ],
  [
    'Debian 11 below its fix',
    { ecosystem: 'Debian:11', name: 'openssl', version: '1.1.1n-0+deb11u5' },
    'CVE-2099-0003',
    '1.1.1w-0+deb11u1',
  ],
  [
    'Debian 13 has no advisory',
    { ecosystem: 'Debian:13', name: 'openssl', version: '3.0.0-1' },
    undefined,
    undefined,
  ],
  [
    'Debian binary name alone is not the source',
    { ecosystem: 'Debian:12', name: 'libssl3', version: '3.0.0-1' },
    undefined,
    undefined,
  ],
  [
    'Alpine below fix',
    { ecosystem: 'Alpine:v3.20', name: 'ssl_client', sourceName: 'busybox', version: '1.36.1-r28' },
    'CVE-2099-0004',
    '1.36.1-r29',
  ],
  ['Alpine fix', { ecosystem: 'Alpine:v3.20', name: 'busybox', version: '1.36.1-r29' }, undefined, undefined],
  [
    'Alpine other release',
    { ecosystem: 'Alpine:v3.19', name: 'busybox', version: '1.36.1-r1' },
    undefined,
    undefined,
  ],
  [
    'Go pseudo-version before the fix',
    { ecosystem: 'Go', name: 'golang.org/x/net', version: 'v0.16.1-0.20231010000000-abcdefabcdef' },
    'CVE-2099-0005',
    '0.17.0',
  ],
  [
    'Go fix with v prefix',
    { ecosystem: 'Go', name: 'golang.org/x/net', version: 'v0.17.0' },
    undefined,
    undefined,
  ],
  [
    'withdrawn advisory never matches',
    { ecosystem: 'npm', name: 'left-pad', version: '1.0.0' },
    undefined,
    undefined,
  ],
  [
    'AlmaLinux epoch below fix',
    { ecosystem: 'AlmaLinux:9', name: 'openssl-libs', version: '1:3.0.7-24.el9' },
    'ALSA-2099:0007',
    '1:3.0.7-25.el9_3',
  ],
  [
    'AlmaLinux fix',
    { ecosystem: 'AlmaLinux:9', name: 'openssl-libs', version: '1:3.0.7-25.el9_3' },
    undefined,
    undefined,
  ],
  [
    'AlmaLinux 8 is another release',
    { ecosystem: 'AlmaLinux:8', name: 'openssl-libs', version: '1:1.1.1k-1.el8' },
    undefined,
    undefined,
  ],
  [
    'explicit versions list: listed',
    { ecosystem: 'npm', name: 'event-stream', version: '3.3.6' },
    'GHSA-test-eventstream-0008',
    undefined,
  ],
  [
    'explicit versions list: not listed',
    { ecosystem: 'npm', name: 'event-stream', version: '3.3.5' },
    undefined,
    undefined,
  ],
  [
    'Maven second range',
    { ecosystem: 'Maven', name: 'org.apache.logging.log4j:log4j-core', version: '2.11.0' },
    'CVE-2099-0009',
    '2.12.2',
  ],
  [
    'Maven between ranges',
    { ecosystem: 'Maven', name: 'org.apache.logging.log4j:log4j-core', version: '2.12.2' },
    undefined,
    undefined,
  ],
  [
    'Maven before first introduced',
    { ecosystem: 'Maven', name: 'org.apache.logging.log4j:log4j-core', version: '2.0-beta8' },
    undefined,
    undefined,
  ],
  [
    'Maven third range',
    { ecosystem: 'Maven', name: 'org.apache.logging.log4j:log4j-core', version: '2.14.1' },
    'CVE-2099-0009',
    '2.15.0',
  ],
  [
    'Ubuntu LTS release matches',
    { ecosystem: 'Ubuntu:22.04', name: 'curl', version: '7.81.0-1ubuntu1.14' },
    'CVE-2099-0010',
    '7.81.0-1ubuntu1.15',
  ],
  [
    'Ubuntu Pro entries do not match plain 18.04',
    { ecosystem: 'Ubuntu:18.04', name: 'curl', version: '7.58.0-2ubuntu3.1' },
    undefined,
    undefined,
  ],
  [
    'unfixed: affected with no fix',
    { ecosystem: 'npm', name: 'minimist', version: '1.2.8' },
    'CVE-2099-0011',
    undefined,
  ],
];

for (const [name, pkg, id, fixed] of CASES) {
  test(name, () => {
    const findings = match(pkg);
    if (id === undefined) {
      assert.deepEqual(
        findings.map((f) => f.ruleId),
        [],
      );
      return;
    }
    assert.equal(findings.length, 1, JSON.stringify(findings.map((f) => f.ruleId)));
    const [finding] = findings;
    assert.equal(finding?.ruleId, id);
    assert.equal(finding?.advisory.fixedVersion, fixed);
    assert.equal(finding?.status, fixed === undefined ? 'affected' : 'fixed');
  });
}

test('aliases merge into one finding named by the CVE, listing the others', () => {
  const [finding] = match({ ecosystem: 'PyPI', name: 'requests', version: '2.5.0' });
  assert.equal(finding?.ruleId, 'CVE-2099-0002');
  assert.deepEqual(finding?.advisory.aliases, ['GHSA-test-requests-0002', 'PYSEC-2099-1']);
  assert.equal(finding?.severity, 'medium');
});

test('severity: computed from CVSS v3 and v4 vectors, else the ecosystem rating', () => {
  const lodash = match({ ecosystem: 'npm', name: 'lodash', version: '4.0.0' })[0];
  assert.deepEqual(lodash?.advisory.cvss, {
    version: '3.1',
    vector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H',
    score: 9.8,
  });
  assert.equal(lodash?.severity, 'critical');
  const openssl = match({ ecosystem: 'Debian:12', name: 'openssl', version: '3.0.0-1' })[0];
  assert.equal(openssl?.advisory.cvss?.version, '4.0');
  assert.equal(openssl?.advisory.cvss?.score, 9.3);
  assert.equal(openssl?.severity, 'critical');
  assert.equal(
    match({ ecosystem: 'Ubuntu:22.04', name: 'curl', version: '7.81.0-1ubuntu1.1' })[0]?.severity,
    'low',
  );
  assert.equal(
    match({ ecosystem: 'AlmaLinux:9', name: 'openssl-libs', version: '1:3.0.0-1.el9' })[0]?.severity,
    'high',
  );
  assert.equal(match({ ecosystem: 'npm', name: 'event-stream', version: '3.3.6' })[0]?.severity, 'critical');
});

test('finding carries the package, location and remediation', () => {
  const [finding] = matchPackages(
    db,
    [
      {
        ecosystem: 'Alpine:v3.20',
        name: 'ssl_client',
        sourceName: 'busybox',
        sourceVersion: '1.36.1-r28',
        version: '1.36.1-r28',
        layer: 'sha256:abc',
        path: 'lib/apk/db/installed',
        purl: 'pkg:apk/alpine/ssl_client@1.36.1-r28',
      },
    ],
    'alpine:3.20',
  ).findings;
  assert.deepEqual(finding?.location, {
    type: 'artifact',
    target: 'alpine:3.20',
    path: 'lib/apk/db/installed',
    layer: 'sha256:abc',
  });
  assert.equal(finding?.package.sourceName, 'busybox');
  assert.equal(finding?.package.purl, 'pkg:apk/alpine/ssl_client@1.36.1-r28');
  assert.match(finding?.remediation ?? '', /Upgrade busybox to 1\.36\.1-r29/);
});

test('packages that cannot be compared exactly are reported, not guessed', () => {
  const result = matchPackages(
    db,
    [
      { ecosystem: 'npm', name: 'lodash', version: 'not a version' },
      { ecosystem: 'SwiftURL', name: 'x', version: '1.0.0' },
    ],
    'test',
  );
  assert.deepEqual(result.findings, []);
  assert.equal(result.notices.length, 2);
  assert.match(result.notices.join('\n'), /lodash not a version: version not comparable/);
  assert.match(result.notices.join('\n'), /SwiftURL has no exact version comparator/);
});

test('an advisory without CVSS or rating is shown as medium and says it is unrated', () => {
  const [finding] = match({ ecosystem: 'Alpine:v3.20', name: 'busybox', version: '1.36.1-r1' });
  assert.equal(finding?.severity, 'medium');
  assert.match(finding?.message ?? '', /the advisory rates no severity/);
  assert.equal(finding?.advisory.cvss, undefined);
});
