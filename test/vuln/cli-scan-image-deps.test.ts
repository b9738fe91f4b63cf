// scan-image and scan-deps end to end: images built by the inventory's test builder (docker save archives), a
// repository with a lockfile, matched against the fixture advisories with exact results per layer and file.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { runPalisade } from '../cli/cli-harness.ts';
import { buildImage, dockerArchiveFiles, filesToTar } from '../image/image-builder.ts';
import { FIXTURES } from './fixture-db.ts';

interface Report {
  findings: Array<{
    source: string;
    ruleId: string;
    package?: { name: string; version: string; sourceName?: string };
    advisory?: { fixedVersion?: string };
    location: { path: string; layer?: string };
  }>;
}

let directory = '';
let db = '';
const LOCKFILE = JSON.stringify({
  name: 'shop',
  version: '1.0.0',
  lockfileVersion: 3,
  packages: {
    '': { name: 'shop', version: '1.0.0', dependencies: { lodash: '^4.17.0', minimist: '^1.2.0' } },
    'node_modules/lodash': { version: '4.17.20' },
    'node_modules/minimist': { version: '1.2.8' },
  },
});
const ALPINE_INSTALLED = `${[
  ['P:busybox', 'V:1.36.1-r28', 'A:x86_64', 'o:busybox'],
  ['P:ssl_client', 'V:1.36.1-r28', 'A:x86_64', 'o:busybox'],
  ['P:musl', 'V:1.2.5-r0', 'A:x86_64', 'o:musl'],
]
  .map((fields) => fields.join('\n'))
  .join('\n\n')}\n\n`;
const DEBIAN_STATUS = [
  'Package: libssl3\nStatus: install ok installed\nSource: openssl\nVersion: 3.0.11-1~deb12u1\nArchitecture: amd64\n',
  'Package: curl\nStatus: install ok installed\nVersion: 7.88.1-10+deb12u5\nArchitecture: amd64\n',
].join('\n');

function writeImage(
  name: string,
  layers: Parameters<typeof buildImage>[0]['layers'],
): { path: string; diffIds: string[] } {
  const image = buildImage({ layers, compression: 'none' });
  const path = join(directory, name);
  writeFileSync(path, filesToTar(dockerArchiveFiles(image, 'old')));
  return { path, diffIds: image.layers.map((layer) => layer.diffId) };
}

let alpine: { path: string; diffIds: string[] };
let debian: { path: string; diffIds: string[] };

before(async () => {
  directory = mkdtempSync(join(tmpdir(), 'palisade-scan-image-'));
  db = join(directory, 'vuln.db');
  const imported = await runPalisade(['db', 'import', join(FIXTURES, 'osv'), '--db', db]);
  assert.equal(imported.code, 0, imported.stderr);
  alpine = writeImage('alpine.tar', [
    [
      { name: 'etc/os-release', content: 'ID=alpine\nVERSION_ID=3.20.3\nPRETTY_NAME="Alpine Linux v3.20"\n' },
      { name: 'etc/alpine-release', content: '3.20.3\n' },
      { name: 'lib/apk/db/installed', content: ALPINE_INSTALLED },
    ],
    [
      { name: 'app/node_modules/lodash/package.json', content: '{"name":"lodash","version":"4.17.20"}' },
      { name: 'app/node_modules/minimist/package.json', content: '{"name":"minimist","version":"1.2.8"}' },
    ],
  ]);
  debian = writeImage('debian.tar', [
    [
      { name: 'etc/os-release', content: 'ID=debian\nVERSION_ID="12"\nVERSION_CODENAME=bookworm\n' },
      { name: 'etc/debian_version', content: '12.7\n' },
      { name: 'var/lib/dpkg/status', content: DEBIAN_STATUS },
    ],
  ]);
});
after(() => rmSync(directory, { recursive: true, force: true }));

function vulnerabilities(report: Report): string[] {
  return report.findings
    .filter((finding) => finding.source === 'vulnerability')
    .map(
      (f) =>
        `${f.package?.name} ${f.package?.version} ${f.ruleId} ${f.advisory?.fixedVersion ?? '-'} ${f.location.path}`,
    )
    .sort();
}

