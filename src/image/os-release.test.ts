// OSV ecosystem names for detected distributions: the release parts OSV's advisories use.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { distributionIds, osEcosystem } from './os-release.ts';

test('SUSE images are named by service pack, as SUSE advisories name their products', () => {
  const os = (family: string, version: string) => ({ family, name: family, version });
  assert.equal(osEcosystem(os('sles', '15.5')), 'SUSE:Linux Enterprise Server 15 SP5');
  assert.equal(osEcosystem(os('sles', '15')), 'SUSE:Linux Enterprise Server 15');
  assert.equal(osEcosystem(os('sles', '15.0')), 'SUSE:Linux Enterprise Server 15');
  assert.equal(osEcosystem(os('sles', '')), 'SUSE');
  assert.equal(osEcosystem(os('sle-micro', '5.5')), 'SUSE:Linux Enterprise Micro 5.5');
  assert.equal(osEcosystem(os('opensuse-leap', '15.5')), 'openSUSE:Leap 15.5');
  assert.equal(osEcosystem(os('opensuse-tumbleweed', '20240101')), 'openSUSE:Tumbleweed');
});

test('Mageia images are `Mageia:<release>`, the ecosystem Mageia advisories use', () => {
  assert.equal(osEcosystem({ family: 'mageia', name: 'Mageia', version: '9' }), 'Mageia:9');
});

test('every distribution: the ecosystem of its release, the bare name without one; rolling ones need none', () => {
  const os = (family: string, version: string) => ({ family, name: family, version });
  const cases: Array<[string, string, string]> = [
    ['debian', '12.5', 'Debian:12'],
    ['ubuntu', '22.04', 'Ubuntu:22.04'],
    ['alpine', '3.20.3', 'Alpine:v3.20'],
    ['wolfi', '20230201', 'Wolfi'],
    ['chainguard', '20230214', 'Chainguard'],
    ['rocky', '9.3', 'Rocky Linux:9'],
    ['almalinux', '9.4', 'AlmaLinux:9'],
    ['rhel', '9.4', 'Red Hat:9'],
    ['centos', '7', 'Red Hat:7'],
    ['ol', '9.3', 'Oracle Linux:9'],
    ['amzn', '2023', 'Amazon Linux:2023'],
    ['mageia', '9', 'Mageia:9'],
    ['sles', '15.5', 'SUSE:Linux Enterprise Server 15 SP5'],
    ['sle-micro', '5.5', 'SUSE:Linux Enterprise Micro 5.5'],
    ['opensuse-leap', '15.5', 'openSUSE:Leap 15.5'],
    ['opensuse-tumbleweed', '', 'openSUSE:Tumbleweed'],
  ];
  for (const [family, version, expected] of cases) assert.equal(osEcosystem(os(family, version)), expected);
  assert.deepEqual(distributionIds().sort(), cases.map(([family]) => family).sort(), 'every entry is tested');
  assert.equal(osEcosystem(os('opensuse-leap', '')), 'openSUSE');
  assert.equal(osEcosystem(os('fedora', '40')), 'fedora', 'unknown: its ID, which no advisory names');
  assert.equal(osEcosystem(undefined), 'Linux');
});
