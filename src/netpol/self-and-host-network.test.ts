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

  it('an ipBlock holding every address admits it (unknown families: nodes are taken to have IPv4 addresses)', () => {
    for (const ipBlock of [
      { cidr: '0.0.0.0/0' },
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

// Node traffic to a pod uses an address family both have. The inputs show the pod network's families through pod
// addresses and nodes' pod CIDRs (or, failing those, the nodes' own addresses); with none shown, IPv4 is taken as sure
// and IPv6 as possible.
describe('host-network pods: the address families of the cluster decide what an ipBlock of one family admits', () => {
  const agent = deployment('agent', { app: 'agent' }, true);
  const db = deployment('db', { app: 'db' });
  const fromBlock = (cidr: string) =>
    policy('db', {
      podSelector: { matchLabels: { app: 'db' } },
      ingress: [{ from: [{ ipBlock: { cidr } }] }],
    });
  const node = (spec: Record<string, unknown>, addresses: string[] = []): KubeObject => ({
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name: 'n1' },
    spec,
    status: { addresses: addresses.map((address) => ({ type: 'InternalIP', address })) },
  });
  const answerOf = (cidr: string, ...cluster: KubeObject[]) => {
    const e = engineOf([agent, db, fromBlock(cidr), ...cluster]);
    return e.reach(pod(e, 'Deployment/shop/agent'), pod(e, 'Deployment/shop/db'));
  };

  it('families unknown: ::/0 alone admits node traffic only maybe (the nodes may have no IPv6 address)', () => {
    const answer = answerOf('::/0');
    assert.equal(formatConnections(answer.allowed), 'none');
    assert.equal(formatConnections(answer.possible), 'all');
    assert.match(
      answer.ingress?.grants[0]?.condition ?? '',
      /node address of Deployment\/shop\/agent is in ipBlock ::\/0/,
    );
  });

  it('an IPv6-only pod network (node pod CIDRs): 0.0.0.0/0 admits no node traffic, and the reason says why', () => {
    const ipv6 = node({ podCIDRs: ['fd00:10:244::/64'] }, ['fd00::10']);
    const v4 = answerOf('0.0.0.0/0', ipv6);
    assert.equal(formatConnections(v4.possible), 'none');
    assert.match(
      v4.ingress?.misses[0]?.reason ?? '',
      /0\.0\.0\.0\/0 cannot hold a node address \(node traffic here is IPv6\)/,
    );
    assert.equal(formatConnections(answerOf('::/0', ipv6).allowed), 'all');
  });

  it('a dual-stack pod network: a block holding either family admits it', () => {
    const dual = node({ podCIDRs: ['10.244.0.0/24', 'fd00:10:244::/64'] });
    assert.equal(formatConnections(answerOf('0.0.0.0/0', dual).allowed), 'all');
    assert.equal(formatConnections(answerOf('::/0', dual).allowed), 'all');
  });

  it('dual-stack pods on IPv4-only nodes: node traffic is IPv4, so ::/0 admits none of it', () => {
    const ipv4Nodes = node({ podCIDRs: ['10.244.0.0/24', 'fd00:10:244::/64'] }, ['192.0.2.7']);
    assert.equal(formatConnections(answerOf('0.0.0.0/0', ipv4Nodes).allowed), 'all');
    assert.equal(formatConnections(answerOf('::/0', ipv4Nodes).possible), 'none');
  });

  it('recorded pod addresses show an IPv4-only network: ::/0 admits nothing; node addresses count when nothing else shows', () => {
    const live: KubeObject = {
      ...bare('web-1', { app: 'web' }),
      status: { phase: 'Running', podIP: '10.244.1.5', podIPs: [{ ip: '10.244.1.5' }] },
    };
    assert.equal(formatConnections(answerOf('::/0', live).possible), 'none');
    // Node addresses only (no pod CIDRs, no pod addresses): an IPv6-only node.
    assert.equal(formatConnections(answerOf('0.0.0.0/0', node({}, ['2001:db8::1'])).possible), 'none');
    assert.equal(formatConnections(answerOf('::/0', node({}, ['2001:db8::1'])).allowed), 'all');
  });
});
