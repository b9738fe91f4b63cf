// `palisade db import|status` and `palisade scan-sbom` end to end, in-process, on the fixture advisories.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { AdvisoryDatabase } from '../../src/vuln/db/database.ts';
import { importOsv } from '../../src/vuln/db/import.ts';
import { runPalisade } from '../cli/cli-harness.ts';
import { FIXTURES } from './fixture-db.ts';

let directory = '';
let db = '';
/** The harness clock is 2026-11-22T12:00:00Z; the import is stamped with it. */
before(async () => {
  directory = mkdtempSync(join(tmpdir(), 'palisade-cli-vuln-'));
  db = join(directory, 'vuln.db');
  const imported = await runPalisade(['db', 'import', join(FIXTURES, 'osv'), '--db', db]);
  assert.equal(imported.code, 0, imported.stderr);
});
after(() => rmSync(directory, { recursive: true, force: true }));

const SBOM = join('sbom', 'app.cdx.json');

interface JsonReport {
  findings: Array<{
    ruleId: string;
    severity: string;
    suppressed?: { by: string; reason: string };
    advisory: { fixedVersion?: string };
    package: { name: string };
  }>;
  notices?: Array<{ message: string }>;
}

async function scan(...args: string[]): Promise<{ code: number; report: JsonReport; stderr: string }> {
  const run = await runPalisade(['scan-sbom', SBOM, '--db', db, '--format', 'json', ...args], {
    cwd: FIXTURES,
  });
  return {
    code: run.code,
    report: run.stdout === '' ? { findings: [] } : (JSON.parse(run.stdout) as JsonReport),
    stderr: run.stderr,
  };
}

test('db import reports counts; a second import of the same data changes nothing', async () => {
  const again = await runPalisade(['db', 'import', join(FIXTURES, 'osv'), '--db', db]);
  assert.equal(again.code, 0);
  assert.match(again.stdout, /12 records read: 0 new, 0 updated, 12 unchanged \(1 withdrawn\)/);
});

test('db status shows sources, counts per ecosystem and age, as a table and as JSON', async () => {
  const table = await runPalisade(['db', 'status', '--db', db]);
  assert.equal(table.code, 0, table.stderr);
  assert.match(table.stdout, /Advisories: 11 \(1 withdrawn, not matched\)/);
  assert.match(table.stdout, /Debian:12 +1/);
  assert.match(table.stdout, /\(0h ago\)/);
  const json = JSON.parse((await runPalisade(['db', 'status', '--db', db, '--format', 'json'])).stdout) as {
    advisories: number;
    sources: unknown[];
  };
  assert.equal(json.advisories, 11);
  assert.equal(json.sources.length, 1);
});

