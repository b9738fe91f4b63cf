// OSV ecosystem names for detected distributions: the release parts OSV's advisories use.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { osEcosystem } from './os-release.ts';

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
