// URLs in the CycloneDX VDR: advisory ids percent-encoded into source URLs, references kept only when they are
// http(s) URLs (written as the URL parser normalises them), so hostile OSV data still gives a valid document.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { cycloneDxValidator } from '../image/sbom-schemas.ts';
import { skipWithoutShared } from '../shared-corpus.ts';
import { testVdrText } from './vdr-test-run.ts';
import { vulnerabilityFinding } from './vulnerability-finding.ts';

const skip = skipWithoutShared('corpus', 'schemas', 'cyclonedx', 'bom-1.6.schema.json');

/** What iri-reference needs and the test validator does not check: no spaces or control characters. */
function assertCleanUrl(url: string): void {
  const bad = [...url].some(
    (char) => /\s/.test(char) || char.charCodeAt(0) < 0x20 || char.charCodeAt(0) === 0x7f,
  );
  assert.ok(!bad, `no spaces or controls in ${JSON.stringify(url)}`);
  assert.match(new URL(url).protocol, /^https?:$/);
}

test('VDR URLs are encoded and references are http(s) only', { skip }, () => {
  const vdr = JSON.parse(
    testVdrText([
      vulnerabilityFinding(
        'CVE-2024-1 x\u0000y',
        [
          'https://example.com/a b\u0000c',
          'javascript:alert(1)',
          'http://exa mple.com/',
          'https://ok.example/x',
          'ftp://example.com/',
        ],
        ['GHSA-a b\u0000/c', 'OSV #1?\ud800'],
      ),
      vulnerabilityFinding('GHSA-only-bad', ['javascript:alert(1)']),
    ]),
  );
  const validate = cycloneDxValidator();
  assert.equal(validate(vdr), true, JSON.stringify(validate.errors));
  const [first, second] = vdr.vulnerabilities;
  assert.equal(first.source.url, 'https://nvd.nist.gov/vuln/detail/CVE-2024-1%20x%00y');
  assert.equal(first.references[0].source.url, 'https://github.com/advisories/GHSA-a%20b%00%2Fc');
  assert.equal(first.references[1].source.url, 'https://osv.dev/vulnerability/OSV%20%231%3F%EF%BF%BD');
  assert.deepEqual(
    first.advisories.map((advisory: { url: string }) => advisory.url),
    ['https://example.com/a%20b%00c', 'https://ok.example/x'],
  );
  for (const vulnerability of vdr.vulnerabilities) {
    assertCleanUrl(vulnerability.source.url);
    for (const reference of vulnerability.references ?? []) assertCleanUrl(reference.source.url);
    for (const advisory of vulnerability.advisories ?? []) assertCleanUrl(advisory.url);
  }
  assert.equal(second.advisories, undefined, 'no http(s) reference: no advisories');
});
