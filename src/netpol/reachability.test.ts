import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Inventory } from '../core/inventory.ts';
import type { KubeObject } from '../core/kube-object.ts';
import { reachAcrossRange } from './address-segments.ts';
import { formatConnections } from './connection-set.ts';
import { formatRange, parseAddress, parseCidr } from './ip-range.ts';
import { type Peer, ReachabilityEngine } from './reachability.ts';

function deployment(
  namespace: string,
  name: string,
  labels: Record<string, string>,
  ports: unknown[] = [],
): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace },
    spec: {
      selector: { matchLabels: labels },
      template: { metadata: { labels }, spec: { containers: [{ name: 'main', image: 'x:1', ports }] } },
    },
  };
}

function policy(namespace: string, name: string, spec: Record<string, unknown>): KubeObject {
  return { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name, namespace }, spec };
}

function namespace(name: string, labels: Record<string, string>): KubeObject {
  return { apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels } };
}

const web = deployment('shop', 'web', { app: 'web' }, [{ name: 'http', containerPort: 8080 }]);
const db = deployment('shop', 'db', { app: 'db' }, [
  { name: 'pg', containerPort: 5432 },
  { name: 'metrics', containerPort: 9187, protocol: 'UDP' },
]);
const monitor = deployment('ops', 'monitor', { app: 'monitor' });

function engineOf(...objects: KubeObject[]): ReachabilityEngine {
  return new ReachabilityEngine(Inventory.of([web, db, monitor, ...objects]));
}

function pod(engine: ReachabilityEngine, id: string): Peer {
  const endpoint = engine.endpoints.byId.get(id);
  assert.ok(endpoint, id);
  return { type: 'pod', endpoint };
}

function address(text: string): Peer {
  const parsed = parseAddress(text);
  assert.ok(parsed, text);
  return { type: 'address', ...parsed };
}

function allowed(engine: ReachabilityEngine, from: Peer, to: Peer): string {
  return formatConnections(engine.reach(from, to).allowed);
}

const WEB = 'Deployment/shop/web';
const DB = 'Deployment/shop/db';
const MONITOR = 'Deployment/ops/monitor';

