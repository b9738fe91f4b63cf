import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { KubeObject } from '../core/kube-object.ts';
import { kubeletConfigObject } from './kubelet-config.ts';
import { derivedKubeletConfigs } from './kubelet-configmap.ts';
import { withoutOwnedObjects } from './owned-objects.ts';
import { REDACTED_ANNOTATION, sanitizeObject } from './sanitize.ts';
import {
  type ClusterSnapshot,
  parseSnapshot,
  SNAPSHOT_API_VERSION,
  SNAPSHOT_KIND,
  serializeSnapshot,
} from './snapshot.ts';
import { snapshotInventory } from './snapshot-inventory.ts';

function secret(fields: Record<string, unknown>): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: {
      name: 'db',
      namespace: 'shop',
      annotations: {
        'kubectl.kubernetes.io/last-applied-configuration': '{"data":{"password":"aHVudGVyMg=="}}',
      },
      managedFields: [{ manager: 'kubectl' }],
    },
    ...fields,
  };
}

function snapshotOf(items: KubeObject[]): ClusterSnapshot {
  return {
    apiVersion: SNAPSHOT_API_VERSION,
    kind: SNAPSHOT_KIND,
    context: 'prod',
    server: 'https://prod:6443',
    takenAt: '2026-11-22T12:00:00.000Z',
    coverage: [
      { kind: 'Secret', status: 'listed', apiVersion: 'v1', resource: 'secrets', count: items.length },
    ],
    kubelets: [],
    discoveryFailures: [],
    items,
  };
}

describe('sanitizing', () => {
  test('Secret values are emptied (keys kept), the last-applied copy and managedFields dropped', () => {
    const object = sanitizeObject(
      secret({ data: { password: 'aHVudGVyMg==' }, stringData: { token: 'plain' } }),
    );
    assert.deepEqual(object.data, { password: '' });
    assert.deepEqual(object.stringData, { token: '' });
    assert.deepEqual(object.metadata.annotations, { [REDACTED_ANNOTATION]: 'true' });
    assert.equal(object.metadata.managedFields, undefined);
    assert.ok(!JSON.stringify(object).includes('aHVudGVyMg'));
  });

  test('a Secret whose data is not a map loses it; other kinds keep their data', () => {
    assert.equal(sanitizeObject(secret({ data: 'c2VjcmV0' })).data, undefined);
    const configMap: KubeObject = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'c' },
      data: { a: 'b' },
    };
    assert.deepEqual(sanitizeObject(configMap).data, { a: 'b' });
  });

  test('kubelet static-pod URL headers (credentials) are blanked in configz objects', () => {
    const object = kubeletConfigObject(
      'n1',
      { kubeletconfig: { staticPodURLHeader: { Authorization: ['Bearer x'] }, readOnlyPort: 0 } },
      'configz',
    );
    assert.deepEqual(object?.staticPodURLHeader, { Authorization: [''] });
    assert.equal(kubeletConfigObject('n1', { nothing: true }, 'configz'), undefined);
  });
});

describe('snapshot files', () => {
  test('serialize then parse gives the snapshot back, one object per line', () => {
    const snapshot = snapshotOf([sanitizeObject(secret({ data: { a: 'YQ==' } }))]);
    const text = [...serializeSnapshot(snapshot)].join('');
    assert.equal(text.split('\n').filter((line) => line.startsWith('    {"apiVersion"')).length, 1);
    const parsed = parseSnapshot(JSON.parse(text), 'snap.json');
    assert.deepEqual(parsed.snapshot, snapshot);
    assert.deepEqual(parsed.issues, []);
    const empty = [...serializeSnapshot(snapshotOf([]))].join('');
    assert.deepEqual(parseSnapshot(JSON.parse(empty), 'e.json').snapshot.items, []);
  });

  test('a hand-written snapshot is sanitized on reading, and bad fields are named', () => {
    const raw = JSON.parse(
      [...serializeSnapshot(snapshotOf([secret({ data: { a: 'c2VjcmV0' } })]))].join(''),
    );
    const read = parseSnapshot(raw, 's.json').snapshot;
    assert.deepEqual(read.items[0]?.data, { a: '' });
    assert.ok(!JSON.stringify(read).includes('c2VjcmV0'));
    assert.throws(
      () => parseSnapshot({ ...raw, coverage: [{ kind: 'Pod', status: 'maybe' }] }, 's.json'),
      /s\.json: coverage\[0\]\.status/,
    );
    assert.throws(
      () => parseSnapshot({ kind: 'List' }, 'l.json'),
      /not a palisade\.dev\/v1alpha1 ClusterSnapshot/,
    );
  });
});

