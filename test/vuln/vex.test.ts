// VEX statements suppress exactly the findings they speak about, with their justification.
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import type { VulnerabilityFinding } from '../../src/core/finding.ts';
import { applyVex, purlCovers } from '../../src/vuln/vex/apply.ts';
import { loadVex } from '../../src/vuln/vex/load.ts';
import { FIXTURES } from './fixture-db.ts';

function finding(
  id: string,
  aliases: string[],
  purl: string,
  target = 'registry.test/team/app:1.0',
): VulnerabilityFinding {
  return {
    source: 'vulnerability',
    ruleId: id,
    severity: 'high',
    title: id,
    message: id,
    package: { ecosystem: 'npm', name: 'x', version: '1', purl },
    advisory: { id, aliases, references: [] },
    status: 'fixed',
    location: { type: 'artifact', target, path: '' },
    frameworks: {},
    remediation: '',
  };
}

test('purl coverage: versionless statements cover every version; versions and qualifiers must agree when given', () => {
  assert.ok(purlCovers('pkg:npm/lodash', 'pkg:npm/lodash@4.17.20'));
  assert.ok(purlCovers('pkg:npm/lodash@4.17.20', 'pkg:npm/lodash@4.17.20'));
  assert.ok(!purlCovers('pkg:npm/lodash@4.17.21', 'pkg:npm/lodash@4.17.20'));
  assert.ok(!purlCovers('pkg:npm/lodash-es', 'pkg:npm/lodash@4.17.20'));
  assert.ok(
    purlCovers(
      'pkg:deb/debian/openssl?distro=debian-12',
      'pkg:deb/debian/openssl@3.0.11?arch=amd64&distro=debian-12',
    ),
  );
  assert.ok(
    !purlCovers('pkg:deb/debian/openssl?distro=debian-11', 'pkg:deb/debian/openssl@3.0.11?distro=debian-12'),
  );
});

test('OpenVEX: not_affected suppresses with its justification; under_investigation does not; the latest statement wins', async () => {
  const { statements, problems } = await loadVex([join(FIXTURES, 'vex', 'openvex.json')], '/');
  assert.deepEqual(problems, []);
  const [lodash, lodashOther, minimist, xnet] = applyVex(
    [
      finding('CVE-2099-0001', ['GHSA-test-lodash-0001'], 'pkg:npm/lodash@4.17.20'),
      finding('CVE-2099-0001', ['GHSA-test-lodash-0001'], 'pkg:npm/lodash@4.17.19'),
      finding('CVE-2099-0011', [], 'pkg:npm/minimist@1.2.8'),
      finding('CVE-2099-0005', ['GHSA-test-xnet-0005'], 'pkg:golang/golang.org/x/net@v0.16.0'),
    ],
    statements,
  );
  assert.equal(lodash?.suppressed?.by, 'vex');
  assert.match(
    lodash?.suppressed?.reason ?? '',
    /not_affected: vulnerable_code_not_in_execute_path: merge\(\) is never called/,
  );
  assert.equal(lodashOther?.suppressed, undefined, 'another version is not covered');
  assert.equal(minimist?.suppressed, undefined);
  assert.match(
    xnet?.suppressed?.reason ?? '',
    /^fixed/,
    'the later fixed statement overrides the earlier affected one',
  );
});

test('OpenVEX: an image product with subcomponents applies only inside that image', async () => {
  const { statements } = await loadVex([join(FIXTURES, 'vex', 'openvex.json')], '/');
  const [elsewhere] = applyVex(
    [
      finding(
        'CVE-2099-0005',
        ['GHSA-test-xnet-0005'],
        'pkg:golang/golang.org/x/net@v0.16.0',
        'registry.test/other:1',
      ),
    ],
    statements,
  );
  assert.equal(elsewhere?.suppressed, undefined);
});

test('CycloneDX VEX: false_positive suppresses through a bom-ref; exploitable does not', async () => {
  const { statements, problems } = await loadVex([join(FIXTURES, 'vex', 'cyclonedx-vex.json')], '/');
  assert.deepEqual(problems, []);
  const [requests, log4j] = applyVex(
    [
      finding('CVE-2099-0002', ['GHSA-test-requests-0002', 'PYSEC-2099-1'], 'pkg:pypi/requests@2.31.0'),
      finding('CVE-2099-0009', [], 'pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1'),
    ],
    statements,
  );
  assert.match(
    requests?.suppressed?.reason ?? '',
    /not_affected: code_not_reachable: proxy auth is not used/,
  );
  assert.equal(log4j?.suppressed, undefined);
});

test('documents that are neither format, or broken JSON, are refused naming the file', async () => {
  await assert.rejects(
    loadVex([join(FIXTURES, 'osv', 'DSA-9999-1.json')], '/'),
    /neither an OpenVEX document/,
  );
  await assert.rejects(loadVex([join(FIXTURES, 'README.md')], '/'), /--vex .*README\.md/);
});

test('a statement status that is not a string is described, not serialised (5,000 nested lists overflowed the stack)', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'palisade-vex-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const file = join(dir, 'deep.json');
  await writeFile(
    file,
    `{"@context":"https://openvex.dev/ns/v0.2.0","@id":"x","author":"a","timestamp":"2024-01-01T00:00:00Z","version":1,"statements":[{"vulnerability":{"name":"CVE-2024-1"},"products":[{"@id":"pkg:npm/a@1"}],"status":${'['.repeat(5000)}1${']'.repeat(5000)}}]}`,
  );
  const { statements, problems } = await loadVex([file], '/');
  assert.deepEqual(statements, []);
  assert.deepEqual(problems, [`${file}: statements[0]: unknown status (an array)`]);
});
