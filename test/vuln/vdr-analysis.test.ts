// What the CycloneDX VDR says about each vulnerability: a VEX-suppressed one carries the VEX justification (mapped
// to CycloneDX's values) and marks the version unaffected; an advisory nobody rated is `unknown`, not an OSV
// "medium"; and lone surrogates from hostile input never reach the output as `\udXXX` escapes.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { VulnerabilityFinding } from '../../src/core/finding.ts';
import { applyVex } from '../../src/vuln/vex/apply.ts';
import type { VexStatement } from '../../src/vuln/vex/statement.ts';
import { runPalisade } from '../cli/cli-harness.ts';
import { cycloneDxValidator } from '../image/sbom-schemas.ts';
import { skipWithoutShared } from '../shared-corpus.ts';
import { FIXTURES } from './fixture-db.ts';
import { scanFixtureSbomVdr, testVdrText } from './vdr-test-run.ts';
import { vulnerabilityFinding } from './vulnerability-finding.ts';

const skip = skipWithoutShared('corpus', 'schemas', 'cyclonedx', 'bom-1.6.schema.json');

// biome-ignore lint/suspicious/noExplicitAny: VDR documents are inspected loosely in assertions
type LooseJson = any;

let directory = '';
let db = '';

before(async () => {
  directory = mkdtempSync(join(tmpdir(), 'palisade-vdr-analysis-'));
  db = join(directory, 'vuln.db');
  const imported = await runPalisade(['db', 'import', join(FIXTURES, 'osv'), '--db', db]);
  assert.equal(imported.code, 0, imported.stderr);
});
after(() => rmSync(directory, { recursive: true, force: true }));

function vdrOf(findings: VulnerabilityFinding[]): LooseJson {
  return JSON.parse(testVdrText(findings));
}

function assertValid(vdr: LooseJson): void {
  const validate = cycloneDxValidator();
  assert.equal(validate(vdr), true, JSON.stringify(validate.errors?.slice(0, 5)));
}

test('scan-sbom VDR: VEX justifications from OpenVEX and CycloneDX VEX, suppressed versions unaffected', {
  skip,
}, async () => {
  const run = await scanFixtureSbomVdr(db, [join('vex', 'openvex.json'), join('vex', 'cyclonedx-vex.json')]);
  assert.equal(run.code, 1, run.stderr);
  const vdr: LooseJson = JSON.parse(run.stdout);
  assertValid(vdr);
  const byId = new Map(vdr.vulnerabilities.map((v: { id: string }) => [v.id, v]));
  const lodash: LooseJson = byId.get('CVE-2099-0001');
  // OpenVEX vulnerable_code_not_in_execute_path.
  assert.equal(lodash.analysis.state, 'not_affected');
  assert.equal(lodash.analysis.justification, 'code_not_reachable');
  assert.match(lodash.analysis.detail, /vulnerable_code_not_in_execute_path/);
  assert.equal(lodash.affects[0].versions[0].status, 'unaffected');
  // CycloneDX VEX false_positive with code_not_reachable.
  const requests: LooseJson = byId.get('CVE-2099-0002');
  assert.equal(requests.analysis.state, 'not_affected');
  assert.equal(requests.analysis.justification, 'code_not_reachable');
  assert.equal(requests.affects[0].versions[0].status, 'unaffected');
  // Not suppressed: still affected, and no justification.
  const libssl: LooseJson = byId.get('CVE-2099-0003');
  assert.equal(libssl.analysis.state, 'exploitable');
  assert.equal(libssl.analysis.justification, undefined);
  assert.equal(libssl.affects[0].versions[0].status, 'affected');
});

test('VDR maps every OpenVEX justification to CycloneDX; fixed is resolved and unaffected; unknown ones are dropped', {
  skip,
}, () => {
  const cases: Array<[string | undefined, string | undefined]> = [
    ['component_not_present', 'code_not_present'],
    ['vulnerable_code_not_present', 'code_not_present'],
    ['vulnerable_code_not_in_execute_path', 'code_not_reachable'],
    ['vulnerable_code_cannot_be_controlled_by_adversary', 'requires_environment'],
    ['inline_mitigations_already_exist', 'protected_by_mitigating_control'],
    ['protected_at_perimeter', 'protected_at_perimeter'],
    ['requires_configuration', 'requires_configuration'],
    // Not a value of either vocabulary: no justification rather than an invalid document.
    ['because: I said so', undefined],
    ['Code_Not_Present', undefined],
    [undefined, undefined],
  ];
  const findings = cases.map((_, index) => vulnerabilityFinding(`CVE-2099-${1000 + index}`, []));
  const statements: VexStatement[] = cases.map(([justification], index) => {
    const statement: VexStatement = {
      vulnerabilities: [`CVE-2099-${1000 + index}`],
      products: [{ id: 'pkg:npm/x@1.0.0', subcomponents: [] }],
      status: 'not_affected',
      document: 'vex.json',
    };
    if (justification !== undefined) statement.justification = justification;
    else statement.detail = 'an impact statement only';
    return statement;
  });
  findings.push(vulnerabilityFinding('CVE-2099-2000', []));
  statements.push({
    vulnerabilities: ['CVE-2099-2000'],
    products: [{ id: 'pkg:npm/x@1.0.0', subcomponents: [] }],
    status: 'fixed',
    justification: 'component_not_present',
    document: 'vex.json',
  });
  const vdr = vdrOf(applyVex(findings, statements));
  assertValid(vdr);
  cases.forEach(([given, expected], index) => {
    const vulnerability = vdr.vulnerabilities[index];
    assert.equal(vulnerability.analysis.state, 'not_affected', String(given));
    assert.equal(vulnerability.analysis.justification, expected, String(given));
    assert.equal(vulnerability.affects[0].versions[0].status, 'unaffected', String(given));
  });
  const fixed = vdr.vulnerabilities.at(-1);
  assert.equal(fixed.analysis.state, 'resolved');
  assert.equal(fixed.analysis.justification, undefined, 'a justification explains not_affected only');
  assert.equal(fixed.affects[0].versions[0].status, 'unaffected');
});

