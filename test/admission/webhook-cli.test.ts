// `palisade webhook certs|manifests` and `palisade test` through the CLI, in-process.
import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { chmod, cp, mkdir, mkdtemp, readdir, readFile, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments } from 'yaml';
import { runPalisade } from '../cli/cli-harness.ts';

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const IMAGE =
  'ghcr.io/palisade-dev/palisade:0.1.0@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef';
/** What a strict install gives: an image pinned by digest and the API server's address. */
const STRICT = ['--image', IMAGE, '--apiserver-cidr', '10.0.0.10'];
/** `webhook manifests` for the certificates the first test issues (for namespace guard). */
const MANIFESTS = ['webhook', 'manifests', '--cert-dir', 'certs', '--namespace', 'guard'];

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

  it('narrows existing key files to 0600 when it overwrites them (fresh CA and --reuse-ca)', async () => {
    const out = join(dir, 'pre-existing');
    await mkdir(out, { recursive: true });
    for (const file of ['tls.key', 'ca.key']) {
      await writeFile(join(out, file), 'old world-readable content\n', { mode: 0o644 });
      await chmod(join(out, file), 0o644);
    }
    const run = await runPalisade(['webhook', 'certs', '--out', out], { cwd: dir });
    assert.equal(run.code, 0, run.stderr);
    for (const file of ['tls.key', 'ca.key']) {
      assert.equal((await stat(join(out, file))).mode & 0o777, 0o600, file);
      assert.match(await readFile(join(out, file), 'utf8'), /BEGIN PRIVATE KEY/);
    }
    await chmod(join(out, 'tls.key'), 0o644);
    const rotate = await runPalisade(['webhook', 'certs', '--out', out, '--reuse-ca'], { cwd: dir });
    assert.equal(rotate.code, 0, rotate.stderr);
    assert.equal((await stat(join(out, 'tls.key'))).mode & 0o777, 0o600);
    // No temporary file is left behind.
    assert.deepEqual((await readdir(out)).sort(), ['ca.crt', 'ca.key', 'tls.crt', 'tls.key']);
  });

  it('writes manifests that pass `palisade scan` with every rule, and pss-restricted, with zero findings', async () => {
    const run = await runPalisade([...MANIFESTS, ...STRICT, '-o', 'install.yaml'], { cwd: dir });
    assert.equal(run.code, 0, run.stderr);
    assert.equal(run.stderr, '');
    // Every rule of every framework: the project's own deployment passes its own strictest checks.
    const all = await runPalisade(['scan', '--no-config', 'install.yaml'], { cwd: dir });
    assert.equal(all.code, 0, all.stdout);
    assert.match(all.stdout, /No findings/);
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
    assert.equal(deployment.spec.template.spec.containers[0].image, IMAGE);
    const policies = objects.filter((object) => object.kind === 'NetworkPolicy');
    const deny = policies.find((object) => object.metadata.name === 'palisade-webhook-default-deny');
    assert.deepEqual(deny.spec, { podSelector: {}, policyTypes: ['Ingress', 'Egress'] });
    const own = policies.find((object) => object.metadata.name === 'palisade-webhook');
    assert.deepEqual(own.spec.ingress, [
      { from: [{ ipBlock: { cidr: '10.0.0.10/32' } }], ports: [{ port: 8443, protocol: 'TCP' }] },
    ]);
    // The default policy does not read namespace labels: no egress at all, not even DNS.
    assert.deepEqual(own.spec.egress, []);
    assert.ok(
      objects.some((object) => object.kind === 'LimitRange' && object.metadata.namespace === 'guard'),
    );
    const quota = objects.find((object) => object.kind === 'ResourceQuota');
    assert.equal(quota.metadata.namespace, 'guard');
    assert.equal(quota.spec.hard.pods, '5');
  });

  it('allows egress only to the API server when the policy reads namespace labels', async () => {
    await writeFile(
      join(dir, 'labels.yaml'),
      'apiVersion: palisade.dev/v1alpha1\nkind: AdmissionPolicy\nnamespaceLabels: true\n',
    );
    const run = await runPalisade(
      [
        ...MANIFESTS,
        '--policy',
        'labels.yaml',
        '--image',
        IMAGE,
        '--apiserver-cidr',
        '192.0.2.0/28',
        '--apiserver-cidr',
        '2001:db8::1',
        '-o',
        'labels-install.yaml',
      ],
      { cwd: dir },
    );
    assert.equal(run.code, 0, run.stderr);
    const scan = await runPalisade(['scan', '--no-config', 'labels-install.yaml'], { cwd: dir });
    assert.equal(scan.code, 0, scan.stdout);
    const objects = parseAllDocuments(await readFile(join(dir, 'labels-install.yaml'), 'utf8')).map((doc) =>
      doc.toJS(),
    );
    const own = objects.find(
      (object) => object.kind === 'NetworkPolicy' && object.metadata.name === 'palisade-webhook',
    );
    const peers = [{ ipBlock: { cidr: '192.0.2.0/28' } }, { ipBlock: { cidr: '2001:db8::1/128' } }];
    assert.deepEqual(own.spec.ingress[0].from, peers);
    assert.deepEqual(own.spec.egress, [
      {
        to: peers,
        ports: [
          { port: 443, protocol: 'TCP' },
          { port: 6443, protocol: 'TCP' },
        ],
      },
    ]);
  });

  it('defaults to failurePolicy Fail', async () => {
    const run = await runPalisade([...MANIFESTS, ...STRICT], { cwd: dir });
    assert.equal(run.code, 0, run.stderr);
    const objects = parseAllDocuments(run.stdout).map((doc) => doc.toJS());
    for (const kind of ['ValidatingWebhookConfiguration', 'MutatingWebhookConfiguration'])
      assert.equal(objects.find((object) => object.kind === kind).webhooks[0].failurePolicy, 'Fail', kind);
  });

  it('refuses an image not pinned by digest unless --allow-unpinned-image, which the scan then reports', async () => {
    const refused = await runPalisade([...MANIFESTS, '--apiserver-cidr', '10.0.0.10'], { cwd: dir });
    assert.equal(refused.code, 2);
    assert.match(refused.stderr, /palisade:0\.1\.0 is not pinned by digest/);
    // A malformed digest is no pin, and the message says what is wrong with it.
    const malformed = await runPalisade(
      [...MANIFESTS, '--apiserver-cidr', '10.0.0.10', '--image', 'registry.example.com/palisade@sha256:abc'],
      { cwd: dir },
    );
    assert.equal(malformed.code, 2);
    assert.match(malformed.stderr, /not a valid image reference: digest "sha256:abc" is malformed/);
    const allowed = await runPalisade(
      [
        ...MANIFESTS,
        '--apiserver-cidr',
        '10.0.0.10',
        '--image',
        'registry.example.com/palisade:1.2',
        '--allow-unpinned-image',
        '-o',
        'unpinned.yaml',
      ],
      { cwd: dir },
    );
    assert.equal(allowed.code, 0, allowed.stderr);
    assert.match(allowed.stderr, /not pinned by digest \(--allow-unpinned-image\)/);
    const scan = await runPalisade(['scan', '--no-config', '--format', 'json', 'unpinned.yaml'], {
      cwd: dir,
    });
    const rules = JSON.parse(scan.stdout).findings.map((finding: { ruleId: string }) => finding.ruleId);
    assert.deepEqual(rules, ['image-not-pinned-by-digest']);
  });

  it('needs the API server address unless --allow-unrestricted-network, which the scan then reports', async () => {
    const refused = await runPalisade([...MANIFESTS, '--image', IMAGE], {
      cwd: dir,
    });
    assert.equal(refused.code, 2);
    assert.match(refused.stderr, /needs --apiserver-cidr/);
    for (const [cidr, message] of [
      ['10.0.0.1/8', /host bits set/],
      ['0.0.0.0/0', /every address/],
      ['not-an-address', /not an IP address or CIDR/],
    ] as const) {
      const bad = await runPalisade([...MANIFESTS, '--image', IMAGE, '--apiserver-cidr', cidr], { cwd: dir });
      assert.equal(bad.code, 2, cidr);
      assert.match(bad.stderr, message);
    }
    const open = await runPalisade(
      [...MANIFESTS, '--image', IMAGE, '--allow-unrestricted-network', '-o', 'open.yaml'],
      { cwd: dir },
    );
    assert.equal(open.code, 0, open.stderr);
    assert.match(open.stderr, /port 8443 admits every source/);
    const scan = await runPalisade(['scan', '--no-config', '--format', 'json', 'open.yaml'], { cwd: dir });
    const rules = JSON.parse(scan.stdout).findings.map((finding: { ruleId: string }) => finding.ruleId);
    assert.deepEqual(rules, ['network-policy-allows-all']);
  });

  it('refuses failurePolicy Fail with fewer than 3 replicas', async () => {
    const run = await runPalisade([...MANIFESTS, ...STRICT, '--replicas', '2'], { cwd: dir });
    assert.equal(run.code, 2);
    assert.match(run.stderr, /at least 3 replicas/);
    const ignore = await runPalisade(
      [...MANIFESTS, ...STRICT, '--replicas', '2', '--failure-policy', 'Ignore'],
      { cwd: dir },
    );
    assert.equal(ignore.code, 0, ignore.stderr);
  });

  it("refuses a namespace the cluster's own pods share, and a Service name that is not a DNS-1035 label", async () => {
    const cert = ['webhook', 'manifests', '--cert-dir', 'certs', ...STRICT];
    for (const namespace of ['kube-system', 'default', 'kube-public', 'kube-node-lease']) {
      const run = await runPalisade([...cert, '--namespace', namespace], { cwd: dir });
      assert.equal(run.code, 2, namespace);
      assert.match(run.stderr, new RegExp(`--namespace ${namespace} is shared with the cluster's own pods`));
      assert.equal(run.stdout, '');
    }
    const run = await runPalisade([...MANIFESTS, ...STRICT, '--name', '9webhook'], { cwd: dir });
    assert.equal(run.code, 2);
    assert.match(run.stderr, /--name names a Service, so it must be a DNS-1035 label/);
    const certs = await runPalisade(['webhook', 'certs', '--out', 'c9', '--service', '9webhook'], {
      cwd: dir,
    });
    assert.equal(certs.code, 2);
  });

  it('registers the webhook only for what the policy checks', async () => {
    await writeFile(
      join(dir, 'images.yaml'),
      'apiVersion: palisade.dev/v1alpha1\nkind: AdmissionPolicy\ndefaults: {}\nimages: { allowedRegistries: [registry.example.com] }\nmutation: { rules: [] }\n',
    );
    const run = await runPalisade([...MANIFESTS, ...STRICT, '--policy', 'images.yaml'], { cwd: dir });
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

  it('registers user-written kinds its rules check, and says why others are left out', async () => {
    await writeFile(
      join(dir, 'audit.yaml'),
      'apiVersion: palisade.dev/v1alpha1\nkind: AdmissionPolicy\ndefaults: { enforce: { level: baseline }, audit: { frameworks: [nsa-cisa, cis-k8s] } }\n',
    );
    const run = await runPalisade([...MANIFESTS, ...STRICT, '--policy', 'audit.yaml'], { cwd: dir });
    assert.equal(run.code, 0, run.stderr);
    const objects = parseAllDocuments(run.stdout).map((doc) => doc.toJS());
    const rules = objects.find((object) => object.kind === 'ValidatingWebhookConfiguration').webhooks[0]
      .rules as { resources: string[] }[];
    const resources = rules.flatMap((rule) => rule.resources);
    for (const resource of ['poddisruptionbudgets', 'horizontalpodautoscalers', 'pods'])
      assert.ok(resources.includes(resource), resource);
    for (const resource of ['nodes', 'endpoints', 'endpointslices', 'validatingwebhookconfigurations'])
      assert.ok(!resources.includes(resource), resource);
    assert.match(
      run.stderr,
      /not registered for .*ValidatingWebhookConfiguration.*: the API server never sends/,
    );
    assert.match(run.stderr, /not registered for Node .*: written by kubelets/);
    assert.doesNotMatch(run.stderr, /PodDisruptionBudget|HorizontalPodAutoscaler|unknown API resource/);
    // Shared arrays are written out, not as YAML anchors and aliases.
    assert.doesNotMatch(run.stdout, /[&*]a\d/);
  });

  it('checks the certificate directory: a CA that is not one, a certificate for another service, a foreign key', async () => {
    const manifests = (certDir: string, ...extra: string[]) =>
      runPalisade(
        ['webhook', 'manifests', '--cert-dir', certDir, '--namespace', 'guard', ...STRICT, ...extra],
        {
          cwd: dir,
        },
      );
    await mkdir(join(dir, 'garbage'));
    await writeFile(join(dir, 'garbage', 'ca.crt'), 'garbage\n');
    const garbage = await manifests('garbage');
    assert.equal(garbage.code, 2, garbage.stderr);
    assert.match(garbage.stderr, /ca\.crt is not a PEM certificate/);
    assert.equal(garbage.stdout, '');

    // The default certificates are for palisade-webhook.palisade.svc, not palisade-webhook.guard.svc.
    assert.equal((await runPalisade(['webhook', 'certs', '--out', 'other'], { cwd: dir })).code, 0);
    const other = await manifests('other');
    assert.equal(other.code, 2, other.stderr);
    assert.match(other.stderr, /tls\.crt does not cover palisade-webhook\.guard\.svc/);

    await cp(join(dir, 'certs'), join(dir, 'mixed'), { recursive: true });
    await cp(join(dir, 'other', 'tls.key'), join(dir, 'mixed', 'tls.key'));
    const mixed = await manifests('mixed', '--include-secret');
    assert.equal(mixed.code, 2, mixed.stderr);
    assert.match(mixed.stderr, /tls\.key is not the private key of tls\.crt/);

    await cp(join(dir, 'certs'), join(dir, 'foreign'), { recursive: true });
    await cp(join(dir, 'other', 'ca.crt'), join(dir, 'foreign', 'ca.crt'));
    const foreign = await manifests('foreign');
    assert.equal(foreign.code, 2, foreign.stderr);
    assert.match(foreign.stderr, /tls\.crt was not issued by ca\.crt/);

    // What the API server accepts is accepted: a CA bundle during rotation, a wildcard for the leftmost label.
    await cp(join(dir, 'certs'), join(dir, 'bundle'), { recursive: true });
    await writeFile(
      join(dir, 'bundle', 'ca.crt'),
      `${await readFile(join(dir, 'other', 'ca.crt'), 'utf8')}${await readFile(join(dir, 'certs', 'ca.crt'), 'utf8')}`,
    );
    const bundle = await manifests('bundle');
    assert.equal(bundle.code, 0, bundle.stderr);
    const wildcard = await runPalisade(
      ['webhook', 'certs', '--out', 'wild', '--service', 'x', '--namespace', 'y', '--san', '*.guard.svc'],
      { cwd: dir },
    );
    assert.equal(wildcard.code, 0, wildcard.stderr);
    const wild = await manifests('wild');
    assert.equal(wild.code, 0, wild.stderr);

    const soon = await runPalisade(
      ['webhook', 'certs', '--out', 'soon', '--namespace', 'guard', '--days', '2'],
      { cwd: dir },
    );
    assert.equal(soon.code, 0, soon.stderr);
    const expiring = await manifests('soon');
    assert.equal(expiring.code, 0, expiring.stderr);
    assert.match(expiring.stderr, /the serving certificate tls\.crt expires in 1 day\(s\)/);
  });

  it('reports an invalid policy with file, line and column', async () => {
    await writeFile(
      join(dir, 'bad.yaml'),
      'apiVersion: palisade.dev/v1alpha1\nkind: AdmissionPolicy\ndefaults:\n  enforce: { level: strict }\n',
    );
    const run = await runPalisade([...MANIFESTS, ...STRICT, '--policy', 'bad.yaml'], { cwd: dir });
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

  it('exits 2 for an UPDATE resource without its old object, naming it', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'palisade-test-'));
    try {
      const pod = (name: string) =>
        `apiVersion: v1\nkind: Pod\nmetadata: {name: ${name}}\nspec: {containers: [{name: a, image: b}]}\n`;
      await writeFile(join(dir, 'r.yaml'), pod('x'));
      await writeFile(join(dir, 'old.yaml'), pod('other'));
      await writeFile(
        join(dir, 'palisade-test.yaml'),
        'apiVersion: palisade.dev/v1alpha1\nkind: PolicyTest\nrules: [privileged-container]\noperation: UPDATE\nresources: [r.yaml]\noldResources: [old.yaml]\nresults:\n  - { rule: privileged-container, resource: Pod/default/x, result: pass }\n',
      );
      const run = await runPalisade(['test', dir]);
      assert.equal(run.code, 2, run.stderr);
      assert.match(run.stderr, /Pod\/default\/x has no old object in oldResources/);
      assert.equal(run.stdout, '');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('exits 2 for an unknown rule id and for files outside the test directory, reading none of them', async () => {
    const parent = await mkdtemp(join(tmpdir(), 'palisade-test-'));
    const dir = join(parent, 'suite');
    try {
      await mkdir(dir);
      await writeFile(join(parent, 'outside.yaml'), 'apiVersion: v1\nkind: Pod\nmetadata: {name: x}\n');
      await symlink(join(parent, 'outside.yaml'), join(dir, 'link.yaml'));
      await writeFile(
        join(dir, 'palisade-test.yaml'),
        [
          'apiVersion: palisade.dev/v1alpha1',
          'kind: PolicyTest',
          'rules: [privileged-container]',
          'resources: [../outside.yaml, /etc/passwd, link.yaml]',
          'results:',
          '  - rule: privileged-containr',
          '    resource: Pod/default/x',
          '    result: skip',
          '',
        ].join('\n'),
      );
      const run = await runPalisade(['test', dir]);
      assert.equal(run.code, 2, run.stdout + run.stderr);
      assert.match(
        run.stderr,
        /palisade-test\.yaml:4:\d+: "\.\.\/outside\.yaml" is outside the test's directory/,
      );
      assert.match(run.stderr, /"\/etc\/passwd" is outside the test's directory/);
      assert.match(run.stderr, /"link\.yaml" is outside the test's directory/);
      assert.match(run.stderr, /palisade-test\.yaml:6:\d+: unknown rule "privileged-containr"/);
    } finally {
      await rm(parent, { recursive: true, force: true });
    }
  });
});