describe('isolation and policyTypes defaulting', () => {
  it('a pod selected by no policy is open both ways', () => {
    const e = engineOf();
    assert.equal(allowed(e, pod(e, WEB), pod(e, DB)), 'all');
    assert.equal(e.reach(pod(e, WEB), pod(e, DB)).ingress?.isolated, false);
  });

  it('default-deny ingress isolates every pod of its namespace only', () => {
    const e = engineOf(policy('shop', 'deny', { podSelector: {} }));
    assert.equal(allowed(e, pod(e, WEB), pod(e, DB)), 'none');
    assert.equal(allowed(e, pod(e, MONITOR), pod(e, DB)), 'none');
    assert.equal(allowed(e, pod(e, DB), pod(e, MONITOR)), 'all');
    const verdict = e.reach(pod(e, WEB), pod(e, DB)).ingress;
    assert.equal(verdict?.isolated, true);
    assert.deepEqual(
      verdict?.policies.map((ref) => ref.name),
      ['deny'],
    );
    assert.deepEqual(verdict?.grants, []);
  });

  it('policyTypes unset: egress isolation only when the policy has egress rules', () => {
    const withRules = engineOf(
      policy('shop', 'p', {
        podSelector: { matchLabels: { app: 'web' } },
        egress: [{ to: [{ podSelector: { matchLabels: { app: 'db' } } }] }],
      }),
    );
    assert.equal(withRules.reach(pod(withRules, WEB), pod(withRules, MONITOR)).egress?.isolated, true);
    assert.equal(allowed(withRules, pod(withRules, WEB), pod(withRules, MONITOR)), 'none');
    assert.equal(allowed(withRules, pod(withRules, WEB), pod(withRules, DB)), 'all');
    // Ingress is implied too: nobody may reach web now.
    assert.equal(allowed(withRules, pod(withRules, DB), pod(withRules, WEB)), 'none');

    const emptyEgress = engineOf(
      policy('shop', 'p', { podSelector: { matchLabels: { app: 'web' } }, egress: [] }),
    );
    assert.equal(emptyEgress.reach(pod(emptyEgress, WEB), pod(emptyEgress, MONITOR)).egress?.isolated, false);
  });

  it('policyTypes [Egress] with no rules denies all egress and leaves ingress open', () => {
    const e = engineOf(policy('shop', 'p', { podSelector: {}, policyTypes: ['Egress'] }));
    assert.equal(allowed(e, pod(e, WEB), pod(e, MONITOR)), 'none');
    assert.equal(allowed(e, pod(e, MONITOR), pod(e, WEB)), 'all');
  });

  it('ingress rules are ignored when policyTypes leaves Ingress out, and the model says so', () => {
    const e = engineOf(
      policy('shop', 'p', { podSelector: {}, policyTypes: ['Egress'], egress: [{}], ingress: [{}] }),
    );
    assert.equal(e.reach(pod(e, MONITOR), pod(e, WEB)).ingress?.isolated, false);
    assert.match(e.policies.policies[0]?.problems[0]?.message ?? '', /no effect/);
  });

  it('both directions must allow: egress allows everything, ingress only TCP 5432', () => {
    const e = engineOf(
      policy('shop', 'out', {
        podSelector: { matchLabels: { app: 'web' } },
        policyTypes: ['Egress'],
        egress: [{}],
      }),
      policy('shop', 'in', {
        podSelector: { matchLabels: { app: 'db' } },
        ingress: [{ ports: [{ port: 5432 }] }],
      }),
    );
    assert.equal(allowed(e, pod(e, WEB), pod(e, DB)), 'TCP 5432');
  });

  it('policies selecting the same pod add up', () => {
    const e = engineOf(
      policy('shop', 'a', {
        podSelector: { matchLabels: { app: 'db' } },
        ingress: [{ ports: [{ port: 5432 }] }],
      }),
      policy('shop', 'b', {
        podSelector: {},
        ingress: [
          {
            ports: [
              { port: 9000, endPort: 9010 },
              { protocol: 'UDP', port: 53 },
            ],
          },
        ],
      }),
    );
    assert.equal(allowed(e, pod(e, WEB), pod(e, DB)), 'TCP 5432,9000-9010; UDP 53');
    assert.equal(e.reach(pod(e, WEB), pod(e, DB)).ingress?.grants.length, 2);
  });
});

