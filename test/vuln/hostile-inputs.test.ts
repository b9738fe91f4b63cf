// scan-sbom and scan-deps on hostile or broken input, end to end on the fixture advisories: no crash on
// prototype-named keys, no quoted source text in errors, and an incomplete scan exits 3.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { runPalisade } from '../cli/cli-harness.ts';
import { FIXTURES } from './fixture-db.ts';

let directory = '';
let db = '';
before(async () => {
  directory = mkdtempSync(join(tmpdir(), 'palisade-vuln-hostile-'));
  db = join(directory, 'vuln.db');
  const imported = await runPalisade(['db', 'import', join(FIXTURES, 'osv'), '--db', db]);
  assert.equal(imported.code, 0, imported.stderr);
});
after(() => rmSync(directory, { recursive: true, force: true }));

interface Report {
  findings: Array<{ ruleId: string }>;
  notices?: Array<{ severity: string; message: string }>;
  loadIssues: Array<{ severity: string; code: string; file: string; message: string }>;
  summary: { errors: number };
}

const LODASH = { type: 'library', name: 'lodash', version: '4.17.20', purl: 'pkg:npm/lodash@4.17.20' };
const cdx = (components: unknown[]): string =>
  JSON.stringify({ bomFormat: 'CycloneDX', specVersion: '1.6', components });

async function scanSbom(name: string, text: string | Buffer) {
  writeFileSync(join(directory, name), text);
  const run = await runPalisade(['scan-sbom', name, '--db', db, '--format', 'json'], { cwd: directory });
  return { ...run, report: run.stdout === '' ? undefined : (JSON.parse(run.stdout) as Report) };
}

test('scan-sbom: prototype-named keys and values of the wrong type are skipped and listed, not a crash', async () => {
  for (const [name, text] of [
    ['name.cdx.json', cdx([{ name: { toString: 0 }, version: { valueOf: 0, toString: 0 } }, LODASH])],
    [
      'name.spdx.json',
      JSON.stringify({
        spdxVersion: 'SPDX-2.3',
        packages: [
          { name: { toString: 0 }, versionInfo: { toString: 0 } },
          7,
          {
            name: 'lodash',
            externalRefs: [{ referenceType: 'purl', referenceLocator: 'pkg:npm/lodash@4.17.20' }],
          },
        ],
      }),
    ],
    [
      'purl.cdx.json',
      cdx([
        { name: 'a', purl: 'pkg:constructor/x@1' },
        { name: 'b', purl: 'pkg:deb/debian/x@1?distro=constructor' },
        { name: 'c', purl: 'pkg:rpm/constructor/x@1?distro=9' },
        LODASH,
      ]),
    ],
  ] as const) {
    const run = await scanSbom(name, text);
    assert.doesNotMatch(run.stderr, /internal error/, name);
    assert.equal(run.code, 1, `${name}: ${run.stderr}`);
    assert.deepEqual(
      run.report?.findings.map((finding) => finding.ruleId),
      ['CVE-2099-0001'],
      name,
    );
    assert.match(run.report?.notices?.map((notice) => notice.message).join('\n') ?? '', /not matched/, name);
  }
});

test('scan-sbom: reads an SBOM with a byte-order mark (UTF-8 or UTF-16)', async () => {
  for (const [name, bytes] of [
    ['bom8.json', Buffer.from(`\ufeff${cdx([LODASH])}`)],
    ['bom16.json', Buffer.from(`\ufeff${cdx([LODASH])}`, 'utf16le')],
  ] as const) {
    const run = await scanSbom(name, bytes);
    assert.equal(run.code, 1, `${name}: ${run.stderr}`);
    assert.deepEqual(
      run.report?.findings.map((finding) => finding.ruleId),
      ['CVE-2099-0001'],
    );
  }
});

test('scan-sbom: a JSON syntax error gives the position, never the text around it', async () => {
  const run = await scanSbom('broken.json', '["https://user:SECRET-TOKEN@example.com",]');
  assert.equal(run.code, 3);
  assert.doesNotMatch(run.stderr, /SECRET/);
  assert.match(run.stderr, /broken\.json: invalid JSON: Unexpected token/);
});

