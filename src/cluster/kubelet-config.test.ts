import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ApiResponse, KubeApiClient } from './api-client.ts';
import { readKubeletConfigs } from './kubelet-config.ts';
import { type ClusterSnapshot, SNAPSHOT_API_VERSION, SNAPSHOT_KIND } from './snapshot.ts';
import { snapshotInventory } from './snapshot-inventory.ts';

/** Answers every request from a table; the transport is covered by the replay-server tests. */
function stubClient(answer: (path: string) => ApiResponse): { client: KubeApiClient; asked: string[] } {
  const asked: string[] = [];
  const client = {
    get: async (path: string) => {
      asked.push(path);
      return answer(path);
    },
  } as unknown as KubeApiClient;
  return { client, asked };
}

const forbidden: ApiResponse = {
  status: 403,
  contentType: 'application/json',
  body: {
    kind: 'Status',
    reason: 'Forbidden',
    message: 'nodes "node-1" is forbidden: cannot get resource "nodes/proxy"',
  },
};

test('one refusal of nodes/proxy stands for every node: a large cluster is not asked node by node', async () => {
  const nodes = Array.from({ length: 500 }, (_, index) => `node-${index}`);
  const { client, asked } = stubClient(() => forbidden);
  const read = await readKubeletConfigs(client, nodes, 4);
  assert.equal(asked.length, 1);
  assert.equal(read.coverage.length, 500);
  assert.ok(
    read.coverage.every((entry) => entry.status === 'forbidden' && entry.reason?.includes('nodes/proxy')),
  );
});

test('the notices group nodes by reason, and say when no kubelet could be looked at at all', async () => {
  const base: ClusterSnapshot = {
    apiVersion: SNAPSHOT_API_VERSION,
    kind: SNAPSHOT_KIND,
    context: 'ctx',
    server: 'https://x',
    takenAt: '2026-11-22T00:00:00Z',
    coverage: [],
    kubelets: [],
    discoveryFailures: [],
    items: [],
  };
  const { client } = stubClient(() => forbidden);
  const kubelets = (await readKubeletConfigs(client, ['a', 'b', 'c', 'd', 'e', 'f'], 2)).coverage;
  const grouped = snapshotInventory({ ...base, kubelets }).notices;
  assert.equal(grouped.length, 1);
  assert.match(
    grouped[0]?.message ?? '',
    /on 6 node\(s\) \(a, b, c, d, e, …\): forbidden: .*kubelet checks did not run/,
  );
  const noNodes = snapshotInventory({
    ...base,
    coverage: [{ kind: 'Node', status: 'forbidden', reason: '403' }],
  }).notices;
  assert.match(noNodes[0]?.message ?? '', /Nodes were not listed \(forbidden\).*kubelet checks did not run/);
});
