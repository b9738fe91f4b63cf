import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { KubeObject } from '../../core/kube-object.ts';
import type { Rule } from '../../core/rule.ts';
import { deployment, object } from '../example-objects.ts';
import { findingsOf } from '../workload/rule-test-support.ts';
import { networkRules } from './index.ts';

function rule(id: string): Rule {
  const found = networkRules.find((candidate) => candidate.id === id);
  assert.ok(found, id);
  return found;
}

const web = (namespace?: string) =>
  deployment(
    'web',
    { containers: [{ name: 'a', image: 'x:1' }] },
    namespace ? { namespace, labels: { app: 'web' } } : { labels: { app: 'web' } },
  );
const policyOf = (apiVersion: string, kind: string, namespace?: string) =>
  object(apiVersion, kind, 'a', { spec: { endpointSelector: {} } }, namespace ? { namespace } : {});
const cilium = (namespace?: string) => policyOf('cilium.io/v2', 'CiliumNetworkPolicy', namespace);

describe('missing-network-policy: unevaluated policy kinds by scope', () => {
  const missing = rule('missing-network-policy');
  const cases: { name: string; target: KubeObject; others: KubeObject[]; flagged: boolean }[] = [
    {
      name: 'CiliumNetworkPolicy of another namespace',
      target: web('team-b'),
      others: [cilium('team-a')],
      flagged: true,
    },
    {
      name: 'CiliumNetworkPolicy of the same namespace',
      target: web('team-b'),
      others: [cilium('team-b')],
      flagged: false,
    },
    {
      name: 'workload without namespace, policy anywhere',
      target: web(),
      others: [cilium('team-a')],
      flagged: false,
    },
    {
      name: 'Calico NetworkPolicy of another namespace',
      target: web('team-b'),
      others: [policyOf('projectcalico.org/v3', 'NetworkPolicy', 'team-a')],
      flagged: true,
    },
    {
      name: 'CiliumClusterwideNetworkPolicy',
      target: web('team-b'),
      others: [policyOf('cilium.io/v2', 'CiliumClusterwideNetworkPolicy')],
      flagged: false,
    },
    {
      name: 'AdminNetworkPolicy',
      target: web('team-b'),
      others: [policyOf('policy.networking.k8s.io/v1alpha1', 'AdminNetworkPolicy')],
      flagged: false,
    },
  ];
  for (const { name, target, others, flagged } of cases)
    it(name, () => {
      assert.equal(findingsOf(missing, target, others).length > 0, flagged);
    });
});

const lb = (
  name: string,
  spec: Record<string, unknown>,
  annotations?: Record<string, string>,
): KubeObject => {
  const svc = object('v1', 'Service', name, {
    spec: { type: 'LoadBalancer', selector: { app: 'web' }, ports: [{ port: 443 }], ...spec },
  });
  if (annotations) svc.metadata.annotations = annotations;
  return svc;
};
const RANGES = 'service.beta.kubernetes.io/load-balancer-source-ranges';

describe('load-balancer-service: source ranges annotation', () => {
  const balancer = rule('load-balancer-service');
  it('restricting annotation passes', () => {
    assert.deepEqual(findingsOf(balancer, lb('svc', {}, { [RANGES]: '203.0.113.0/24,198.51.100.7/32' })), []);
  });
  it('open annotation fails at the annotation, like the field', () => {
    for (const open of ['0.0.0.0/0', ' 10.0.0.0/8 , ::/0'])
      assert.deepEqual(
        findingsOf(balancer, lb('svc', {}, { [RANGES]: open })).map((finding) => finding.location.path),
        [`metadata.annotations[${RANGES}]`],
      );
    assert.equal(findingsOf(balancer, lb('svc', { loadBalancerSourceRanges: ['0.0.0.0/0'] })).length, 1);
  });
  it('any zero-length prefix is open, however written; ranges covering a family together are too', () => {
    for (const open of ['0::/0', '0:0:0:0:0:0:0:0/0', '10.1.2.3/0', ' 0.0.0.0/0 '])
      assert.equal(findingsOf(balancer, lb('svc', { loadBalancerSourceRanges: [open] })).length, 1, open);
    assert.equal(findingsOf(balancer, lb('svc', {}, { [RANGES]: '10.0.0.0/8,0::/0' })).length, 1);
    const halves = findingsOf(
      balancer,
      lb('svc', { loadBalancerSourceRanges: ['0.0.0.0/1', '128.0.0.0/1'] }),
    );
    assert.match(halves[0]?.message ?? '', /together cover every IPv4 address/);
    for (const closed of [['0.0.0.0/1'], ['10.0.0.0/8', '2001:db8::/32'], ['not-a-cidr']])
      assert.deepEqual(
        findingsOf(balancer, lb('svc', { loadBalancerSourceRanges: closed })),
        [],
        closed.join(),
      );
  });
  it('empty annotation counts as no ranges', () => {
    assert.equal(findingsOf(balancer, lb('svc', {}, { [RANGES]: ' , ' })).length, 1);
  });
  it('the field wins over the annotation when set', () => {
    assert.equal(
      findingsOf(
        balancer,
        lb('svc', { loadBalancerSourceRanges: ['203.0.113.0/24'] }, { [RANGES]: '0.0.0.0/0' }),
      ).length,
      0,
    );
  });
});

describe('node-port-service: node ports of LoadBalancer services', () => {
  const nodePort = rule('node-port-service');
  it('flags a LoadBalancer that allocates node ports, saying so', () => {
    const findings = findingsOf(nodePort, lb('svc', { loadBalancerSourceRanges: ['203.0.113.0/24'] }));
    assert.equal(findings.length, 1);
    assert.match(findings[0]?.message ?? '', /node port/);
    assert.match(findings[0]?.message ?? '', /allocateLoadBalancerNodePorts/);
  });
  it('passes a LoadBalancer with allocateLoadBalancerNodePorts: false', () => {
    assert.deepEqual(findingsOf(nodePort, lb('svc', { allocateLoadBalancerNodePorts: false })), []);
  });
  it('flags node ports set explicitly despite allocateLoadBalancerNodePorts: false', () => {
    const svc = lb('svc', {
      allocateLoadBalancerNodePorts: false,
      ports: [{ port: 443 }, { port: 80, nodePort: 30080 }],
    });
    assert.deepEqual(
      findingsOf(nodePort, svc).map((finding) => finding.location.path),
      ['spec.ports[1].nodePort'],
    );
  });
  it('keeps the severity for LoadBalancer node ports', () => {
    assert.equal(findingsOf(nodePort, lb('svc', {}))[0]?.severity, nodePort.severity);
  });
});
