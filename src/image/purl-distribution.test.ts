import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { purlOsEcosystem } from './purl-distribution.ts';
import { readSbom } from './sbom/sbom-reader.ts';

/** The ecosystem `palisade sbom` gives each purl of a CycloneDX document without an OS component. */
function ecosystemsRead(purls: string[]): string[] {
  const document = JSON.stringify({
    bomFormat: 'CycloneDX',
    specVersion: '1.6',
    components: purls.map((purl, index) => ({ type: 'library', name: `p${index}`, version: '1', purl })),
  });
  return readSbom(document, 'sbom.json')
    .packages.map((pkg) => pkg.ecosystem)
    .sort();
}

describe('the distribution a purl names', () => {
  it('reads codenames, bare releases, vendor namespaces and other tools’ spellings', () => {
    assert.equal(purlOsEcosystem('deb', 'debian', 'bookworm', undefined), 'Debian:12');
    assert.equal(purlOsEcosystem('apk', 'alpine', '3.19.1', undefined), 'Alpine:v3.19');
    assert.equal(purlOsEcosystem('rpm', 'opensuse', 'opensuse.leap-15.5', undefined), 'openSUSE:Leap 15.5');
    assert.equal(purlOsEcosystem('rpm', 'redhat', 'fedora-39', undefined), undefined);
    // The OS component fills in a release the purl leaves open, when it names the same distribution.
    assert.equal(
      purlOsEcosystem('deb', 'debian', undefined, { family: 'debian', version: '12' }),
      'Debian:12',
    );
    assert.equal(
      purlOsEcosystem('deb', 'debian', undefined, { family: 'ubuntu', version: '22.04' }),
      undefined,
    );
  });

  it('is how palisade sbom reads the purls of other tools’ SBOMs, as scan-sbom does', () => {
    assert.deepEqual(
      ecosystemsRead([
        'pkg:deb/debian/openssl@3.0.11-1?distro=bookworm',
        'pkg:apk/alpine/musl@1.2.4-r2?distro=3.19.1',
        'pkg:rpm/opensuse/libopenssl3@3.0.8?distro=opensuse.leap-15.5',
        'pkg:deb/ubuntu/bash@5.1?distro=ubuntu-22.04',
      ]),
      ['Alpine:v3.19', 'Debian:12', 'Ubuntu:22.04', 'openSUSE:Leap 15.5'],
    );
  });
});
