// Reading an SPDX document: a declared LicenseRef is resolved through hasExtractedLicensingInfos, so converting to
// CycloneDX (or writing SPDX again) keeps the license instead of an id that means nothing outside the document.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { renderCycloneDx } from '../../src/image/sbom/cyclonedx-writer.ts';
import { readSbom } from '../../src/image/sbom/sbom-reader.ts';
import { renderSpdx } from '../../src/image/sbom/spdx-writer.ts';
import { skipWithoutShared } from '../shared-corpus.ts';
import { cycloneDxValidator, spdxValidator } from './sbom-schemas.ts';

// biome-ignore lint/suspicious/noExplicitAny: SBOM documents are inspected loosely in assertions
type LooseJson = any;

function spdxPackage(name: string, licenseDeclared: string): Record<string, unknown> {
  return {
    SPDXID: `SPDXRef-${name}`,
    name,
    versionInfo: '1.0.0',
    downloadLocation: 'NOASSERTION',
    filesAnalyzed: false,
    licenseDeclared,
    externalRefs: [
      {
        referenceCategory: 'PACKAGE-MANAGER',
        referenceType: 'purl',
        referenceLocator: `pkg:npm/${name}@1.0.0`,
      },
    ],
  };
}

const DOCUMENT = JSON.stringify({
  spdxVersion: 'SPDX-2.3',
  dataLicense: 'CC0-1.0',
  SPDXID: 'SPDXRef-DOCUMENT',
  name: 'licenses',
  documentNamespace: 'https://example.test/spdx/licenses',
  creationInfo: { created: '2026-01-01T00:00:00Z', creators: ['Tool: test'] },
  packages: [
    spdxPackage('named', 'LicenseRef-MIT-AND-Custom-01fbe806'),
    spdxPackage('textonly', 'LicenseRef-text'),
    spdxPackage('compound', 'Apache-2.0 OR LicenseRef-MIT-AND-Custom-01fbe806'),
    spdxPackage('external', 'DocumentRef-other:LicenseRef-text'),
    spdxPackage('undefined', 'LicenseRef-missing'),
    spdxPackage('plain', 'MIT'),
  ],
  hasExtractedLicensingInfos: [
    {
      licenseId: 'LicenseRef-MIT-AND-Custom-01fbe806',
      extractedText: 'MIT AND Custom License',
      name: 'MIT AND Custom License',
    },
    { licenseId: 'LicenseRef-text', extractedText: 'Acme Public License', name: 'NOASSERTION' },
    { licenseId: '__proto__', extractedText: 'not a ref' },
    'not a record',
  ],
});

describe('SPDX LicenseRefs read through hasExtractedLicensingInfos', () => {
  it('become the license name (else its text); unknown and other-document refs stay as they are', () => {
    const inventory = readSbom(DOCUMENT, 'licenses.spdx.json');
    const licenses = Object.fromEntries(inventory.packages.map((pkg) => [pkg.name, pkg.licenses]));
    assert.deepEqual(licenses, {
      named: ['MIT AND Custom License'],
      textonly: ['Acme Public License'],
      compound: ['Apache-2.0 OR (MIT AND Custom License)'],
      external: ['DocumentRef-other:LicenseRef-text'],
      undefined: ['LicenseRef-missing'],
      plain: ['MIT'],
    });
  });

  it('survive conversion to CycloneDX and back to SPDX, both valid', {
    skip: skipWithoutShared('corpus', 'schemas'),
  }, () => {
    const inventory = readSbom(DOCUMENT, 'licenses.spdx.json');
    const options = { now: new Date(0), toolVersion: 'test' };
    const cdx: LooseJson = JSON.parse(renderCycloneDx(inventory, options));
    const validateCdx = cycloneDxValidator();
    assert.equal(validateCdx(cdx), true, JSON.stringify(validateCdx.errors));
    const named = cdx.components.find((component: { name: string }) => component.name === 'named');
    assert.deepEqual(named.licenses, [{ license: { name: 'MIT AND Custom License' } }]);
    const spdx: LooseJson = JSON.parse(renderSpdx(inventory, options));
    const validateSpdx = spdxValidator();
    assert.equal(validateSpdx(spdx), true, JSON.stringify(validateSpdx.errors));
    const texts = spdx.hasExtractedLicensingInfos.map(
      (info: { extractedText: string }) => info.extractedText,
    );
    assert.ok(texts.includes('MIT AND Custom License'), JSON.stringify(texts));
    assert.ok(texts.includes('Acme Public License'), JSON.stringify(texts));
  });
});
