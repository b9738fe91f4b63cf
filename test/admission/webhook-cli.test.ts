// `palisade webhook certs|manifests` and `palisade test` through the CLI, in-process.
import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { cp, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments } from 'yaml';
import { runPalisade } from '../cli/cli-harness.ts';

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

describe('palisade webhook certs and manifests', () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'palisade-cli-'));
  });
  after(() => rm(dir, { recursive: true, force: true }));

  it('issues a CA and a serving certificate for <svc>.<ns>.svc with the key readable by its owner only', async () => {
    const run = await runPalisade(
      ['webhook', 'certs', '--out', 'certs', '--namespace', 'guard', '--san', '127.0.0.1'],
      { cwd: dir },
    );
    assert.equal(run.code, 0, run.stderr);
    const ca = new X509Certificate(await readFile(join(dir, 'certs', 'ca.crt')));
    const leaf = new X509Certificate(await readFile(join(dir, 'certs', 'tls.crt')));
    assert.ok(ca.ca);
    assert.ok(leaf.checkIssued(ca) && leaf.verify(ca.publicKey));
    assert.equal(
      leaf.subjectAltName,
      'DNS:palisade-webhook, DNS:palisade-webhook.guard, DNS:palisade-webhook.guard.svc, IP Address:127.0.0.1',
    );
    assert.equal((await stat(join(dir, 'certs', 'tls.key'))).mode & 0o777, 0o600);
    assert.equal((await stat(join(dir, 'certs', 'ca.key'))).mode & 0o777, 0o600);
  });

  it('writes manifests that pass `palisade scan --framework pss-restricted` with zero findings', async () => {
    const run = await runPalisade(
      [
        'webhook',
        'manifests',
        '--cert-dir',
        'certs',
        '--namespace',
        'guard',
        '--failure-policy',
        'Fail',
        '-o',
        'install.yaml',
      ],
      { cwd: dir },
    );
    assert.equal(run.code, 0, run.stderr);
    const scan = await runPalisade(['scan', '--framework', 'pss-restricted', '--no-config', 'install.yaml'], {
      cwd: dir,
    });
    assert.equal(scan.code, 0, scan.stdout);
    assert.match(scan.stdout, /No findings/);
    const objects = parseAllDocuments(await readFile(join(dir, 'install.yaml'), 'utf8')).map((doc) =>
      doc.toJS(),
    );
    const kinds = objects.map((object) => object.kind);
    for (const kind of [
      'Namespace',
      'ServiceAccount',
      'Deployment',
      'PodDisruptionBudget',
      'PriorityClass',
      'Service',
      'ValidatingWebhookConfiguration',
      'MutatingWebhookConfiguration',
    ])
      assert.ok(kinds.includes(kind), `missing ${kind}`);
    assert.ok(!kinds.includes('Secret'), 'the private key must not be written unless asked');
    const validating = objects.find((object) => object.kind === 'ValidatingWebhookConfiguration').webhooks[0];
    const mutating = objects.find((object) => object.kind === 'MutatingWebhookConfiguration').webhooks[0];
    assert.equal(validating.timeoutSeconds, 3);
    assert.equal(mutating.timeoutSeconds, 2);
    assert.equal(validating.sideEffects, 'None');
    assert.equal(validating.failurePolicy, 'Fail');
    assert.deepEqual(validating.namespaceSelector.matchExpressions[0].values, [
      'kube-system',
      'kube-node-lease',
      'guard',
    ]);
    assert.equal(validating.clientConfig.service.namespace, 'guard');
    assert.equal(
      Buffer.from(validating.clientConfig.caBundle, 'base64').toString(),
      await readFile(join(dir, 'certs', 'ca.crt'), 'utf8'),
    );
    const resources = validating.rules.flatMap((rule: { resources: string[] }) => rule.resources);
    assert.ok(
      resources.includes('pods') &&
        resources.includes('pods/ephemeralcontainers') &&
        resources.includes('deployments'),
    );
    assert.ok(!resources.includes('*'));
    assert.ok(validating.matchConditions.length >= 2);
    const deployment = objects.find((object) => object.kind === 'Deployment');
    assert.equal(deployment.spec.replicas, 3);
  });

  it('refuses failurePolicy Fail with fewer than 3 replicas', async () => {
    const run = await runPalisade(
      ['webhook', 'manifests', '--cert-dir', 'certs', '--replicas', '2', '--failure-policy', 'Fail'],
      { cwd: dir },
    );
    assert.equal(run.code, 2);
    assert.match(run.stderr, /at least 3 replicas/);
  });

  it('registers the webhook only for what the policy checks', async () => {
    await writeFile(
      join(dir, 'images.yaml'),
      'apiVersion: palisade.dev/v1alpha1\nkind: AdmissionPolicy\ndefaults: {}\nimages: { allowedRegistries: [registry.example.com] }\nmutation: { rules: [] }\n',
    );
    const run = await runPalisade(
      ['webhook', 'manifests', '--cert-dir', 'certs', '--policy', 'images.yaml'],
      { cwd: dir },
    );
    assert.equal(run.code, 0, run.stderr);
    const objects = parseAllDocuments(run.stdout).map((doc) => doc.toJS());
    assert.ok(!objects.some((object) => object.kind === 'MutatingWebhookConfiguration'));
    const rules = objects.find((object) => object.kind === 'ValidatingWebhookConfiguration').webhooks[0]
      .rules;
    const resources = rules.flatMap((rule: { resources: string[] }) => rule.resources);
    assert.ok(!resources.includes('services') && !resources.includes('configmaps'), resources.join(','));
    assert.ok(
      objects.some(
        (object) =>
          object.kind === 'ConfigMap' && object.data['policy.yaml'].includes('registry.example.com'),
      ),
    );
  });

  it('reports an invalid policy with file, line and column', async () => {
    await writeFile(
      join(dir, 'bad.yaml'),
      'apiVersion: palisade.dev/v1alpha1\nkind: AdmissionPolicy\ndefaults:\n  enforce: { level: strict }\n',
    );
    const run = await runPalisade(['webhook', 'manifests', '--cert-dir', 'certs', '--policy', 'bad.yaml'], {
      cwd: dir,
    });
    assert.equal(run.code, 2);
    assert.match(
      run.stderr,
      /bad\.yaml:4:\d+: defaults\.enforce\.level must be one of privileged, baseline, restricted/,
    );
  });
});

