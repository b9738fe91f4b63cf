// A group whose discovery fails hides its kinds: they are reported as not read (an error), never as "not served",
// and a custom resource that reuses a built-in kind's name (Longhorn's Node) is never listed in its place.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { KubeApiClient } from '../../src/cluster/api-client.ts';
import { fetchClusterSnapshot } from '../../src/cluster/fetch-cluster.ts';
import { snapshotInventory } from '../../src/cluster/snapshot-inventory.ts';
import { ADMIN_TOKEN, TLS, TOKENS } from './replay-fixtures.ts';
import { type Recording, ReplayServer } from './replay-server.ts';

function record(path: string, body: unknown, status = 200, query: Record<string, string> = {}): Recording {
  return {
    request: { method: 'GET', path, query, identity: 'admin' },
    response: { status, headers: { 'content-type': 'application/json' }, body },
  };
}

const unavailable = {
  kind: 'Status',
  apiVersion: 'v1',
  status: 'Failure',
  message: 'the server is currently unable to handle the request',
  reason: 'ServiceUnavailable',
  code: 503,
};

const resource = (name: string, kind: string, namespaced: boolean) => ({
  name,
  kind,
  namespaced,
  verbs: ['get', 'list', 'watch'],
});

let server: ReplayServer;

before(async () => {
  server = await ReplayServer.start({
    tokens: TOKENS,
    tls: TLS,
    recordings: [
      record('/version', { major: '1', minor: '31', gitVersion: 'v1.31.2' }),
      record('/api', { kind: 'APIVersions', versions: ['v1'] }),
      record('/apis', {
        kind: 'APIGroupList',
        groups: ['apps', 'longhorn.io'].map((name) => ({
          name,
          preferredVersion: { groupVersion: `${name}/v1`, version: 'v1' },
        })),
      }),
      // The core group's discovery fails, as an API server under load can answer.
      record('/api/v1', unavailable, 503),
      record('/apis/apps/v1', {
        kind: 'APIResourceList',
        groupVersion: 'apps/v1',
        resources: [resource('deployments', 'Deployment', true)],
      }),
      record('/apis/longhorn.io/v1', {
        kind: 'APIResourceList',
        groupVersion: 'longhorn.io/v1',
        resources: [resource('nodes', 'Node', true)],
      }),
      record(
        '/apis/apps/v1/deployments',
        { kind: 'DeploymentList', apiVersion: 'apps/v1', metadata: { resourceVersion: '1' }, items: [] },
        200,
        { limit: '500' },
      ),
      record(
        '/apis/longhorn.io/v1/nodes',
        {
          kind: 'NodeList',
          apiVersion: 'longhorn.io/v1',
          metadata: { resourceVersion: '1' },
          items: [{ metadata: { name: 'disk-node', namespace: 'longhorn-system' } }],
        },
        200,
        { limit: '500' },
      ),
    ],
  });
});
after(() => server.close());

test('kinds of a group whose discovery failed are not read (an error), and no custom resource stands in', async () => {
  const client = new KubeApiClient({
    context: 'replay',
    server: server.url,
    ca: TLS.ca,
    token: ADMIN_TOKEN,
    insecureSkipTlsVerify: false,
  });
  try {
    const snapshot = await fetchClusterSnapshot(client, {
      kinds: ['Node', 'Pod', 'Deployment', 'Rollout'],
      now: new Date('2026-11-23T00:00:00Z'),
      kubeletConfig: false,
    });
    const status = Object.fromEntries(snapshot.coverage.map((entry) => [entry.kind, entry]));
    for (const kind of ['Node', 'Pod']) {
      assert.equal(status[kind]?.status, 'failed', kind);
      assert.match(status[kind]?.reason ?? '', /discovery of v1 failed \(503 ServiceUnavailable/);
    }
    assert.equal(status.Deployment?.status, 'listed');
    // Not a built-in kind: nothing says which group would serve it, so it stays "not served".
    assert.equal(status.Rollout?.status, 'not-served');
    assert.ok(!snapshot.items.some((item) => item.apiVersion === 'longhorn.io/v1'));

    const { issues } = snapshotInventory(snapshot);
    const errors = issues.filter((issue) => issue.severity === 'error').map((issue) => issue.message);
    assert.equal(errors.length, 2, errors.join('\n'));
    assert.ok(
      errors.every((message) => /^(Node|Pod) not scanned: failed \(discovery of v1 failed/.test(message)),
    );
  } finally {
    client.close();
  }
});