describe('snapshot validation', () => {
  const raw = (overrides: Record<string, unknown>): Record<string, unknown> => ({
    ...(JSON.parse([...serializeSnapshot(snapshotOf([]))].join('')) as Record<string, unknown>),
    ...overrides,
  });
  const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'a' } };

  test('items that cannot be scanned are errors naming the snapshot and the item index, the rest are kept', () => {
    const parsed = parseSnapshot(
      raw({
        items: [
          pod,
          5,
          [],
          { kind: 'Pod', metadata: {} },
          { apiVersion: 'v1', kind: 7, metadata: {} },
          { apiVersion: 'v1', kind: 'Pod' },
          { apiVersion: 'v1', kind: 'Pod', metadata: 'x' },
          { apiVersion: 'v1', kind: 'Pod', metadata: { name: 7 } },
          { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'q', namespace: ['a'] } },
        ],
      }),
      'snap.json',
    );
    assert.deepEqual(parsed.snapshot.items, [pod]);
    assert.deepEqual(
      parsed.issues.map((issue) => [issue.severity, issue.file, issue.message]),
      [
        'items[1] is a number, not a Kubernetes object',
        'items[2] is a list, not a Kubernetes object',
        'items[3] has no apiVersion',
        'items[4] kind must be a non-empty string, got a number',
        'items[5] has no metadata',
        'items[6] metadata must be a mapping, got a string',
        'items[7] metadata.name must be a string, got a number',
        'items[8] metadata.namespace must be a string, got a list',
      ].map((message) => ['error', 'snap.json', `snapshot snap.json: ${message}; not scanned`]),
    );
  });

  test('an item nested deeper than a manifest may be is an error, not a stack overflow in a rule', () => {
    let labels: unknown = 'web';
    for (let level = 0; level < 5000; level++) labels = [labels];
    const deep = { ...pod, metadata: { ...pod.metadata, labels: { app: labels } } };
    let shallow: unknown = 'x';
    for (let level = 0; level < 190; level++) shallow = { a: shallow };
    const nested = { ...pod, metadata: { name: 'q', namespace: 'a' }, spec: { x: shallow } };
    const parsed = parseSnapshot(raw({ items: [deep, nested] }), 's.json');
    assert.deepEqual(parsed.snapshot.items, [nested]);
    assert.deepEqual(
      parsed.issues.map((issue) => issue.message),
      ['snapshot s.json: items[0] nests deeper than 200 levels; not scanned'],
    );
  });

  test('wrongly typed fields are errors naming the item and field; the object is still scanned', () => {
    const bad = { ...pod, spec: { containers: 'nginx', hostPID: 'yes' } };
    const parsed = parseSnapshot(raw({ items: [bad] }), 's.json');
    assert.equal(parsed.snapshot.items.length, 1);
    const messages = parsed.issues.map((issue) => issue.message);
    assert.ok(messages.length >= 2, messages.join('\n'));
    for (const message of messages)
      assert.match(message, /^snapshot s\.json: items\[0\] \(Pod\/a\/p\): spec\./);
    assert.ok(messages.some((message) => /spec\.containers must be a list, got a string/.test(message)));
  });

  test('malformed discoveryFailures, counts and kubelets are refused, not dropped', () => {
    for (const [overrides, message] of [
      [
        { discoveryFailures: [{ groupVersion: 5 }] },
        /s\.json: discoveryFailures\[0\] needs a groupVersion and a reason/,
      ],
      [{ discoveryFailures: ['apps/v1'] }, /discoveryFailures\[0\]/],
      [{ discoveryFailures: 'apps/v1' }, /discoveryFailures must be a list/],
      [
        { coverage: [{ kind: 'Pod', status: 'listed', count: '3' }] },
        /coverage\[0\]\.count must be a whole number/,
      ],
      [{ tlsVerified: 'no' }, /tlsVerified must be true or false/],
    ] as const)
      assert.throws(() => parseSnapshot(raw(overrides), 's.json'), message);
    const good = parseSnapshot(
      raw({ discoveryFailures: [{ groupVersion: 'x/v1', reason: 'timeout' }] }),
      's.json',
    );
    assert.deepEqual(good.snapshot.discoveryFailures, [{ groupVersion: 'x/v1', reason: 'timeout' }]);
  });

  test('a password in the server URL is masked when a snapshot is written or read', () => {
    const snapshot = { ...snapshotOf([]), server: 'https://admin:hunter2@prod:6443' };
    const text = [...serializeSnapshot(snapshot)].join('');
    assert.ok(!text.includes('hunter2'));
    const read = parseSnapshot(JSON.parse(text.replace('***', 'admin:hunter2')), 's.json').snapshot;
    assert.equal(read.server, 'https://***@prod:6443');
  });

  test('a snapshot read without TLS verification keeps saying so, and its scan warns', () => {
    const insecure: ClusterSnapshot = { ...snapshotOf([]), tlsVerified: false };
    const read = parseSnapshot(JSON.parse([...serializeSnapshot(insecure)].join('')), 's.json').snapshot;
    assert.equal(read.tlsVerified, false);
    const notices = snapshotInventory(read).notices;
    assert.match(
      notices[0]?.message ?? '',
      /^TLS verification is OFF for https:\/\/prod:6443 \(context prod/,
    );
    assert.equal(notices[0]?.severity, 'warning');
    assert.ok(!snapshotInventory(snapshotOf([])).notices.some((notice) => /TLS/.test(notice.message)));
  });
});