test('scan-image (Alpine 3.20 docker archive): apk packages by origin, npm packages with their layer', async () => {
  const run = await runPalisade(['scan-image', alpine.path, '--db', db, '--format', 'json']);
  assert.equal(run.code, 1, run.stderr);
  const report = JSON.parse(run.stdout) as Report;
  assert.deepEqual(vulnerabilities(report), [
    'busybox 1.36.1-r28 CVE-2099-0004 1.36.1-r29 lib/apk/db/installed',
    'lodash 4.17.20 CVE-2099-0001 4.17.21 app/node_modules/lodash/package.json',
    'minimist 1.2.8 CVE-2099-0011 - app/node_modules/minimist/package.json',
    'ssl_client 1.36.1-r28 CVE-2099-0004 1.36.1-r29 lib/apk/db/installed',
  ]);
  const lodash = report.findings.find((f) => f.package?.name === 'lodash');
  assert.equal(lodash?.location.layer, alpine.diffIds[1]);
  assert.equal(report.findings.find((f) => f.package?.name === 'busybox')?.location.layer, alpine.diffIds[0]);
});

test('scan-image (Debian 12): the binary package is matched through its source package; the fixed one is not', async () => {
  const run = await runPalisade([
    'scan-image',
    debian.path,
    '--db',
    db,
    '--format',
    'json',
    '--ignore-unfixed',
  ]);
  assert.equal(run.code, 1, run.stderr);
  const report = JSON.parse(run.stdout) as Report;
  assert.deepEqual(vulnerabilities(report), [
    'libssl3 3.0.11-1~deb12u1 CVE-2099-0003 3.0.11-1~deb12u2 var/lib/dpkg/status',
  ]);
  assert.equal(report.findings.find((f) => f.source === 'vulnerability')?.package?.sourceName, 'openssl');
});

test('scan-image --format cyclonedx and --severity filter', async () => {
  const run = await runPalisade([
    'scan-image',
    alpine.path,
    '--db',
    db,
    '--format',
    'cyclonedx',
    '--severity',
    'critical',
  ]);
  const vdr = JSON.parse(run.stdout) as {
    metadata: { component: { type: string } };
    vulnerabilities: Array<{ id: string }>;
  };
  assert.equal(vdr.metadata.component.type, 'container');
  assert.deepEqual(
    vdr.vulnerabilities.map((v) => v.id),
    ['CVE-2099-0001'],
  );
});

test('scan-image: a package database it cannot read makes the scan incomplete: said on stderr, exit 3', async () => {
  const suse = writeImage('suse-ndb.tar', [
    [
      { name: 'etc/os-release', content: 'ID="opensuse-leap"\nVERSION_ID="15.6"\n' },
      { name: 'var/lib/rpm/Packages.db', content: 'not readable here' },
    ],
  ]);
  const run = await runPalisade(['scan-image', suse.path, '--db', db, '--format', 'json']);
  assert.equal(run.code, 3, run.stderr);
  assert.match(
    run.stderr,
    /palisade scan-image: error: rpm database var\/lib\/rpm\/Packages\.db is in NDB format/,
  );
  assert.match(run.stderr, /the scan is incomplete/);
  // An error of the report, which counts it (it was a mere warning notice, beside a summary of no errors).
  const report = JSON.parse(run.stdout) as {
    loadIssues: { severity: string; message: string }[];
    summary: { errors: number };
  };
  assert.ok(
    report.loadIssues.some((issue) => issue.severity === 'error' && /NDB format/.test(issue.message)),
  );
  assert.equal(report.summary.errors, 1);
});

test('scan-image refuses a directory or an SBOM, pointing to the right command', async () => {
  const run = await runPalisade(['scan-image', directory, '--db', db]);
  assert.equal(run.code, 2);
  assert.match(run.stderr, /use scan-deps/);
});

test('scan-deps: lockfile packages of a repository', async () => {
  const repo = join(directory, 'repo');
  mkdirSync(repo, { recursive: true });
  writeFileSync(join(repo, 'package-lock.json'), LOCKFILE);
  const run = await runPalisade(['scan-deps', 'repo', '--db', db, '--format', 'json', '--fail-on', 'high'], {
    cwd: directory,
  });
  assert.equal(run.code, 1, run.stderr);
  assert.deepEqual(vulnerabilities(JSON.parse(run.stdout) as Report), [
    'lodash 4.17.20 CVE-2099-0001 4.17.21 package-lock.json',
    'minimist 1.2.8 CVE-2099-0011 - package-lock.json',
  ]);
  const vex = await runPalisade(
    ['scan-deps', 'repo', '--db', db, '--fail-on', 'high', '--vex', join(FIXTURES, 'vex', 'openvex.json')],
    { cwd: directory },
  );
  assert.equal(vex.code, 0, 'lodash is not_affected per VEX; minimist is low');
  assert.equal((await runPalisade(['scan-deps', 'nope', '--db', db], { cwd: directory })).code, 3);
});