describe('peers', () => {
  it('podSelector alone means pods of the policy namespace', () => {
    const e = engineOf(
      policy('shop', 'p', {
        podSelector: { matchLabels: { app: 'db' } },
        ingress: [{ from: [{ podSelector: {} }] }],
      }),
    );
    assert.equal(allowed(e, pod(e, WEB), pod(e, DB)), 'all');
    assert.equal(allowed(e, pod(e, MONITOR), pod(e, DB)), 'none');
  });

  it('namespaceSelector alone means every pod of matching namespaces; {} means all namespaces', () => {
    const e = engineOf(
      namespace('ops', { team: 'ops' }),
      policy('shop', 'p', {
        podSelector: { matchLabels: { app: 'db' } },
        ingress: [{ from: [{ namespaceSelector: { matchLabels: { team: 'ops' } } }] }],
      }),
    );
    assert.equal(allowed(e, pod(e, MONITOR), pod(e, DB)), 'all');
    assert.equal(allowed(e, pod(e, WEB), pod(e, DB)), 'none');
    assert.deepEqual(
      e.reach(pod(e, WEB), pod(e, DB)).ingress?.misses.map((miss) => miss.reason),
      [
        'from[0]: namespaceSelector team=ops does not match namespace shop (kubernetes.io/metadata.name=shop)',
      ],
    );
    const any = engineOf(
      policy('shop', 'p', { podSelector: {}, ingress: [{ from: [{ namespaceSelector: {} }] }] }),
    );
    assert.equal(allowed(any, pod(any, MONITOR), pod(any, DB)), 'all');
    assert.equal(allowed(any, address('203.0.113.9'), pod(any, DB)), 'none');
  });

  it('the automatic kubernetes.io/metadata.name label selects a namespace without a Namespace object', () => {
    const e = engineOf(
      policy('shop', 'p', {
        podSelector: {},
        ingress: [
          { from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'ops' } } }] },
        ],
      }),
    );
    assert.equal(allowed(e, pod(e, MONITOR), pod(e, DB)), 'all');
  });

  it('podSelector and namespaceSelector in one peer must both match; in two peers either does', () => {
    const ops = namespace('ops', { team: 'ops' });
    const other = deployment('ops', 'other', { app: 'other' });
    const together = engineOf(
      ops,
      other,
      policy('shop', 'p', {
        podSelector: {},
        ingress: [
          {
            from: [
              {
                namespaceSelector: { matchLabels: { team: 'ops' } },
                podSelector: { matchLabels: { app: 'monitor' } },
              },
            ],
          },
        ],
      }),
    );
    assert.equal(allowed(together, pod(together, MONITOR), pod(together, DB)), 'all');
    assert.equal(allowed(together, pod(together, 'Deployment/ops/other'), pod(together, DB)), 'none');
    assert.equal(allowed(together, pod(together, WEB), pod(together, DB)), 'none');
    const apart = engineOf(
      ops,
      other,
      policy('shop', 'p', {
        podSelector: {},
        ingress: [
          {
            from: [
              { namespaceSelector: { matchLabels: { team: 'ops' } } },
              { podSelector: { matchLabels: { app: 'web' } } },
            ],
          },
        ],
      }),
    );
    assert.equal(allowed(apart, pod(apart, 'Deployment/ops/other'), pod(apart, DB)), 'all');
    assert.equal(allowed(apart, pod(apart, WEB), pod(apart, DB)), 'all');
    assert.equal(apart.reach(pod(apart, WEB), pod(apart, DB)).ingress?.grants[0]?.peer, 1);
  });

  it('matchExpressions select as the API server does', () => {
    const e = engineOf(
      policy('shop', 'p', {
        podSelector: {},
        ingress: [
          {
            from: [
              { podSelector: { matchExpressions: [{ key: 'app', operator: 'NotIn', values: ['web'] }] } },
            ],
          },
        ],
      }),
    );
    assert.equal(allowed(e, pod(e, WEB), pod(e, DB)), 'none');
    assert.equal(allowed(e, pod(e, DB), pod(e, WEB)), 'all');
  });

  it('null matchLabels or matchExpressions (an empty YAML value) are the same as omitted: they select everything', () => {
    const denyAll = engineOf(
      policy('shop', 'p', { podSelector: { matchLabels: null }, policyTypes: ['Ingress'] }),
    );
    assert.equal(allowed(denyAll, pod(denyAll, MONITOR), pod(denyAll, DB)), 'none');
    const open = engineOf(
      policy('shop', 'p', {
        podSelector: {},
        ingress: [
          { from: [{ namespaceSelector: { matchLabels: null }, podSelector: { matchExpressions: null } }] },
        ],
      }),
    );
    assert.equal(allowed(open, pod(open, MONITOR), pod(open, DB)), 'all');
    assert.deepEqual(open.policies.policies[0]?.problems, []);
  });

  it('requirements the API server refuses (In without values, Exists with values) are problems and match nothing', () => {
    for (const requirement of [
      { key: 'app', operator: 'NotIn' },
      { key: 'app', operator: 'In', values: [] },
      { key: 'app', operator: 'Exists', values: ['web'] },
    ]) {
      const e = engineOf(
        policy('shop', 'p', {
          podSelector: {},
          ingress: [{ from: [{ podSelector: { matchExpressions: [requirement] } }] }],
        }),
      );
      assert.equal(allowed(e, pod(e, WEB), pod(e, DB)), 'none', JSON.stringify(requirement));
      assert.match(e.policies.policies[0]?.problems[0]?.message ?? '', /API server refuses it/);
    }
  });

  it('missing from and empty from admit every source, pods and addresses alike', () => {
    for (const rule of [{}, { from: [] }]) {
      const e = engineOf(policy('shop', 'p', { podSelector: {}, ingress: [rule] }));
      assert.equal(allowed(e, pod(e, MONITOR), pod(e, DB)), 'all');
      assert.equal(allowed(e, address('198.51.100.1'), pod(e, DB)), 'all');
      assert.equal(e.reach(pod(e, MONITOR), pod(e, DB)).ingress?.grants[0]?.peer, undefined);
    }
  });

  it('ingress: [] (no rules) denies every source', () => {
    const e = engineOf(policy('shop', 'p', { podSelector: {}, ingress: [] }));
    assert.equal(allowed(e, address('198.51.100.1'), pod(e, DB)), 'none');
  });

  it('an empty peer object is invalid and matches nothing', () => {
    const e = engineOf(policy('shop', 'p', { podSelector: {}, ingress: [{ from: [{}] }] }));
    assert.equal(allowed(e, pod(e, WEB), pod(e, DB)), 'none');
    assert.match(e.policies.policies[0]?.problems[0]?.message ?? '', /names no podSelector/);
  });

  it('ipBlock with except, IPv4 and IPv6; pods without known addresses do not match ipBlocks', () => {
    const e = engineOf(
      policy('shop', 'p', {
        podSelector: { matchLabels: { app: 'web' } },
        ingress: [
          {
            from: [
              { ipBlock: { cidr: '10.0.0.0/8', except: ['10.1.0.0/16'] } },
              { ipBlock: { cidr: '2001:db8::/32' } },
            ],
          },
        ],
      }),
    );
    assert.equal(allowed(e, address('10.2.3.4'), pod(e, WEB)), 'all');
    assert.equal(allowed(e, address('10.1.3.4'), pod(e, WEB)), 'none');
    assert.equal(allowed(e, address('11.0.0.1'), pod(e, WEB)), 'none');
    assert.equal(allowed(e, address('2001:db8::42'), pod(e, WEB)), 'all');
    assert.equal(allowed(e, address('2001:db9::42'), pod(e, WEB)), 'none');
    assert.equal(allowed(e, pod(e, DB), pod(e, WEB)), 'none');
  });

  it('a pod with a recorded IP matches an ipBlock holding it', () => {
    const live: KubeObject = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'client', namespace: 'shop', labels: { app: 'client' } },
      spec: { containers: [{ name: 'c', image: 'x' }] },
      status: { podIP: '10.244.1.7', podIPs: [{ ip: '10.244.1.7' }] },
    };
    const e = engineOf(
      live,
      policy('shop', 'p', {
        podSelector: { matchLabels: { app: 'web' } },
        ingress: [{ from: [{ ipBlock: { cidr: '10.244.0.0/16' } }] }],
      }),
    );
    assert.equal(allowed(e, pod(e, 'Pod/shop/client'), pod(e, WEB)), 'all');
  });

  it('address ranges are cut at ipBlock boundaries and merged where the answer is the same', () => {
    const e = engineOf(
      policy('shop', 'p', {
        podSelector: { matchLabels: { app: 'web' } },
        ingress: [
          { from: [{ ipBlock: { cidr: '10.0.0.0/8', except: ['10.1.0.0/16'] } }], ports: [{ port: 'http' }] },
        ],
      }),
    );
    const web = e.endpoints.byId.get(WEB);
    assert.ok(web);
    const whole = parseCidr('0.0.0.0/0');
    assert.ok(whole);
    const segments = reachAcrossRange(e, web, 'ingress', whole.range).map(
      (segment) => `${formatRange(segment.range)} ${formatConnections(segment.reachability.allowed)}`,
    );
    assert.deepEqual(segments, [
      '0.0.0.0-9.255.255.255 none',
      '10.0.0.0/16 TCP 8080',
      '10.1.0.0/16 none',
      '10.2.0.0-10.255.255.255 TCP 8080',
      '11.0.0.0-255.255.255.255 none',
    ]);
  });
});