describe('owned objects and derived kubelet configuration', () => {
  const owner = (kind: string, name: string) => ({
    kind,
    name,
    apiVersion: 'apps/v1',
    uid: name,
    controller: true,
  });
  const obj = (kind: string, name: string, owners: unknown[] = []): KubeObject => ({
    apiVersion: kind === 'Pod' ? 'v1' : 'apps/v1',
    kind,
    metadata: { name, namespace: 'shop', ...(owners.length > 0 ? { ownerReferences: owners } : {}) },
  });

  test('children are left out only when their controller is present', () => {
    const { kept, skipped } = withoutOwnedObjects([
      obj('Deployment', 'web'),
      obj('ReplicaSet', 'web-1', [owner('Deployment', 'web')]),
      obj('Pod', 'web-1-a', [owner('ReplicaSet', 'web-1')]),
      obj('Pod', 'orphan-a', [owner('ReplicaSet', 'gone')]),
      obj('Pod', 'mirror', [{ ...owner('Node', 'node-1'), apiVersion: 'v1' }]),
      obj('Pod', 'not-controller', [{ ...owner('ReplicaSet', 'web-1'), controller: false }]),
    ]);
    assert.equal(skipped, 2);
    assert.deepEqual(
      kept.map((object) => object.metadata.name),
      ['web', 'orphan-a', 'mirror', 'not-controller'],
    );
  });

  test('a pod with ephemeral containers is checked itself: kubectl debug adds them to the pod, never to a template', () => {
    const debugged = obj('Pod', 'web-1-b', [owner('ReplicaSet', 'web-1')]);
    debugged.spec = {
      containers: [{ name: 'web', image: 'web:1' }],
      ephemeralContainers: [
        { name: 'debugger', image: 'busybox:1.36', securityContext: { privileged: true } },
      ],
    };
    const emptyList = obj('Pod', 'web-1-c', [owner('ReplicaSet', 'web-1')]);
    emptyList.spec = { containers: [{ name: 'web', image: 'web:1' }], ephemeralContainers: [] };
    const { kept, skipped } = withoutOwnedObjects([
      obj('ReplicaSet', 'web-1'),
      obj('Pod', 'web-1-a', [owner('ReplicaSet', 'web-1')]),
      debugged,
      emptyList,
    ]);
    assert.equal(skipped, 2);
    assert.deepEqual(
      kept.map((object) => object.metadata.name),
      ['web-1', 'web-1-b'],
    );
  });

  test('Argo Rollouts and OpenShift DeploymentConfigs own their ReplicaSets and ReplicationControllers too', () => {
    const { kept, skipped } = withoutOwnedObjects([
      obj('Rollout', 'canary'),
      obj('ReplicaSet', 'canary-1', [owner('Rollout', 'canary')]),
      obj('Pod', 'canary-1-a', [owner('ReplicaSet', 'canary-1')]),
      obj('DeploymentConfig', 'legacy'),
      obj('ReplicationController', 'legacy-1', [owner('DeploymentConfig', 'legacy')]),
      obj('Pod', 'legacy-1-a', [owner('ReplicationController', 'legacy-1')]),
    ]);
    assert.equal(skipped, 4);
    assert.deepEqual(
      kept.map((object) => object.metadata.name),
      ['canary', 'legacy'],
    );
  });

  test('kubeadm kubelet-config ConfigMaps become KubeletConfiguration objects; others and bad YAML do not', () => {
    const configMap = (name: string, namespace: string, kubelet: string): KubeObject => ({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name, namespace },
      data: { kubelet },
    });
    const derived = derivedKubeletConfigs([
      configMap(
        'kubelet-config',
        'kube-system',
        'kind: KubeletConfiguration\napiVersion: kubelet.config.k8s.io/v1beta1\nreadOnlyPort: 10255\n',
      ),
      configMap(
        'kubelet-config-1.23',
        'kube-system',
        'kind: KubeletConfiguration\nrotateCertificates: true\n',
      ),
      configMap('kubelet-config', 'default', 'kind: KubeletConfiguration\n'),
      configMap('kubelet-config', 'kube-system', 'kind: [unclosed'),
      // Read as the kubelet reads it (go-yaml, YAML 1.1): `on` is true, `0x2817` the port 10263.
      configMap('kubelet-config-1.22', 'kube-system', 'kind: KubeletConfiguration\nrotateCertificates: on\n'),
      configMap('kubelet-config-1.21', 'kube-system', 'kind: KubeletConfiguration\nreadOnlyPort: 0x2817\n'),
    ]);
    assert.deepEqual(
      derived.map((object) => [
        object.kind,
        object.metadata.name,
        object.readOnlyPort ?? object.rotateCertificates,
      ]),
      [
        ['KubeletConfiguration', 'kubelet-config', 10255],
        ['KubeletConfiguration', 'kubelet-config-1.23', true],
        ['KubeletConfiguration', 'kubelet-config-1.22', true],
        ['KubeletConfiguration', 'kubelet-config-1.21', 10263],
      ],
    );
  });

  test('Nodes not listed while the kubelet-config ConfigMap stands in: a notice says both', () => {
    const snapshot = snapshotOf([
      {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: 'kubelet-config', namespace: 'kube-system' },
        data: { kubelet: 'kind: KubeletConfiguration\nreadOnlyPort: 10255\n' },
      },
    ]);
    snapshot.coverage.push({ kind: 'Node', status: 'forbidden', reason: 'nodes is forbidden' });
    const { entries, notices } = snapshotInventory(snapshot);
    assert.ok(entries.some((entry) => entry.object.kind === 'KubeletConfiguration'));
    assert.deepEqual(
      notices.map((notice) => notice.message),
      [
        'kubelet configuration of the nodes not observable: Nodes were not listed (forbidden); kubelet checks ran on the cluster-wide kube-system/kubelet-config ConfigMap instead, which flags and node-local files can override',
      ],
    );
  });
});
