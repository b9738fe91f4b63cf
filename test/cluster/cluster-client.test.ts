// The cluster client against the replay server serving this repo's own recorded-format fixture, over real TLS.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { KubeApiClient } from '../../src/cluster/api-client.ts';
import type { ClusterConnection } from '../../src/cluster/connection.ts';
import { discover } from '../../src/cluster/discovery.ts';
import { fetchClusterSnapshot } from '../../src/cluster/fetch-cluster.ts';
import { listResource } from '../../src/cluster/list-resource.ts';
import { REDACTED_ANNOTATION } from '../../src/cluster/sanitize.ts';
import { snapshotInventory } from '../../src/cluster/snapshot-inventory.ts';
import { ADMIN_TOKEN, FIXTURE_DIR, REVOKED_TOKEN, TLS, TOKENS } from './replay-fixtures.ts';
import { ReplayServer, readRecordings } from './replay-server.ts';

const KINDS = ['Namespace', 'Node', 'Pod', 'Secret', 'ConfigMap', 'Deployment', 'ReplicaSet', 'Ingress'];
let server: ReplayServer;

function connection(overrides: Partial<ClusterConnection> = {}): ClusterConnection {
  return {
    context: 'fixture',
    server: server.url,
    ca: TLS.ca,
    token: ADMIN_TOKEN,
    insecureSkipTlsVerify: false,
    ...overrides,
  };
}

async function withClient<T>(
  conn: ClusterConnection,
  run: (client: KubeApiClient) => Promise<T>,
): Promise<T> {
  const client = new KubeApiClient(conn, { maxSockets: 3 });
  try {
    return await run(client);
  } finally {
    client.close();
  }
}

before(async () => {
  server = await ReplayServer.start({
    recordings: readRecordings(join(FIXTURE_DIR, 'small-cluster.jsonl')),
    tokens: TOKENS,
    clientCertificates: { admin: 'admin' },
    tls: TLS,
  });
});
after(() => server.close());

describe('TLS and credentials', () => {
  test('a server certificate from another CA is refused, naming the reason', async () => {
    await assert.rejects(
      withClient(connection({ ca: TLS.otherCa }), (client) => client.get('/version')),
      (error: Error) => /certificate/i.test(error.message) && error.message.includes(server.url),
    );
  });

  test('without a CA the system roots apply, and the test CA is not among them', async () => {
    const { ca: _ca, ...withoutCa } = connection();
    await assert.rejects(withClient(withoutCa, (client) => client.get('/version')));
  });

  test('insecure-skip-tls-verify skips verification only when asked', async () => {
    const response = await withClient(
      connection({ ca: TLS.otherCa, insecureSkipTlsVerify: true }),
      (client) => client.get('/version'),
    );
    assert.equal(response.status, 200);
  });

  test('a client certificate authenticates without a token', async () => {
    const { token: _token, ...noToken } = connection();
    const response = await withClient({ ...noToken, cert: TLS.clientCert, key: TLS.clientKey }, (client) =>
      client.get('/version'),
    );
    assert.equal(response.status, 200);
    assert.deepEqual((response.body as { gitVersion: string }).gitVersion, 'v1.31.2');
  });

  test('credentials a request cannot carry are a configuration error naming the context, never shown', () => {
    const cases: [Partial<ClusterConnection>, RegExp][] = [
      [{ token: 'tok-s3cr3t\nx' }, /context fixture: the bearer token contains a line break/],
      [
        { impersonate: { user: 'a', groups: ['g\r\nX: s3cr3t'] } },
        /impersonated group 1 contains a line break/,
      ],
      [
        { cert: Buffer.from('not pem s3cr3t'), key: Buffer.from('s3cr3t') },
        /the client certificate and key are not usable/,
      ],
    ];
    for (const [overrides, message] of cases)
      assert.throws(
        () => new KubeApiClient(connection(overrides)).close(),
        (error: Error) =>
          error.name === 'PalisadeError' && message.test(error.message) && !error.message.includes('s3cr3t'),
      );
  });
});