describe('palisade test', () => {
  it('runs the shipped examples with no mismatch', async () => {
    const run = await runPalisade(['test', 'examples/policy-tests'], { cwd: REPO });
    assert.equal(run.code, 0, run.stdout + run.stderr);
    assert.match(run.stdout, /(\d+) of \1 checks passed/);
  });

  it('exits 1 on a mismatch and reports it in JUnit', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'palisade-test-'));
    try {
      await cp(join(REPO, 'examples', 'policy-tests', 'restricted-namespaces'), dir, { recursive: true });
      const file = join(dir, 'palisade-test.yaml');
      // Expect the privileged pod to pass: a wrong expectation the tool must catch.
      const text = (await readFile(file, 'utf8')).replace(
        'resources: [Pod/prod/privileged]\n    result: fail',
        'resources: [Pod/prod/privileged]\n    result: pass',
      );
      await writeFile(file, text);
      const run = await runPalisade(['test', dir, '--format', 'junit']);
      assert.equal(run.code, 1);
      assert.match(run.stdout, /<testsuites name="palisade test" tests="\d+" failures="1">/);
      assert.match(run.stdout, /<failure message="expected pass, got fail">/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('exits 2 for a test file with mistakes, naming the line', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'palisade-test-'));
    try {
      await writeFile(
        join(dir, 'palisade-test.yaml'),
        'apiVersion: palisade.dev/v1alpha1\nkind: PolicyTest\nrules: [privileged-container]\nresources: [r.yaml]\nresults:\n  - rule: privileged-container\n    resource: Pod/default/x\n    result: maybe\n',
      );
      const run = await runPalisade(['test', dir]);
      assert.equal(run.code, 2);
      assert.match(
        run.stderr,
        /palisade-test\.yaml:8:\d+: results\.0\.result must be one of pass, fail, warn, audit, skip/,
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