test('scan-deps: a lockfile that cannot be read is reported on stderr and in the report, and exits 3', async () => {
  const repo = join(directory, 'repo');
  mkdirSync(join(repo, 'broken'), { recursive: true });
  writeFileSync(
    join(repo, 'package-lock.json'),
    JSON.stringify({
      lockfileVersion: 3,
      packages: { 'node_modules/lodash': { version: '4.17.20' }, 'node_modules/odd': { version: 1 } },
    }),
  );
  writeFileSync(join(repo, 'broken', 'package-lock.json'), '{ "lockfileVersion": 3, ');
  const run = await runPalisade(['scan-deps', 'repo', '--db', db, '--format', 'json', '--no-secrets'], {
    cwd: directory,
  });
  assert.equal(run.code, 3, run.stderr);
  assert.match(run.stderr, /^palisade scan-deps: error: broken\/package-lock\.json: not read: invalid JSON/m);
  assert.match(
    run.stderr,
    /^palisade scan-deps: warning: package-lock\.json: packages\["node_modules\/odd"\]\.version/m,
  );
  assert.match(run.stderr, /the scan is incomplete/);
  const report = JSON.parse(run.stdout) as Report;
  assert.deepEqual(
    report.findings.map((finding) => finding.ruleId),
    ['CVE-2099-0001'],
  );
  // The entry left out is a warning; the file not read is an error of the report, which counts it.
  assert.deepEqual(
    report.notices?.filter((notice) => /package-lock/.test(notice.message)).map((notice) => notice.severity),
    ['warning'],
  );
  assert.deepEqual(
    report.loadIssues.map((issue) => [issue.severity, issue.code, issue.file]),
    [['error', 'read-failed', 'repo']],
  );
  assert.match(report.loadIssues[0]?.message ?? '', /broken\/package-lock\.json: not read: invalid JSON/);
  assert.equal(report.summary.errors, 1);
  // SARIF says the run did not succeed; JUnit fails its inputs suite.
  const sarif = await runPalisade(['scan-deps', 'repo', '--db', db, '--format', 'sarif', '--no-secrets'], {
    cwd: directory,
  });
  assert.equal(JSON.parse(sarif.stdout).runs[0].invocations[0].executionSuccessful, false);
  const junit = await runPalisade(['scan-deps', 'repo', '--db', db, '--format', 'junit', '--no-secrets'], {
    cwd: directory,
  });
  assert.match(junit.stdout, /broken\/package-lock\.json: not read/);
  // Warnings alone (an entry left out) do not make the scan fail: the exit code follows the findings.
  rmSync(join(repo, 'broken'), { recursive: true });
  const partial = await runPalisade(['scan-deps', 'repo', '--db', db, '--format', 'json', '--no-secrets'], {
    cwd: directory,
  });
  assert.equal(partial.code, 1, partial.stderr);
  assert.match(partial.stderr, /warning: package-lock\.json/);
});

test('scan-sbom: a VEX document of 200k statements is applied (no stack overflow gathering them)', {
  timeout: 60_000,
}, async () => {
  const statements = Array.from({ length: 200_000 }, (_, i) => ({
    vulnerability: { name: i === 0 ? 'CVE-2099-0001' : `CVE-2099-${1_000_000 + i}` },
    products: [{ '@id': 'pkg:npm/lodash@4.17.20' }],
    status: 'not_affected',
    justification: 'vulnerable_code_not_in_execute_path',
  }));
  writeFileSync(
    join(directory, 'big.vex.json'),
    JSON.stringify({
      '@context': 'https://openvex.dev/ns/v0.2.0',
      '@id': 'https://example.test/vex/big',
      author: 'tests',
      timestamp: '2026-11-01T00:00:00Z',
      version: 1,
      statements,
    }),
  );
  writeFileSync(join(directory, 'lodash.cdx.json'), cdx([LODASH]));
  const run = await runPalisade(['scan-sbom', 'lodash.cdx.json', '--db', db, '--vex', 'big.vex.json'], {
    cwd: directory,
  });
  assert.doesNotMatch(run.stderr, /internal error/);
  assert.equal(run.code, 0, run.stderr);
});