describe('discovery and listing', () => {
  test('discovery skips subresources and reports the aggregated API that answered 503', async () => {
    const discovery = await withClient(connection(), (client) => discover(client, 2));
    assert.equal(discovery.serverVersion, 'v1.31.2');
    const names = discovery.resources.map((resource) => `${resource.groupVersion}/${resource.resource}`);
    assert.ok(names.includes('v1/pods') && names.includes('apps/v1/deployments'));
    assert.ok(!names.some((name) => name.includes('/proxy') || name.endsWith('/log')));
    assert.deepEqual(discovery.failures, [
      { groupVersion: 'metrics.k8s.io/v1beta1', reason: 'HTTP 503: service unavailable' },
    ]);
  });

  test('paging follows continue tokens and gives items their apiVersion and kind', async () => {
    const outcome = await withClient(connection(), (client) =>
      listResource(
        client,
        {
          group: '',
          version: 'v1',
          groupVersion: 'v1',
          resource: 'pods',
          kind: 'Pod',
          namespaced: true,
          verbs: ['list'],
        },
        { pageSize: 2 },
      ),
    );
    assert.equal(outcome.status, 'listed');
    if (outcome.status !== 'listed') return;
    assert.equal(outcome.pages, 2);
    assert.deepEqual(
      outcome.items.map((item) => [item.apiVersion, item.kind, item.metadata.name]),
      [
        ['v1', 'Pod', 'kube-apiserver-node-a'],
        ['v1', 'Pod', 'web-5d9c7-abcde'],
        ['v1', 'Pod', 'debug'],
      ],
    );
  });

  test('a throttled list (429 Too Many Requests) is retried as the server asks', async () => {
    const key = 'admin GET /apis/apps/v1/deployments?limit=2';
    const before = server.served.filter((served) => served === key).length;
    const outcome = await withClient(connection(), (client) =>
      listResource(
        client,
        {
          group: 'apps',
          version: 'v1',
          groupVersion: 'apps/v1',
          resource: 'deployments',
          kind: 'Deployment',
          namespaced: true,
          verbs: ['list'],
        },
        { pageSize: 2 },
      ),
    );
    assert.equal(outcome.status, 'listed');
    assert.equal(server.served.filter((served) => served === key).length - before, 2);
  });

  test('an expired continue token (410) restarts the list, which then completes', async () => {
    const outcome = await withClient(connection(), (client) =>
      listResource(
        client,
        {
          group: '',
          version: 'v1',
          groupVersion: 'v1',
          resource: 'configmaps',
          kind: 'ConfigMap',
          namespaced: true,
          verbs: ['list'],
        },
        { pageSize: 2 },
      ),
    );
    assert.equal(outcome.status, 'listed');
    if (outcome.status !== 'listed') return;
    assert.equal(outcome.restarts, 1);
    // Items of the abandoned first pass are not kept twice.
    assert.deepEqual(
      outcome.items.map((item) => item.metadata.name),
      ['kube-root-ca.crt', 'kubelet-config', 'settings'],
    );
  });

  test('a snapshot records forbidden kinds with the server reason, and what is not served', async () => {
    const snapshot = await withClient(connection(), (client) =>
      fetchClusterSnapshot(client, { kinds: KINDS, pageSize: 2, now: new Date('2026-11-22T12:00:00Z') }),
    );
    const byKind = new Map(snapshot.coverage.map((entry) => [entry.kind, entry]));
    assert.equal(byKind.get('Secret')?.status, 'forbidden');
    assert.match(byKind.get('Secret')?.reason ?? '', /403 Forbidden: secrets is forbidden: User/);
    assert.equal(byKind.get('Ingress')?.status, 'not-served');
    assert.equal(byKind.get('Pod')?.count, 3);
    assert.equal(snapshot.serverVersion, 'v1.31.2');
    const { issues } = snapshotInventory(snapshot);
    const errors = issues.filter((issue) => issue.severity === 'error').map((issue) => issue.message);
    assert.equal(errors.length, 1);
    assert.match(errors[0] ?? '', /^Secret \(v1 secrets\) not scanned: forbidden/);
    assert.deepEqual(server.misses, []);
  });

  test('kubelet configurations: one node read (credentials removed), one unreachable, both reported', async () => {
    const snapshot = await withClient(connection(), (client) =>
      fetchClusterSnapshot(client, { kinds: KINDS, pageSize: 2, now: new Date() }),
    );
    assert.deepEqual(
      snapshot.kubelets.map((kubelet) => [kubelet.node, kubelet.status]),
      [
        ['node-a', 'read'],
        ['node-b', 'failed'],
      ],
    );
    const config = snapshot.items.find((item) => item.kind === 'KubeletConfiguration');
    assert.equal(config?.metadata.name, 'node-a');
    assert.ok(!JSON.stringify(snapshot).includes('static-pod-secret'));
    const { entries, notices } = snapshotInventory(snapshot);
    // node-b's configuration is unknown: kubeadm's ConfigMap stands in, and the notice says so.
    const derived = entries
      .filter((entry) => entry.ref.kind === 'KubeletConfiguration')
      .map((e) => e.ref.name);
    assert.deepEqual(derived, ['node-a', 'kubelet-config']);
    assert.equal(notices.length, 1);
    assert.match(notices[0]?.message ?? '', /node-b.*connection refused.*kube-system\/kubelet-config/);
  });

  test('managedFields and last-applied copies are dropped; owned pods and ReplicaSets are left to their owners', async () => {
    const snapshot = await withClient(connection(), (client) =>
      fetchClusterSnapshot(client, { kinds: KINDS, pageSize: 2, now: new Date(), kubeletConfig: false }),
    );
    const text = JSON.stringify(snapshot);
    assert.ok(!text.includes('managedFields') && !text.includes('last-applied-configuration'));
    const { entries, ownedSkipped } = snapshotInventory(snapshot);
    const names = entries.map((entry) => `${entry.ref.kind}/${entry.ref.name}`);
    assert.equal(ownedSkipped, 2);
    assert.ok(!names.includes('Pod/web-5d9c7-abcde') && !names.includes('ReplicaSet/web-5d9c7'));
    // The mirror pod is owned by its Node, which is not a controller of its template: it is kept.
    assert.ok(names.includes('Pod/kube-apiserver-node-a') && names.includes('Deployment/web'));
    const all = snapshotInventory(snapshot, { includeOwned: true });
    assert.equal(all.entries.length, entries.length + 2);
    assert.equal(REDACTED_ANNOTATION, 'palisade.dev/values-removed');
  });

  test('a revoked token fails the whole read with a clear error, never printing the token', async () => {
    await assert.rejects(
      withClient(connection({ token: REVOKED_TOKEN }), (client) =>
        fetchClusterSnapshot(client, { kinds: KINDS, now: new Date() }),
      ),
      (error: Error) =>
        /credentials were refused \(401 Unauthorized\) on \/version/.test(error.message) &&
        !error.message.includes(REVOKED_TOKEN),
    );
  });

  test('the replay server answers an unrecorded request with 501 and counts it, inventing nothing', async () => {
    const before = server.misses.length;
    const response = await withClient(connection({ token: 'never-recorded' }), (client) =>
      client.get('/version'),
    );
    assert.equal(response.status, 501);
    assert.equal(server.misses.length, before + 1);
    server.misses.splice(before);
  });
});
