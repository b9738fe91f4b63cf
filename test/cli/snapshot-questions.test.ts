// `palisade rbac` and `palisade netpol` read cluster snapshots as `palisade scan` does: the same objects give the
// same answers from a snapshot as from files, and a snapshot's discovery scopes decide what a RoleBinding can grant.
// A snapshot's API server version is what `palisade scan` measures kubelet skew against.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments, stringify } from 'yaml';
import { runPalisade } from './cli-harness.ts';

const fixtures = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures');
const directory = mkdtempSync(join(tmpdir(), 'palisade-snapshot-questions-'));
after(() => rmSync(directory, { recursive: true, force: true }));

function snapshotOf(objects: unknown[], extra: Record<string, unknown> = {}): string {
  return JSON.stringify({
    apiVersion: 'palisade.dev/v1alpha1',
    kind: 'ClusterSnapshot',
    context: 'test',
    server: 'https://127.0.0.1:6443',
    takenAt: '2026-11-23T00:00:00Z',
    coverage: [],
    kubelets: [],
    discoveryFailures: [],
    ...extra,
    items: objects,
  });
}

function write(name: string, text: string): string {
  const path = join(directory, name);
  writeFileSync(path, text);
  return path;
}

function yamlObjects(...files: string[]): unknown[] {
  return files.flatMap((file) =>
    parseAllDocuments(readFileSync(file, 'utf8'))
      .map((document) => document.toJS() as unknown)
      .filter((object) => object !== null),
  );
}

describe('rbac on a snapshot', () => {
  const everything = {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRole',
    metadata: { name: 'everything' },
    rules: [{ apiGroups: ['example.com'], resources: ['*'], verbs: ['get'] }],
  };
  const binding = {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'RoleBinding',
    metadata: { name: 'carol', namespace: 'a' },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'everything' },
    subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: 'carol' }],
  };
  const ask = (input: string) =>
    runPalisade(['rbac', 'can', 'user:carol', 'get', 'widgets.example.com', '-n', 'a', input]);

  it('the scope discovery reported decides: a RoleBinding never grants a cluster-scoped custom resource', async () => {
    const clusterScoped = await ask(
      write(
        'cluster-scoped.json',
        snapshotOf([everything, binding], { resourceScopes: { 'widgets.example.com': 'Cluster' } }),
      ),
    );
    assert.equal(clusterScoped.code, 1, clusterScoped.stderr);
    assert.match(clusterScoped.stdout, /^no\b/);
    const namespaced = await ask(
      write(
        'namespaced.json',
        snapshotOf([everything, binding], { resourceScopes: { 'widgets.example.com': 'Namespaced' } }),
      ),
    );
    assert.equal(namespaced.code, 0, namespaced.stderr);
    assert.match(namespaced.stdout, /^yes\b/);
    assert.match(namespaced.stdout, /RoleBinding a\/carol/);
  });

  it('a snapshot written before scopes were kept reads as files without the CRD do', async () => {
    const old = await ask(write('old.json', snapshotOf([everything, binding])));
    const files = await ask(
      write('objects.yaml', [everything, binding].map((object) => stringify(object)).join('---\n')),
    );
    assert.equal(old.code, 0, old.stderr);
    assert.equal(files.code, 0, files.stderr);
  });

  it('a malformed scope makes the snapshot unreadable, named, with exit 3', async () => {
    const run = await ask(
      write(
        'bad.json',
        snapshotOf([everything, binding], { resourceScopes: { 'widgets.example.com': 'Global' } }),
      ),
    );
    assert.equal(run.code, 3);
    assert.match(
      run.stderr,
      /bad\.json: snapshot .*resourceScopes\.widgets\.example\.com must be Cluster or Namespaced/,
    );
  });
});

