// Vulnerability and artifact findings (images, directories, SBOMs) in every output format.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ValidateFunction } from 'ajv';
import type { ArtifactFinding, VulnerabilityFinding } from '../../src/core/finding.ts';
import { artifactReport, type ScanReport } from '../../src/core/report.ts';
import { renderJson } from '../../src/outputs/json.ts';
import { renderJunit } from '../../src/outputs/junit.ts';
import { renderSarif } from '../../src/outputs/sarif.ts';
import { renderTable } from '../../src/outputs/table.ts';
import { describeErrors, reportValidator, sarifValidator } from './schema-validator.ts';

const options = { showSuppressed: false, color: false };

/** A function, not an inline guard, so that the parsed document keeps its `any` type for the checks after it. */
function assertValid(validate: ValidateFunction, document: unknown): void {
  assert.ok(validate(document), describeErrors(validate.errors));
}

function vulnerability(
  id: string,
  name: string,
  fixedVersion: string | undefined,
  score?: number,
): VulnerabilityFinding {
  return {
    source: 'vulnerability',
    ruleId: id,
    severity: 'high',
    title: `${name}: buffer overflow`,
    message: `${name} 1.0.0-1 is affected by ${id}`,
    package: {
      ecosystem: 'Debian:12',
      name,
      version: '1.0.0-1',
      sourceName: `${name}-src`,
      sourceVersion: '1.0.0-1',
    },
    advisory: {
      id: `DSA-${id}`,
      aliases: [id],
      ...(fixedVersion === undefined ? {} : { fixedVersion }),
      ...(score === undefined
        ? {}
        : { cvss: { version: '3.1', vector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', score } }),
      references: [`https://security-tracker.debian.org/tracker/${id}`],
    },
    status: fixedVersion === undefined ? 'affected' : 'fixed',
    location: {
      type: 'artifact',
      target: 'registry.local/shop:1.2',
      path: 'var/lib/dpkg/status',
      layer: 'sha256:0123456789abcdef0123',
    },
    frameworks: {},
    remediation: fixedVersion === undefined ? 'No fix yet.' : `Upgrade ${name} to ${fixedVersion}.`,
  };
}

const secret: ArtifactFinding = {
  source: 'artifact',
  ruleId: 'secret-aws-access-key',
  severity: 'critical',
  title: 'AWS access key in a file',
  message: 'AWS access key AKIA************ in app/config.env',
  location: { type: 'artifact', target: 'registry.local/shop:1.2', path: '/app/config.env', line: 3 },
  frameworks: {},
  remediation: 'Remove the key from the image and rotate it.',
};

function report(): ScanReport {
  return artifactReport({
    toolVersion: '0.0.0-test',
    startedAt: '2026-11-22T12:00:00.000Z',
    inputs: ['registry.local/shop:1.2'],
    packages: 3,
    findings: [
      vulnerability('CVE-2024-0001', 'openssl', '1.0.0-2', 9.8),
      vulnerability('CVE-2024-0002', 'zlib', undefined),
      secret,
    ],
  });
}

describe('artifact and vulnerability findings', () => {
  it('JSON carries package, advisory and status and follows the published schema', () => {
    const document = JSON.parse(renderJson(report(), options));
    assertValid(reportValidator(), document);
    assert.equal(document.pssVersion, undefined);
    assert.equal(document.summary.unit, 'package');
    const openssl = document.findings.find((f: { ruleId: string }) => f.ruleId === 'CVE-2024-0001');
    assert.equal(openssl.package.sourceName, 'openssl-src');
    assert.equal(openssl.advisory.fixedVersion, '1.0.0-2');
    assert.equal(openssl.status, 'fixed');
    assert.equal(openssl.resource, undefined);
    assert.deepEqual(openssl.location, {
      type: 'artifact',
      target: 'registry.local/shop:1.2',
      path: 'var/lib/dpkg/status',
      layer: 'sha256:0123456789abcdef0123',
    });
  });

  it('the schema refuses a vulnerability finding without its package', () => {
    const document = JSON.parse(renderJson(report(), options));
    const vulnerable = document.findings.find((f: { source: string }) => f.source === 'vulnerability');
    delete vulnerable.package;
    assert.equal(reportValidator()(document), false);
  });

  it('SARIF describes each advisory once, scores it from CVSS, and validates', () => {
    const sarif = JSON.parse(renderSarif(report(), options));
    assertValid(sarifValidator(), sarif);
    const run = sarif.runs[0];
    const ids = run.tool.driver.rules.map((rule: { id: string }) => rule.id);
    assert.deepEqual([...ids].sort(), ['CVE-2024-0001', 'CVE-2024-0002', 'secret-aws-access-key']);
    const openssl = run.tool.driver.rules.find((rule: { id: string }) => rule.id === 'CVE-2024-0001');
    assert.equal(openssl.properties['security-severity'], '9.8');
    assert.equal(openssl.helpUri, 'https://security-tracker.debian.org/tracker/CVE-2024-0001');
    for (const result of run.results)
      assert.equal(run.tool.driver.rules[result.ruleIndex].id, result.ruleId, 'ruleIndex points at its rule');
    const secretResult = run.results.find((r: { ruleId: string }) => r.ruleId === 'secret-aws-access-key');
    // A file inside an image is not a file of the repository: no %SRCROOT% base, the image named in the path.
    assert.deepEqual(secretResult.locations[0].physicalLocation, {
      artifactLocation: { uri: 'palisade-image/registry.local/shop%3A1.2/app/config.env' },
      region: { startLine: 3 },
    });
    assert.equal(secretResult.locations[0].logicalLocations[0].name, 'registry.local/shop:1.2');
    // GitHub code scanning refuses an upload in which any result lacks an artifact URI.
    for (const result of run.results)
      assert.equal(typeof result.locations[0].physicalLocation?.artifactLocation?.uri, 'string');
  });

  it('SARIF of a scanned directory puts its files under the directory as given, relative to the repository', () => {
    const findings = report().findings.map((finding) =>
      finding.location.type === 'artifact'
        ? { ...finding, location: { ...finding.location, target: 'services/api' } }
        : finding,
    );
    const sarif = JSON.parse(renderSarif({ ...report(), findings, directoryRoot: 'services/api' }, options));
    const secretResult = sarif.runs[0].results.find(
      (r: { ruleId: string }) => r.ruleId === 'secret-aws-access-key',
    );
    assert.deepEqual(secretResult.locations[0].physicalLocation.artifactLocation, {
      uri: 'services/api/app/config.env',
      uriBaseId: '%SRCROOT%',
    });
  });

  it('the table groups by target, shows the fix, and counts packages', () => {
    const table = renderTable(report(), options);
    assert.match(table, /^Vulnerabilities in registry\.local\/shop:1\.2$/m);
    assert.match(table, /CVE-2024-0001 +openssl 1\.0\.0-1 \(fixed in 1\.0\.0-2\)/);
    assert.match(table, /CVE-2024-0002 +zlib 1\.0\.0-1 \(no fix yet\)/);
    assert.match(table, /registry\.local\/shop:1\.2 var\/lib\/dpkg\/status \(layer sha256:0123456789ab\)/);
    assert.match(table, /^Findings in registry\.local\/shop:1\.2$/m);
    assert.match(table, /registry\.local\/shop:1\.2 \/app\/config\.env:3/);
    assert.match(
      table,
      /3 findings \(1 critical, 2 high, 0 medium, 0 low, 0 info\), 0 suppressed, in 3 packages from 1 input/,
    );
  });

  it('JUnit has one failing case per package and advisory', () => {
    const xml = renderJunit(report(), options);
    assert.match(
      xml,
      /<testcase name="openssl@1\.0\.0-1 in registry\.local\/shop:1\.2" classname="CVE-2024-0001"/,
    );
    assert.match(xml, /<testcase name="registry\.local\/shop:1\.2" classname="secret-aws-access-key"/);
    assert.equal((xml.match(/<failure /g) ?? []).length, 3);
  });
});
