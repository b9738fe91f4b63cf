// A pod's traffic to itself, and host-network pods matched by ipBlocks through their node's address.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Inventory } from '../core/inventory.ts';
import type { KubeObject } from '../core/kube-object.ts';
import { formatConnections } from './connection-set.ts';
import { type HostNetworkMode, type Peer, ReachabilityEngine } from './reachability.ts';

function bare(name: string, labels: Record<string, string>, extra: Record<string, unknown> = {}): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'shop', labels },
    spec: { containers: [{ name: 'c', image: 'x:1' }], ...extra },
  };
}

function deployment(name: string, labels: Record<string, string>, hostNetwork = false): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: 'shop' },
    spec: {
      selector: { matchLabels: labels },
      template: { metadata: { labels }, spec: { hostNetwork, containers: [{ name: 'c', image: 'x:1' }] } },
    },
  };
}

function policy(name: string, spec: Record<string, unknown>): KubeObject {
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name, namespace: 'shop' },
    spec,
  };
}

const DENY_ALL = policy('deny', { podSelector: {}, policyTypes: ['Ingress', 'Egress'] });

function engineOf(objects: KubeObject[], hostNetwork: HostNetworkMode = 'node'): ReachabilityEngine {
  return new ReachabilityEngine(Inventory.of(objects), { hostNetwork });
}

function pod(engine: ReachabilityEngine, id: string): Peer {
  const endpoint = engine.endpoints.byId.get(id);
  assert.ok(endpoint, id);
  return { type: 'pod', endpoint };
}

describe('a pod to itself', () => {
  it('is always allowed, whatever the policies say, and the answer says why', () => {
    const e = engineOf([bare('p', { app: 'p' }), DENY_ALL]);
    const self = e.reach(pod(e, 'Pod/shop/p'), pod(e, 'Pod/shop/p'));
    assert.equal(formatConnections(self.allowed), 'all');
    assert.match(self.note ?? '', /cannot block .*itself/);
    assert.equal(self.egress, undefined);
    assert.equal(self.ingress, undefined);
  });

  it('a workload paired with itself stands for its replicas: still governed, with a note', () => {
    const e = engineOf([deployment('web', { app: 'web' }), DENY_ALL]);
    const replicas = e.reach(pod(e, 'Deployment/shop/web'), pod(e, 'Deployment/shop/web'));
    assert.equal(formatConnections(replicas.allowed), 'none');
    assert.match(replicas.note ?? '', /different pods/);
  });
});

describe('host-network pods under --host-network node: ipBlocks match their node address', () => {
  const agent = deployment('agent', { app: 'agent' }, true);
  const db = deployment('db', { app: 'db' });
  const fromBlock = (ipBlock: Record<string, unknown>) =>
    policy('db', { podSelector: { matchLabels: { app: 'db' } }, ingress: [{ from: [{ ipBlock }] }] });
  const AGENT = 'Deployment/shop/agent';
  const DB = 'Deployment/shop/db';

  it('an ipBlock holding every address admits it', () => {
    for (const ipBlock of [
      { cidr: '0.0.0.0/0' },
      { cidr: '::/0' },
      // Link-local and loopback addresses are never a node's address.
      { cidr: '0.0.0.0/0', except: ['169.254.169.254/32', '127.0.0.0/8'] },
    ]) {
      const e = engineOf([agent, db, fromBlock(ipBlock)]);
      const answer = e.reach(pod(e, AGENT), pod(e, DB));
      assert.equal(formatConnections(answer.allowed), 'all', JSON.stringify(ipBlock));
      assert.equal(answer.ingress?.grants[0]?.condition, undefined);
    }
  });

  it('a narrower ipBlock depends on the node address: not allowed for sure, possible, and said so', () => {
    for (const ipBlock of [{ cidr: '10.0.0.0/8' }, { cidr: '0.0.0.0/0', except: ['10.0.0.0/8'] }]) {
      const e = engineOf([agent, db, fromBlock(ipBlock)]);
      const answer = e.reach(pod(e, AGENT), pod(e, DB));
      assert.equal(formatConnections(answer.allowed), 'none', JSON.stringify(ipBlock));
      assert.equal(formatConnections(answer.possible), 'all', JSON.stringify(ipBlock));
      assert.match(answer.ingress?.grants[0]?.condition ?? '', /node address of Deployment\/shop\/agent/);
      assert.deepEqual(answer.ingress?.misses, []);
    }
  });

  it('an ipBlock that cannot hold a node address does not admit it, and says why', () => {
    const e = engineOf([agent, db, fromBlock({ cidr: '169.254.0.0/16' })]);
    const answer = e.reach(pod(e, AGENT), pod(e, DB));
    assert.equal(formatConnections(answer.possible), 'none');
    assert.match(answer.ingress?.misses[0]?.reason ?? '', /cannot hold a node address/);
  });

  it('egress toward a host-network pod: the same rule', () => {
    const e = engineOf([
      agent,
      db,
      policy('out', {
        podSelector: { matchLabels: { app: 'db' } },
        policyTypes: ['Egress'],
        egress: [{ to: [{ ipBlock: { cidr: '0.0.0.0/0' } }] }],
      }),
    ]);
    assert.equal(formatConnections(e.reach(pod(e, DB), pod(e, AGENT)).allowed), 'all');
  });

  it('a recorded address (a live host-network pod has its node IP) is matched exactly', () => {
    const live = bare('agent-x', { app: 'agent' }, { hostNetwork: true });
    live.status = { phase: 'Running', podIP: '192.0.2.10' };
    const inside = engineOf([live, db, fromBlock({ cidr: '192.0.2.0/24' })]);
    const answer = inside.reach(pod(inside, 'Pod/shop/agent-x'), pod(inside, DB));
    assert.equal(formatConnections(answer.allowed), 'all');
    const outside = engineOf([live, db, fromBlock({ cidr: '10.0.0.0/8' })]);
    assert.equal(
      formatConnections(outside.reach(pod(outside, 'Pod/shop/agent-x'), pod(outside, DB)).possible),
      'none',
    );
  });

  it('the matrix fast path gives the sure answer', () => {
    const e = engineOf([agent, db, fromBlock({ cidr: '0.0.0.0/0' })]);
    const from = e.endpoints.byId.get(AGENT);
    const to = e.endpoints.byId.get(DB);
    assert.ok(from && to);
    assert.equal(formatConnections(e.allowedBetween(from, to)), 'all');
  });
});
