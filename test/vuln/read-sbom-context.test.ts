// scan-sbom's reader takes an OS package's ecosystem from Palisade's property (CycloneDX) or annotation (SPDX),
// else the purl, else the document's operating-system component; the source package from the property first.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { readSbom } from '../../src/vuln/sbom/read-sbom.ts';

const directory = mkdtempSync(join(tmpdir(), 'palisade-read-sbom-'));
after(() => rmSync(directory, { recursive: true, force: true }));

async function read(name: string, document: unknown) {
  const path = join(directory, name);
  writeFileSync(path, JSON.stringify(document));
  const result = await readSbom(path, name);
  return result.packages.map((pkg) => `${pkg.ecosystem} ${pkg.name} ${pkg.sourceName ?? '-'}`);
}

// No distro qualifier and no upstream: only the properties say the release and the source RPM.
const SLES = 'pkg:rpm/sles/libopenssl3@3.0.8-150500.5.8.1?arch=x86_64';
const DEBIAN = 'pkg:deb/debian/curl@7.88.1-10?arch=amd64';

test('CycloneDX: the properties, then the operating-system component', async () => {
  const packages = await read('bom.cdx.json', {
    bomFormat: 'CycloneDX',
    specVersion: '1.6',
    components: [
      { type: 'operating-system', name: 'debian', version: '12.5' },
      {
        type: 'library',
        name: 'libopenssl3',
        purl: SLES,
        properties: [
          { name: 'palisade:package:ecosystem', value: 'SUSE:Linux Enterprise Server 15 SP5' },
          { name: 'palisade:package:source_name', value: 'openssl-3' },
        ],
      },
      { type: 'library', name: 'curl', purl: DEBIAN },
    ],
  });
  assert.deepEqual(packages, [
    'SUSE:Linux Enterprise Server 15 SP5 libopenssl3 openssl-3',
    'Debian:12 curl -',
  ]);
});

test('SPDX: the annotations, then the OPERATING_SYSTEM package', async () => {
  const note = (comment: string) => ({ annotationType: 'OTHER', annotator: 'Tool: palisade', comment });
  const purl = (locator: string) => [
    { referenceCategory: 'PACKAGE-MANAGER', referenceType: 'purl', referenceLocator: locator },
  ];
  const packages = await read('bom.spdx.json', {
    spdxVersion: 'SPDX-2.3',
    packages: [
      {
        SPDXID: 'SPDXRef-os',
        name: 'debian',
        versionInfo: '12.5',
        primaryPackagePurpose: 'OPERATING_SYSTEM',
      },
      {
        SPDXID: 'SPDXRef-a',
        name: 'libopenssl3',
        externalRefs: purl(SLES),
        annotations: [
          note('palisade:package:ecosystem=SUSE:Linux Enterprise Server 15 SP5'),
          note('palisade:package:source_name=openssl-3'),
        ],
      },
      { SPDXID: 'SPDXRef-b', name: 'curl', externalRefs: purl(DEBIAN) },
    ],
  });
  assert.deepEqual(packages, [
    'SUSE:Linux Enterprise Server 15 SP5 libopenssl3 openssl-3',
    'Debian:12 curl -',
  ]);
});