describe('ports', () => {
  it('named ports resolve on the destination pod, protocol included', () => {
    const e = engineOf(
      policy('shop', 'p', {
        podSelector: {},
        ingress: [{ ports: [{ port: 'pg' }, { port: 'metrics' }, { port: 'http' }] }],
      }),
    );
    // db has pg/TCP 5432 and metrics/UDP (the rule asks TCP metrics): only 5432 on db; web has http 8080.
    assert.equal(allowed(e, pod(e, WEB), pod(e, DB)), 'TCP 5432');
    assert.equal(allowed(e, pod(e, DB), pod(e, WEB)), 'TCP 8080');
    assert.match(e.reach(pod(e, WEB), pod(e, DB)).ingress?.grants[0]?.note ?? '', /TCP\/metrics, TCP\/http/);
  });

  it('egress named ports resolve on the destination; toward an address they admit nothing', () => {
    const e = engineOf(
      policy('shop', 'p', {
        podSelector: { matchLabels: { app: 'web' } },
        policyTypes: ['Egress'],
        egress: [{ ports: [{ port: 'pg' }, { protocol: 'UDP', port: 53 }] }],
      }),
    );
    assert.equal(allowed(e, pod(e, WEB), pod(e, DB)), 'TCP 5432; UDP 53');
    assert.equal(allowed(e, pod(e, WEB), address('8.8.8.8')), 'UDP 53');
  });

  it('protocol only means every port of it; SCTP is its own protocol', () => {
    const e = engineOf(
      policy('shop', 'p', {
        podSelector: {},
        ingress: [{ ports: [{ protocol: 'SCTP' }, { protocol: 'UDP', port: 1000, endPort: 1002 }] }],
      }),
    );
    assert.equal(allowed(e, pod(e, WEB), pod(e, DB)), 'UDP 1000-1002; SCTP (all ports)');
  });

  it('invalid ports are problems and admit nothing', () => {
    const e = engineOf(
      policy('shop', 'p', {
        podSelector: {},
        ingress: [
          { ports: [{ port: 70000 }, { port: 80, endPort: 79 }, { protocol: 'ICMP' }, { port: '80' }] },
        ],
      }),
    );
    assert.equal(allowed(e, pod(e, WEB), pod(e, DB)), 'none');
    assert.equal(e.policies.policies[0]?.problems.length, 4);
  });
});