test('VDR: an advisory without CVSS or rating is severity unknown, credited to no source; text keeps medium', {
  skip,
}, async () => {
  const osv = join(directory, 'unrated-osv');
  const sbomDirectory = join(directory, 'unrated-sbom');
  mkdirSync(osv);
  mkdirSync(sbomDirectory);
  writeFileSync(
    join(osv, 'GHSA-test-unrated-0100.json'),
    JSON.stringify({
      id: 'GHSA-test-unrated-0100',
      modified: '2024-01-01T00:00:00Z',
      aliases: ['CVE-2099-0100'],
      summary: 'Unrated flaw',
      affected: [
        {
          package: { ecosystem: 'npm', name: 'unrated' },
          ranges: [{ type: 'SEMVER', events: [{ introduced: '0' }, { fixed: '2.0.0' }] }],
        },
      ],
    }),
  );
  const unratedDb = join(directory, 'unrated.db');
  const imported = await runPalisade(['db', 'import', osv, '--db', unratedDb]);
  assert.equal(imported.code, 0, imported.stderr);
  const sbom = join(sbomDirectory, 'bom.cdx.json');
  writeFileSync(
    sbom,
    JSON.stringify({
      bomFormat: 'CycloneDX',
      specVersion: '1.6',
      version: 1,
      components: [{ type: 'library', name: 'unrated', version: '1.0.0', purl: 'pkg:npm/unrated@1.0.0' }],
    }),
  );
  const run = await runPalisade(['scan-sbom', sbom, '--db', unratedDb, '--format', 'cyclonedx']);
  assert.equal(run.code, 1, run.stderr);
  const vdr: LooseJson = JSON.parse(run.stdout);
  assertValid(vdr);
  assert.equal(vdr.vulnerabilities.length, 1);
  assert.deepEqual(vdr.vulnerabilities[0].ratings, [{ severity: 'unknown' }]);
  // The text and JSON reports still show the display default.
  const json = await runPalisade(['scan-sbom', sbom, '--db', unratedDb, '--format', 'json']);
  const report = JSON.parse(json.stdout) as { findings: Array<{ severity: string; message: string }> };
  assert.equal(report.findings[0]?.severity, 'medium');
  assert.match(report.findings[0]?.message ?? '', /rates no severity/);
});

test('VDR: a rating OSV gave without CVSS stays credited to OSV', { skip }, async () => {
  const run = await scanFixtureSbomVdr(db);
  const vdr: LooseJson = JSON.parse(run.stdout);
  const minimist = vdr.vulnerabilities.find((v: { id: string }) => v.id === 'CVE-2099-0011');
  assert.deepEqual(minimist.ratings, [{ source: { name: 'OSV' }, severity: 'low', method: 'other' }]);
});

test('VDR output is well-formed JSON: lone surrogates become U+FFFD, never a \\udXXX escape', {
  skip,
}, () => {
  const finding = vulnerabilityFinding('CVE-2099-3000\ud800', [], ['GHSA-\udc00']);
  finding.title = 'bad \udfff title';
  finding.package = {
    ecosystem: 'npm',
    name: 'x\ud800',
    version: '1.0.0\udc00',
    purl: 'pkg:npm/x%EF%BF%BD@1.0.0%EF%BF%BD',
  };
  const text = testVdrText([finding], 'dir\ud800');
  assert.doesNotMatch(text, /\\ud[89a-f][0-9a-f]{2}/i);
  const vdr = JSON.parse(text);
  assertValid(vdr);
  assert.equal(vdr.vulnerabilities[0].id, 'CVE-2099-3000\ufffd');
  assert.equal(vdr.vulnerabilities[0].description, 'bad \ufffd title');
  assert.equal(vdr.components[0].version, '1.0.0\ufffd');
  assert.equal(vdr.metadata.component.name, 'dir\ufffd');
});