describe('scan on a snapshot: the API server version', () => {
  const node = {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name: 'worker' },
    status: { nodeInfo: { kubeletVersion: 'v1.33.7-eks-113cf36' } },
  };
  const skew = async (...snapshots: string[]) => {
    const run = await runPalisade(['scan', ...snapshots, '--rule', 'node-kubelet-version', '-f', 'json']);
    assert.ok(run.code <= 1, run.stderr);
    return (JSON.parse(run.stdout) as { findings: { message: string }[] }).findings
      .map((finding) => finding.message)
      .filter((message) => message.includes('behind'));
  };

  it("a managed cluster's kubelets are measured against its /version", async () => {
    assert.deepEqual(
      await skew(write('eks.json', snapshotOf([node], { serverVersion: 'v1.37.0-eks-e3d1a61' }))),
      [
        'node worker: kubelet v1.33.7-eks-113cf36 is 4 minor versions behind the API server (v1.37.0-eks-e3d1a61), beyond the skew policy',
      ],
    );
  });

  it('two clusters of different versions give no one version to measure against', async () => {
    const other = { ...node, metadata: { name: 'other' } };
    const findings = await skew(
      write('a.json', snapshotOf([node], { context: 'a', serverVersion: 'v1.37.0' })),
      write('b.json', snapshotOf([other], { context: 'b', serverVersion: 'v1.36.0' })),
    );
    assert.deepEqual(findings, []);
  });
});

describe('netpol on a snapshot', () => {
  it('answers as for the same objects in files', async () => {
    const shop = join(fixtures, 'netpol', 'shop');
    const files = ['namespaces.yaml', 'workloads.yaml', 'policies.yaml'].map((name) => join(shop, name));
    const snapshot = write('shop.json', snapshotOf(yamlObjects(...files)));
    const fromFiles = await runPalisade(['netpol', 'matrix', ...files, '-f', 'json']);
    const fromSnapshot = await runPalisade(['netpol', 'matrix', snapshot, '-f', 'json']);
    assert.equal(fromFiles.code, 0, fromFiles.stderr);
    assert.equal(fromSnapshot.code, 0, fromSnapshot.stderr);
    assert.ok(fromSnapshot.stdout.length > 100);
    assert.deepEqual(JSON.parse(fromSnapshot.stdout), JSON.parse(fromFiles.stdout));
  });
});

