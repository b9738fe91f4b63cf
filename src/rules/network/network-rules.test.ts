import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { KubeObject } from '../../core/kube-object.ts';
import type { Rule } from '../../core/rule.ts';
import { deployment, object } from '../example-objects.ts';
import { assertExamples, assertRobust, findingsOf } from '../workload/rule-test-support.ts';
import { networkRules } from './index.ts';

function rule(id: string): Rule {
  const found = networkRules.find((candidate) => candidate.id === id);
  assert.ok(found, id);
  return found;
}

describe('network rules: examples and robustness', () => {
  for (const r of networkRules)
    it(r.id, () => {
      assertExamples(r);
      assertRobust(r);
    });
});

const service = (spec: Record<string, unknown>, annotations?: Record<string, string>): KubeObject => {
  const svc = object('v1', 'Service', 'svc', { spec: { ports: [{ port: 80 }], ...spec } });
  if (annotations) svc.metadata.annotations = annotations;
  return svc;
};
const backend = { service: { name: 'web', port: { number: 80 } } };
const ingress = (spec: Record<string, unknown>, annotations?: Record<string, string>): KubeObject => {
  const ing = object('networking.k8s.io/v1', 'Ingress', 'ing', { spec });
  if (annotations) ing.metadata.annotations = annotations;
  return ing;
};
const rules = (...hosts: (string | undefined)[]) =>
  hosts.map((host) => ({
    ...(host ? { host } : {}),
    http: { paths: [{ path: '/', pathType: 'Prefix', backend }] },
  }));
const web = (namespace?: string) =>
  deployment(
    'web',
    { containers: [{ name: 'a', image: 'x:1' }] },
    namespace ? { namespace, labels: { app: 'web' } } : { labels: { app: 'web' } },
  );
const policy = (spec: Record<string, unknown>, namespace?: string, apiVersion = 'networking.k8s.io/v1') =>
  object(apiVersion, 'NetworkPolicy', 'np', { spec }, namespace ? { namespace } : {});

interface Case {
  rule: string;
  name: string;
  target: KubeObject;
  others?: KubeObject[];
  paths: string[];
}

const CASES: Case[] = [
  {
    rule: 'node-port-service',
    name: 'LoadBalancer is another rule',
    target: service({ type: 'LoadBalancer' }),
    paths: [],
  },
  {
    rule: 'load-balancer-service',
    name: 'internal AWS load balancer',
    target: service(
      { type: 'LoadBalancer' },
      { 'service.beta.kubernetes.io/aws-load-balancer-internal': 'true' },
    ),
    paths: [],
  },
  {
    rule: 'load-balancer-service',
    name: 'internal annotation set to false',
    target: service(
      { type: 'LoadBalancer' },
      { 'service.beta.kubernetes.io/azure-load-balancer-internal': 'false' },
    ),
    paths: ['spec.loadBalancerSourceRanges'],
  },
  {
    rule: 'load-balancer-service',
    name: 'IPv6 any',
    target: service({ type: 'LoadBalancer', loadBalancerSourceRanges: ['10.0.0.0/8', '::/0'] }),
    paths: ['spec.loadBalancerSourceRanges[1]'],
  },
  {
    rule: 'service-external-ips',
    name: 'external IPs on a NodePort service',
    target: service({ type: 'NodePort', externalIPs: ['192.0.2.1', '192.0.2.2'] }),
    paths: ['spec.externalIPs'],
  },
  {
    rule: 'ingress-without-tls',
    name: 'no tls at all',
    target: ingress({ rules: rules('a.example.com', 'b.example.com') }),
    paths: ['spec.rules[0].host', 'spec.rules[1].host'],
  },
  {
    rule: 'ingress-without-tls',
    name: 'tls entry without hosts covers all',
    target: ingress({ tls: [{ secretName: 'default-cert' }], rules: rules('a.example.com', undefined) }),
    paths: [],
  },
  {
    rule: 'ingress-without-tls',
    name: 'wildcard covers one label only',
    target: ingress({
      tls: [{ hosts: ['*.example.com'] }],
      rules: rules('a.example.com', 'a.b.example.com', 'example.com'),
    }),
    paths: ['spec.rules[1].host', 'spec.rules[2].host'],
  },
  {
    rule: 'ingress-without-tls',
    name: 'hosts compare case-insensitively',
    target: ingress({ tls: [{ hosts: ['Shop.Example.com'] }], rules: rules('shop.example.COM') }),
    paths: [],
  },
  {
    rule: 'ingress-without-tls',
    name: 'hostless rule with host-specific tls',
    target: ingress({ tls: [{ hosts: ['a.example.com'] }], rules: rules(undefined) }),
    paths: ['spec.rules[0]'],
  },
  {
    rule: 'ingress-without-tls',
    name: 'ALB certificate annotation',
    target: ingress(
      { rules: rules('a.example.com') },
      { 'alb.ingress.kubernetes.io/certificate-arn': 'arn:aws:acm:eu-west-1:123456789012:certificate/x' },
    ),
    paths: [],
  },
  {
    rule: 'ingress-without-tls',
    name: 'legacy spec.backend',
    target: object('extensions/v1beta1', 'Ingress', 'old', {
      spec: { backend: { serviceName: 'web', servicePort: 80 } },
    }),
    paths: ['spec.tls'],
  },
  {
    rule: 'missing-network-policy',
    name: 'default deny in the namespace',
    target: web('shop'),
    others: [policy({ podSelector: {} }, 'shop')],
    paths: [],
  },
  {
    rule: 'missing-network-policy',
    name: 'policy in another namespace',
    target: web('shop'),
    others: [policy({ podSelector: {} }, 'other')],
    paths: ['spec.template.metadata.labels'],
  },
  {
    rule: 'missing-network-policy',
    name: 'egress-only policy does not isolate ingress',
    target: web('shop'),
    others: [policy({ podSelector: {}, policyTypes: ['Egress'] }, 'shop')],
    paths: ['spec.template.metadata.labels'],
  },
  {
    rule: 'missing-network-policy',
    name: 'selector matching other pods',
    target: web('shop'),
    others: [policy({ podSelector: { matchLabels: { app: 'db' } } }, 'shop')],
    paths: ['spec.template.metadata.labels'],
  },
  {
    rule: 'missing-network-policy',
    name: 'selector expression',
    target: web('shop'),
    others: [
      policy(
        { podSelector: { matchExpressions: [{ key: 'app', operator: 'In', values: ['web', 'api'] }] } },
        'shop',
      ),
    ],
    paths: [],
  },
  {
    rule: 'missing-network-policy',
    name: 'Calico policy counts',
    target: web('shop'),
    others: [policy({ selector: "app == 'web'" }, 'shop', 'projectcalico.org/v3')],
    paths: [],
  },
  {
    rule: 'missing-network-policy',
    name: 'Cilium clusterwide policy counts',
    target: web('shop'),
    others: [object('cilium.io/v2', 'CiliumClusterwideNetworkPolicy', 'c', { spec: {} })],
    paths: [],
  },
];

describe('network rules: cases', () => {
  for (const c of CASES)
    it(`${c.rule}: ${c.name}`, () => {
      assert.deepEqual(
        findingsOf(rule(c.rule), c.target, c.others).map((finding) => finding.location.path),
        c.paths,
      );
    });
});
