// The cluster client against real kube-apiserver v1.26.4 answers (../shared/cluster-recordings), replayed over TLS.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { KubeApiClient } from '../../src/cluster/api-client.ts';
import type { ClusterConnection } from '../../src/cluster/connection.ts';
import { type ApiResource, discover } from '../../src/cluster/discovery.ts';
import { fetchClusterSnapshot } from '../../src/cluster/fetch-cluster.ts';
import { listResource } from '../../src/cluster/list-resource.ts';
import { isRecord } from '../../src/core/kube-object.ts';
import { sharedPath, skipWithoutShared } from '../shared-corpus.ts';
import { ADMIN_TOKEN, DEV_TOKEN, INVALID_TOKEN, TLS, TOKENS } from './replay-fixtures.ts';
import { ReplayServer, readRecordings } from './replay-server.ts';

const skip = skipWithoutShared('cluster-recordings', 'admin-list.jsonl');
const recorded = (file: string) => sharedPath('cluster-recordings', file);

function core(resource: string, kind: string): ApiResource {
  return { group: '', version: 'v1', groupVersion: 'v1', resource, kind, namespaced: true, verbs: ['list'] };
}

describe('recorded kube-apiserver v1.26.4', { skip }, () => {
  let server: ReplayServer;
  const clients: KubeApiClient[] = [];
  const client = (token: string | undefined): KubeApiClient => {
    const connection: ClusterConnection = {
      context: 'recorded',
      server: server.url,
      ca: TLS.ca,
      insecureSkipTlsVerify: false,
    };
    if (token !== undefined) connection.token = token;
    const made = new KubeApiClient(connection, { maxSockets: 4 });
    clients.push(made);
    return made;
  };

  before(async () => {
    server = await ReplayServer.start({
      recordings: readRecordings(
        ...[
          'admin-discovery.jsonl',
          'admin-list.jsonl',
          'admin-expired-continue.jsonl',
          'dev-user.jsonl',
          'invalid-token.jsonl',
          'anonymous.jsonl',
        ].map(recorded),
      ),
      tokens: TOKENS,
      tls: TLS,
    });
  });
  after(async () => {
    for (const made of clients) made.close();
    await server.close();
  });

  test('discovery: every group-version read, the aggregated metrics API reported as failed (503)', async () => {
    const discovery = await discover(client(ADMIN_TOKEN), 4);
    assert.equal(discovery.serverVersion, 'v1.26.4');
    assert.deepEqual(discovery.failures, [
      { groupVersion: 'metrics.k8s.io/v1beta1', reason: 'HTTP 503: service unavailable' },
    ]);
    const kinds = new Set(discovery.resources.map((resource) => resource.kind));
    for (const kind of [
      'Pod',
      'Deployment',
      'ClusterRoleBinding',
      'ValidatingWebhookConfiguration',
      'RuntimeClass',
    ])
      assert.ok(kinds.has(kind), kind);
    // 1.26 serves ValidatingAdmissionPolicy only when its alpha API is turned on, which it was not.
    assert.ok(!kinds.has('ValidatingAdmissionPolicy'));
  });

  test('a full read lists every kind with the counts of the recording, over two pages where needed', async () => {
    const snapshot = await fetchClusterSnapshot(client(ADMIN_TOKEN), {
      kinds: [
        'Namespace',
        'Node',
        'Pod',
        'ServiceAccount',
        'Secret',
        'ClusterRole',
        'RuntimeClass',
        'ValidatingAdmissionPolicy',
      ],
      pageSize: 100,
      kubeletConfig: false,
      now: new Date('2026-11-22T18:00:00Z'),
    });
    const counts = Object.fromEntries(
      snapshot.coverage.map((entry) => [entry.kind, entry.count ?? entry.status]),
    );
    assert.deepEqual(counts, {
      Namespace: 24,
      Node: 3,
      Pod: 109,
      ServiceAccount: 115,
      Secret: 18,
      ClusterRole: 98,
      RuntimeClass: 2,
      ValidatingAdmissionPolicy: 'not-served',
    });
    assert.deepEqual(server.misses, []);
  });

  test('the snapshot keeps the scope discovery reported for each resource, custom resources included', async () => {
    const snapshot = await fetchClusterSnapshot(client(ADMIN_TOKEN), {
      kinds: ['Namespace'],
      kubeletConfig: false,
      now: new Date('2026-11-22T18:00:00Z'),
    });
    const scopes = snapshot.resourceScopes ?? {};
    assert.equal(scopes.namespaces, 'Cluster');
    assert.equal(scopes.pods, 'Namespaced');
    assert.equal(scopes['clusterroles.rbac.authorization.k8s.io'], 'Cluster');
    // CRDs of the recorded cluster: Gatekeeper's templates and Calico's IPAM blocks are cluster-scoped.
    assert.equal(scopes['constrainttemplates.templates.gatekeeper.sh'], 'Cluster');
    assert.equal(scopes['ipamblocks.crd.projectcalico.org'], 'Cluster');
    assert.equal(scopes['networksets.crd.projectcalico.org'], 'Namespaced');
    // Subresources are not resources of their own; the aggregated API that failed discovery has no entry.
    assert.ok(!Object.keys(scopes).some((key) => key.includes('/')));
    assert.equal(scopes['nodes.metrics.k8s.io'], undefined);
  });

  test('Secret values never reach the snapshot, the redacted service-account token included', async () => {
    const snapshot = await fetchClusterSnapshot(client(ADMIN_TOKEN), {
      kinds: ['Secret'],
      pageSize: 100,
      kubeletConfig: false,
      now: new Date(),
    });
    const text = JSON.stringify(snapshot);
    // Every value of every recorded Secret (the redacted token placeholder among them) is absent.
    const values = readRecordings(recorded('admin-list.jsonl'))
      .filter((recording) => recording.request.path === '/api/v1/secrets')
      .flatMap(
        (recording) => (recording.response.body as { items: { data?: Record<string, string> }[] }).items,
      )
      .flatMap((secret) => Object.values(secret.data ?? {}))
      .filter((value) => value.length >= 8);
    assert.ok(values.includes('UkVEQUNURUQtQkVBUkVSLVRPS0VO'));
    assert.ok(values.length >= 10);
    for (const value of values) assert.ok(!text.includes(value), 'a Secret value reached the snapshot');
    const token = snapshot.items.find((item) => item.metadata.name === 'deployer-token');
    assert.ok(token && isRecord(token.data));
    assert.deepEqual(Object.keys(token.data).sort(), ['ca.crt', 'namespace', 'token']);
    assert.ok(Object.values(token.data).every((value) => value === ''));
    assert.equal(token.type, 'kubernetes.io/service-account-token');
  });

  test('an identity without RBAC bindings: every list is forbidden, with the server message', async () => {
    const dev = client(DEV_TOKEN);
    for (const [resource, kind] of [
      ['secrets', 'Secret'],
      ['pods', 'Pod'],
    ] as const) {
      const outcome = await listResource(dev, core(resource, kind), { pageSize: 100 });
      assert.equal(outcome.status, 'forbidden');
      if (outcome.status === 'forbidden')
        assert.match(outcome.reason, new RegExp(`User "dev-user" cannot list resource "${resource}"`));
    }
    const inNamespace = await listResource(dev, core('secrets', 'Secret'), {
      pageSize: 100,
      namespace: 'default',
    });
    assert.equal(inNamespace.status, 'forbidden');
    if (inNamespace.status === 'forbidden') assert.match(inNamespace.reason, /in the namespace "default"/);
  });

  test('an invalid token is refused (401) on the first request and nothing else is tried', async () => {
    const before = server.served.length;
    await assert.rejects(discover(client(INVALID_TOKEN), 4), (error: Error) =>
      /credentials were refused \(401 Unauthorized\) on \/version/.test(error.message),
    );
    assert.deepEqual(server.served.slice(before), ['invalid-token GET /version?']);
  });

  test('anonymous access: /apis is forbidden, and discovery says so', async () => {
    await assert.rejects(discover(client(undefined), 4), (error: Error) =>
      /cannot read \/apis: 403 Forbidden: forbidden: User "system:anonymous" cannot get path "\/apis"/.test(
        error.message,
      ),
    );
  });

  test('an expired continue token (real 410 Gone) restarts the list; a list that keeps expiring fails, bounded', async () => {
    const before = server.served.length;
    const outcome = await listResource(client(ADMIN_TOKEN), core('configmaps', 'ConfigMap'), {
      pageSize: 10,
      maxRestarts: 2,
    });
    assert.equal(outcome.status, 'failed');
    if (outcome.status === 'failed') assert.match(outcome.reason, /continue token expired 3 times/);
    // Recorded: the first page, then the 410 for its token. Replayed three times, never the inconsistent token.
    const asked = server.served.slice(before);
    assert.equal(asked.length, 6);
    assert.ok(asked.every((key) => !key.includes('continue=eyJ2IjoibWV0YS5rOHMuaW8vdjEiLCJydiI6LTE')));
  });
});
