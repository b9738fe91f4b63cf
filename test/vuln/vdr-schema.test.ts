// The CycloneDX VDR output validates against the official CycloneDX 1.6 schema (../shared/corpus/schemas).
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { Ajv } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { runPalisade } from '../cli/cli-harness.ts';
import { sharedPath, skipWithoutShared } from '../shared-corpus.ts';
import { FIXTURES } from './fixture-db.ts';
import { scanFixtureSbomVdr } from './vdr-test-run.ts';

const addFormats = addFormatsModule as unknown as typeof addFormatsModule.default;
const skip = skipWithoutShared('corpus', 'schemas', 'cyclonedx', 'bom-1.6.schema.json');
let directory = '';
let db = '';

before(async () => {
  directory = mkdtempSync(join(tmpdir(), 'palisade-vdr-'));
  db = join(directory, 'vuln.db');
  await runPalisade(['db', 'import', join(FIXTURES, 'osv'), '--db', db]);
});
after(() => rmSync(directory, { recursive: true, force: true }));

function schema(name: string): Record<string, unknown> {
  return JSON.parse(readFileSync(sharedPath('corpus', 'schemas', 'cyclonedx', name), 'utf8')) as Record<
    string,
    unknown
  >;
}

interface Vdr {
  specVersion: string;
  components: Array<{ 'bom-ref': string; purl?: string }>;
  vulnerabilities: Array<{
    id: string;
    ratings: Array<{ method: string; score?: number }>;
    affects: Array<{ ref: string }>;
    analysis?: { state: string };
  }>;
}

test('scan-sbom --format cyclonedx is a valid CycloneDX 1.6 VDR, with VEX analysis and resolvable refs', {
  skip,
}, async () => {
  const run = await scanFixtureSbomVdr(db, [join('vex', 'openvex.json')]);
  assert.equal(run.code, 1, run.stderr);
  const vdr = JSON.parse(run.stdout) as Vdr;
  const ajv = new Ajv({ allErrors: true, strict: false });
  addFormats(ajv);
  // ajv-formats has no IRI or IDN formats; their ASCII counterparts are what we write, so accept them as such.
  ajv.addFormat('iri-reference', true);
  ajv.addFormat('idn-email', true);
  ajv.addSchema(schema('spdx.schema.json'));
  ajv.addSchema(schema('jsf-0.82.schema.json'));
  const validate = ajv.compile(schema('bom-1.6.schema.json'));
  assert.ok(validate(vdr), JSON.stringify(validate.errors?.slice(0, 5), null, 1));
  assert.equal(vdr.specVersion, '1.6');
  const refs = new Set(vdr.components.map((component) => component['bom-ref']));
  for (const vulnerability of vdr.vulnerabilities)
    for (const affect of vulnerability.affects) assert.ok(refs.has(affect.ref), affect.ref);
  const lodash = vdr.vulnerabilities.find((v) => v.id === 'CVE-2099-0001');
  assert.equal(lodash?.ratings[0]?.method, 'CVSSv31');
  assert.equal(lodash?.ratings[0]?.score, 9.8);
  assert.equal(lodash?.analysis?.state, 'not_affected');
  assert.equal(vdr.vulnerabilities.find((v) => v.id === 'CVE-2099-0003')?.ratings[0]?.method, 'CVSSv4');
  // Deterministic: the same scan gives the same document.
  const again = await scanFixtureSbomVdr(db, [join('vex', 'openvex.json')]);
  assert.equal(again.stdout, run.stdout);
});