// A snapshot taken by an identity that may not list some kind says so in its coverage. The answer is in doubt only
// when it reads that kind: the commands record which kinds their answer asked for.
describe('kinds a snapshot could not list', () => {
  const forbidden = (kind: string, resource: string) => ({
    coverage: [{ kind, apiVersion: 'v1', resource, status: 'forbidden', reason: 'secrets is forbidden' }],
  });
  const role = {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'Role',
    metadata: { name: 'reader', namespace: 'a' },
    rules: [{ apiGroups: [''], resources: ['pods'], verbs: ['get'] }],
  };
  const binding = {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'RoleBinding',
    metadata: { name: 'reader', namespace: 'a' },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'reader' },
    subjects: [{ kind: 'ServiceAccount', name: 'app', namespace: 'a' }],
  };
  const withoutSecrets = () =>
    write('no-secrets.json', snapshotOf([role, binding], forbidden('Secret', 'secrets')));

  it('rbac can and who-can: Secrets not listed do not make the answer incomplete, and the warning says why', async () => {
    const can = await runPalisade(['rbac', 'can', 'sa:a/app', 'get', 'pods', '-n', 'a', withoutSecrets()]);
    assert.equal(can.code, 0, can.stderr);
    assert.match(can.stdout, /^yes\b/);
    assert.match(
      can.stderr,
      /^warning: cluster:test: Secret \(v1 secrets\) not scanned: forbidden \(secrets is forbidden\); this answer does not read Secret objects$/m,
    );
    const who = await runPalisade(['rbac', 'who-can', 'get', 'pods', '-n', 'a', withoutSecrets()]);
    assert.equal(who.code, 0, who.stderr);
  });

  it('rbac paths reads Secrets (token Secrets are a path): the same snapshot is incomplete there', async () => {
    const paths = await runPalisade(['rbac', 'paths', withoutSecrets()]);
    assert.equal(paths.code, 3, paths.stderr);
    assert.match(paths.stderr, /^error: cluster:test: Secret \(v1 secrets\) not scanned: forbidden/m);
  });

  it('rbac: RoleBindings not listed leave the answer incomplete (exit 3)', async () => {
    const run = await runPalisade([
      'rbac',
      'can',
      'sa:a/app',
      'get',
      'pods',
      '-n',
      'a',
      write(
        'no-bindings.json',
        snapshotOf([role], {
          coverage: [
            {
              kind: 'RoleBinding',
              apiVersion: 'rbac.authorization.k8s.io/v1',
              resource: 'rolebindings',
              status: 'forbidden',
            },
          ],
        }),
      ),
    ]);
    assert.equal(run.code, 3, run.stderr);
    assert.match(run.stderr, /^error: cluster:test: RoleBinding .* not scanned: forbidden$/m);
  });

  it('netpol: Secrets not listed do not matter, Pods not listed do', async () => {
    const shop = join(fixtures, 'netpol', 'shop');
    const objects = yamlObjects(
      ...['namespaces.yaml', 'workloads.yaml', 'policies.yaml'].map((name) => join(shop, name)),
    );
    const secrets = await runPalisade([
      'netpol',
      'matrix',
      write('shop-no-secrets.json', snapshotOf(objects, forbidden('Secret', 'secrets'))),
    ]);
    assert.equal(secrets.code, 0, secrets.stderr);
    assert.match(
      secrets.stderr,
      /Secret \(v1 secrets\) not scanned: .*this answer does not read Secret objects/,
    );
    const pods = await runPalisade([
      'netpol',
      'matrix',
      write('shop-no-pods.json', snapshotOf(objects, forbidden('Pod', 'pods'))),
    ]);
    // Nodes are read only to learn the address family of host-network traffic meeting an ipBlock: none here.
    const nodes = await runPalisade([
      'netpol',
      'matrix',
      write('shop-no-nodes.json', snapshotOf(objects, forbidden('Node', 'nodes'))),
    ]);
    assert.equal(nodes.code, 0, nodes.stderr);
    // Policy kinds the analysis does not evaluate still change answers: one not listed leaves the answer in doubt.
    const admin = await runPalisade([
      'netpol',
      'matrix',
      write(
        'shop-no-anp.json',
        snapshotOf(objects, {
          coverage: [
            {
              kind: 'AdminNetworkPolicy',
              apiVersion: 'policy.networking.k8s.io/v1alpha1',
              resource: 'adminnetworkpolicies',
              status: 'forbidden',
            },
          ],
        }),
      ),
    ]);
    assert.equal(admin.code, 3, admin.stderr);
    assert.match(admin.stderr, /error: AdminNetworkPolicy .* not scanned: forbidden/);
    assert.equal(pods.code, 3, pods.stderr);
    assert.match(pods.stderr, /error: Pod \(v1 pods\) not scanned: forbidden/);
    assert.match(pods.stderr, /some inputs could not be read completely/);
  });
});

describe('Nodes a snapshot could not list', () => {
  const deployment = (name: string, hostNetwork: boolean) => ({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: 'shop' },
    spec: {
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: { hostNetwork, containers: [{ name: 'c', image: 'x:1' }] },
      },
    },
  });
  const fromEverywhere = {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name: 'db', namespace: 'shop' },
    spec: {
      podSelector: { matchLabels: { app: 'db' } },
      ingress: [{ from: [{ ipBlock: { cidr: '0.0.0.0/0' } }] }],
    },
  };

  it('matter when a host-network pod meets an ipBlock: the address family of node traffic is unknown', async () => {
    const run = await runPalisade([
      'netpol',
      'can-reach',
      'Deployment/shop/agent',
      'Deployment/shop/db',
      write(
        'agent-no-nodes.json',
        snapshotOf([deployment('agent', true), deployment('db', false), fromEverywhere], {
          coverage: [{ kind: 'Node', apiVersion: 'v1', resource: 'nodes', status: 'forbidden' }],
        }),
      ),
    ]);
    assert.equal(run.code, 3, run.stderr);
    assert.match(run.stderr, /error: Node \(v1 nodes\) not scanned: forbidden/);
  });
});