describe('what NetworkPolicy does not govern', () => {
  it('host-network pods are not isolated and do not match pod selectors as sources', () => {
    const agent = deployment('shop', 'agent', { app: 'agent' });
    (agent.spec as { template: { spec: Record<string, unknown> } }).template.spec.hostNetwork = true;
    const e = engineOf(
      agent,
      policy('shop', 'deny', { podSelector: {}, policyTypes: ['Ingress', 'Egress'] }),
    );
    const toAgent = e.reach(pod(e, MONITOR), pod(e, 'Deployment/shop/agent'));
    assert.equal(toAgent.ingress?.isolated, false);
    assert.match(toAgent.ingress?.notes[0] ?? '', /host network/);
    const open = engineOf(
      agent,
      policy('shop', 'p', {
        podSelector: { matchLabels: { app: 'db' } },
        ingress: [{ from: [{ podSelector: {} }] }],
      }),
    );
    assert.equal(allowed(open, pod(open, 'Deployment/shop/agent'), pod(open, DB)), 'none');
  });

  it('Calico policies of the same kind are not read as Kubernetes NetworkPolicy', () => {
    const calico: KubeObject = {
      apiVersion: 'projectcalico.org/v3',
      kind: 'NetworkPolicy',
      metadata: { name: 'c', namespace: 'shop' },
      spec: { selector: 'all()' },
    };
    const e = engineOf(calico);
    assert.equal(e.policies.policies.length, 0);
    assert.equal(allowed(e, pod(e, WEB), pod(e, DB)), 'all');
  });

  it('objects without a namespace land in default, policies and workloads alike', () => {
    const loose = deployment('', 'loose', { app: 'loose' });
    delete loose.metadata.namespace;
    const deny = policy('', 'deny', { podSelector: {} });
    delete deny.metadata.namespace;
    const e = engineOf(loose, deny);
    assert.equal(allowed(e, pod(e, WEB), pod(e, 'Deployment/default/loose')), 'none');
  });

  it('pods owned by a workload in the inventory are represented by it', () => {
    const owned: KubeObject = {
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: {
        name: 'web-5d9',
        namespace: 'shop',
        ownerReferences: [{ kind: 'Deployment', name: 'web', controller: true }],
      },
      spec: { template: { metadata: { labels: { app: 'web' } }, spec: { containers: [] } } },
    };
    const e = engineOf(owned);
    assert.equal(e.endpoints.byId.has('ReplicaSet/shop/web-5d9'), false);
    assert.equal(e.endpoints.byId.has(WEB), true);
  });
});