test('db status without a database says how to make one (exit 3)', async () => {
  const run = await runPalisade(['db', 'status', '--db', join(directory, 'missing.db')]);
  assert.equal(run.code, 3);
  assert.match(run.stderr, /no vulnerability database at .*missing\.db: run `palisade db import/);
});

test('scan-sbom (CycloneDX): exact findings, merged aliases, the fix, exit 1', async () => {
  const { code, report } = await scan();
  assert.equal(code, 1);
  const found = report.findings
    .map((f) => `${f.package.name} ${f.ruleId} ${f.advisory.fixedVersion ?? '-'}`)
    .sort();
  assert.deepEqual(found, [
    'libssl3 CVE-2099-0003 3.0.11-1~deb12u2',
    'lodash CVE-2099-0001 4.17.21',
    'minimist CVE-2099-0011 -',
    'requests CVE-2099-0002 2.32.0',
  ]);
});

test('scan-sbom (SPDX): Alpine and AlmaLinux packages matched on their release, source and epoch', async () => {
  const run = await runPalisade(
    ['scan-sbom', join('sbom', 'app.spdx.json'), '--db', db, '--format', 'json'],
    { cwd: FIXTURES },
  );
  const report = JSON.parse(run.stdout) as JsonReport;
  assert.deepEqual(report.findings.map((f) => `${f.package.name} ${f.ruleId}`).sort(), [
    'openssl-libs ALSA-2099:0007',
    'ssl_client CVE-2099-0004',
  ]);
});

test('--ignore-unfixed, --severity and --fail-on', async () => {
  assert.ok(!(await scan('--ignore-unfixed')).report.findings.some((f) => f.ruleId === 'CVE-2099-0011'));
  const critical = await scan('--severity', 'critical');
  assert.deepEqual(
    critical.report.findings.map((f) => f.severity),
    ['critical', 'critical'],
  );
  assert.equal((await scan('--fail-on', 'critical', '--severity', 'low,medium')).code, 0);
  assert.equal((await scan('--fail-on', 'none')).code, 0);
  assert.equal((await scan('--severity', 'bogus')).code, 2);
});

test('--vex suppresses not_affected findings with their justification; they no longer fail the scan', async () => {
  const { report, code } = await scan(
    '--vex',
    join('vex', 'openvex.json'),
    '--vex',
    join('vex', 'cyclonedx-vex.json'),
    '--fail-on',
    'high',
    '--show-suppressed',
  );
  const lodash = report.findings.find((f) => f.ruleId === 'CVE-2099-0001');
  assert.equal(lodash?.suppressed?.by, 'vex');
  assert.match(lodash?.suppressed?.reason ?? '', /vulnerable_code_not_in_execute_path/);
  assert.equal(report.findings.find((f) => f.ruleId === 'CVE-2099-0002')?.suppressed?.by, 'vex');
  // libssl3 (critical) is still there.
  assert.equal(code, 1);
});

test('a database older than the maximum age (default 7d) is refused unless --offline', async () => {
  const old = join(directory, 'old.db');
  const database = AdvisoryDatabase.open(old, { create: true });
  await importOsv(database, join(FIXTURES, 'osv'), {
    source: 'fixtures',
    now: new Date('2026-11-10T12:00:00Z'),
  });
  database.close();
  const args = ['scan-sbom', SBOM, '--db', old, '--format', 'json'];
  const stale = await runPalisade(args, { cwd: FIXTURES });
  assert.equal(stale.code, 3);
  assert.match(
    stale.stderr,
    /last updated 12d ago \(maximum age 7d\): run `palisade db update`, or pass --offline/,
  );
  assert.equal((await runPalisade([...args, '--offline'], { cwd: FIXTURES })).code, 1);
  assert.equal((await runPalisade([...args, '--max-age', '2w'], { cwd: FIXTURES })).code, 1);
  assert.equal((await runPalisade([...args, '--max-age', 'soon'], { cwd: FIXTURES })).code, 2);
});

test('table output names package, installed and fixed versions', async () => {
  const run = await runPalisade(['scan-sbom', SBOM, '--db', db], { cwd: FIXTURES });
  assert.equal(run.code, 1);
  assert.match(run.stdout, /lodash/);
  assert.match(run.stdout, /4\.17\.21/);
});

test('usage errors: no SBOM, unknown format, a file that is not an SBOM', async () => {
  assert.equal((await runPalisade(['scan-sbom', '--db', db])).code, 2);
  assert.equal(
    (await runPalisade(['scan-sbom', SBOM, '--db', db, '--format', 'xml'], { cwd: FIXTURES })).code,
    2,
  );
  const notSbom = join(directory, 'not-sbom.json');
  writeFileSync(notSbom, '{"hello": 1}');
  const run = await runPalisade(['scan-sbom', notSbom, '--db', db]);
  assert.equal(run.code, 3);
  assert.match(run.stderr, /neither a CycloneDX JSON BOM nor an SPDX/);
});

test('help', async () => {
  const run = await runPalisade(['scan-sbom', '--help']);
  assert.equal(run.code, 0);
  assert.match(run.stdout, /--ignore-unfixed/);
  assert.equal((await runPalisade(['db', '--help'])).code, 0);
});

test('--output writes the report relative to the working directory', async () => {
  const run = await runPalisade(
    ['scan-sbom', join(FIXTURES, SBOM), '--db', db, '--format', 'json', '-o', 'out.json'],
    { cwd: directory },
  );
  assert.equal(run.code, 1);
  assert.ok(
    (JSON.parse(readFileSync(join(directory, 'out.json'), 'utf8')) as JsonReport).findings.length > 0,
  );
});

test('every output format renders vulnerability findings (SARIF results carry the advisory id)', async () => {
  const sarif = await runPalisade(['scan-sbom', SBOM, '--db', db, '--format', 'sarif'], { cwd: FIXTURES });
  assert.equal(sarif.code, 1, sarif.stderr);
  const log = JSON.parse(sarif.stdout) as { runs: Array<{ results: Array<{ ruleId: string }> }> };
  assert.deepEqual([...new Set(log.runs[0]?.results.map((result) => result.ruleId))].sort(), [
    'CVE-2099-0001',
    'CVE-2099-0002',
    'CVE-2099-0003',
    'CVE-2099-0011',
  ]);
  const junit = await runPalisade(['scan-sbom', SBOM, '--db', db, '--format', 'junit'], { cwd: FIXTURES });
  assert.equal(junit.code, 1, junit.stderr);
  assert.match(junit.stdout, /CVE-2099-0003/);
});

/** A CycloneDX BOM whose only vulnerable package sits `depth` levels down a chain of wrapper components. */
function deepBom(depth: number): string {
  // Written as text: JSON.stringify itself recurses, and would overflow on the deepest case.
  const lodash = '{"type":"library","name":"lodash","version":"4.17.20","purl":"pkg:npm/lodash@4.17.20"}';
  const open = Array.from(
    { length: depth },
    (_, level) =>
      `{"type":"library","name":"wrap${level}","version":"1.0.0","purl":"pkg:npm/wrap${level}@1.0.0","components":[`,
  ).join('');
  return `{"bomFormat":"CycloneDX","specVersion":"1.6","version":1,"components":[${open}${lodash}${']}'.repeat(depth)}]}`;
}

test('components nested at any depth are matched, not dropped (depth 66 and 20000)', async () => {
  for (const depth of [66, 20_000]) {
    const file = join(directory, `deep-${depth}.cdx.json`);
    writeFileSync(file, deepBom(depth));
    const run = await runPalisade(['scan-sbom', file, '--db', db, '--format', 'json']);
    assert.equal(run.code, 1, run.stderr);
    const report = JSON.parse(run.stdout) as JsonReport;
    assert.deepEqual(
      report.findings.map((f) => `${f.package.name} ${f.ruleId}`),
      ['lodash CVE-2099-0001'],
      `depth ${depth}`,
    );
  }
});

test('an SBOM that is not valid UTF-8 is still read, with a warning naming the first bad byte', async () => {
  const text = readFileSync(join(FIXTURES, SBOM), 'utf8');
  // A Latin-1 byte inside a string value, as a tool writing the wrong encoding would leave it.
  const bytes = Buffer.from(text.replace('"components"', '"x":"caf\u0000","components"'), 'utf8');
  bytes[bytes.indexOf(0)] = 0xe9;
  const file = join(directory, 'latin1.cdx.json');
  writeFileSync(file, bytes);
  const run = await runPalisade(['scan-sbom', file, '--db', db, '--format', 'json']);
  const report = JSON.parse(run.stdout) as JsonReport;
  assert.ok(report.findings.length > 0, 'the packages are still matched');
  assert.ok(
    report.notices?.some((notice) => /not valid UTF-8 \(first bad byte 0xe9/.test(notice.message)),
    JSON.stringify(report.notices),
  );
});

test('packages of an ecosystem or release the database has no advisories for are named as not checked, never as clean', async () => {
  const bom = JSON.parse(readFileSync(join(FIXTURES, SBOM), 'utf8')) as { components: object[] };
  const component = (name: string, version: string, purl: string) => ({
    type: 'library',
    name,
    version,
    purl,
  });
  bom.components.push(
    // Amazon Linux: no OSV data in the fixtures (nor on OSV.dev).
    component(
      'openssl-libs',
      '3.0.8-1.amzn2023.0.14',
      'pkg:rpm/amzn/openssl-libs@3.0.8-1.amzn2023.0.14?distro=amzn-2023',
    ),
    component('glibc', '2.34-52.amzn2023.0.8', 'pkg:rpm/amzn/glibc@2.34-52.amzn2023.0.8?distro=amzn-2023'),
    component('serde', '1.0.190', 'pkg:cargo/serde@1.0.190'),
    // Alpine: the fixtures hold v3.20 advisories only.
    component(
      'ssl_client',
      '1.37.0-r12',
      'pkg:apk/alpine/ssl_client@1.37.0-r12?distro=alpine-3.21.2&upstream=busybox',
    ),
    component(
      'ssl_client',
      '1.36.1-r28',
      'pkg:apk/alpine/ssl_client@1.36.1-r28?distro=alpine-3.20.3&upstream=busybox',
    ),
  );
  const file = join(directory, 'uncovered.cdx.json');
  writeFileSync(file, JSON.stringify(bom));
  const run = await runPalisade(['scan-sbom', file, '--db', db, '--format', 'json']);
  assert.equal(run.code, 1, run.stderr);
  const report = JSON.parse(run.stdout) as JsonReport;
  assert.deepEqual(
    report.findings.map((f) => `${f.package.name} ${f.ruleId}`).filter((f) => /lodash|ssl_client/.test(f)),
    ['lodash CVE-2099-0001', 'ssl_client CVE-2099-0004'],
    'covered ecosystems are still matched, the Alpine 3.20 package among them',
  );
  const unchecked = (report.notices ?? [])
    .map((notice) => notice.message)
    .filter((message) => / not checked /.test(message));
  assert.deepEqual(unchecked, [
    'the vulnerability database has Alpine advisories, but none for Alpine:v3.21: 1 Alpine:v3.21 package was not checked (import Alpine advisories for that release with `palisade db import` to check them)',
    'the vulnerability database has no advisories for Amazon Linux: 2 Amazon Linux:2023 packages were not checked (import Amazon Linux advisories with `palisade db import` to check them)',
    'the vulnerability database has no advisories for crates.io: 1 crates.io package was not checked (import crates.io advisories with `palisade db import` to check them)',
  ]);
});
