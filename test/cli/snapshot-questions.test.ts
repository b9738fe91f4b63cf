// `palisade rbac` and `palisade netpol` read cluster snapshots as `palisade scan` does: the same objects give the
// same answers from a snapshot as from files, and a snapshot's discovery scopes decide what a RoleBinding can grant.
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
