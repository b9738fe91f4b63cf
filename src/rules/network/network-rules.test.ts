import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { evaluate } from '../../core/engine.ts';
import { Inventory } from '../../core/inventory.ts';
import type { KubeObject } from '../../core/kube-object.ts';
import { parsePssVersion } from '../../core/pss-version.ts';
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
    name: 'a LoadBalancer also opens node ports unless allocateLoadBalancerNodePorts is false',
    target: service({ type: 'LoadBalancer' }),
    paths: ['spec.allocateLoadBalancerNodePorts'],
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
    name: 'a default backend beside rules answers every other host: host-specific tls leaves it plain',
    target: ingress({
      tls: [{ hosts: ['a.example.com'] }],
      rules: rules('a.example.com'),
      defaultBackend: { service: { name: 'web', port: { number: 80 } } },
    }),
    paths: ['spec.tls'],
  },
  {
    rule: 'ingress-without-tls',
    name: 'a default backend beside rules, with tls for every host',
    target: ingress({
      tls: [{ secretName: 'wildcard' }],
      rules: rules('a.example.com'),
      defaultBackend: { service: { name: 'web', port: { number: 80 } } },
    }),
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
    name: 'a policy with no spec selects every pod and denies ingress (the defaults)',
    target: web('shop'),
    others: [object('networking.k8s.io/v1', 'NetworkPolicy', 'deny', {}, { namespace: 'shop' })],
    paths: [],
  },
  {
    rule: 'missing-network-policy',
    name: 'a policy without a namespace lands in default, like a workload without one',
    target: web('default'),
    others: [policy({ podSelector: {} })],
    paths: [],
  },
  {
    rule: 'missing-network-policy',
    name: 'a policy without a namespace does not isolate another named namespace',
    target: web('shop'),
    others: [policy({ podSelector: {} })],
    paths: ['spec.template.metadata.labels'],
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
    name: 'a default deny of an apiVersion the API server refuses isolates nothing',
    target: web('shop'),
    others: [
      policy({ podSelector: {} }, 'shop', 'extensions/v1beta1'),
      policy({ podSelector: {} }, 'shop', 'networking.k8s.io/v1beta1'),
    ],
    paths: ['spec.template.metadata.labels'],
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
  {
    rule: 'missing-network-policy',
    name: 'a finished pod accepts nothing',
    target: object(
      'v1',
      'Pod',
      'job-x',
      { spec: { containers: [{ name: 'a', image: 'x:1' }] }, status: { phase: 'Succeeded' } },
      { namespace: 'shop' },
    ),
    paths: [],
  },
  {
    rule: 'missing-network-policy',
    name: 'a running pod is reported',
    target: object(
      'v1',
      'Pod',
      'web-x',
      { spec: { containers: [{ name: 'a', image: 'x:1' }] }, status: { phase: 'Running' } },
      { namespace: 'shop' },
    ),
    paths: ['metadata.labels'],
  },
  {
    rule: 'missing-network-policy',
    name: 'empty policyTypes defaults to Ingress',
    target: web('shop'),
    others: [policy({ podSelector: {}, policyTypes: [] }, 'shop')],
    paths: [],
  },
  {
    rule: 'namespace-without-default-deny-ingress',
    name: 'default deny in the namespace',
    target: web('shop'),
    others: [policy({ podSelector: {}, policyTypes: ['Ingress'] }, 'shop')],
    paths: [],
  },
  {
    rule: 'namespace-without-default-deny-ingress',
    name: 'default deny in another namespace',
    target: web('shop'),
    others: [policy({ podSelector: {} }, 'other')],
    paths: ['metadata.namespace'],
  },
  {
    rule: 'namespace-without-default-deny-ingress',
    name: 'the Namespace object carries the finding when scanned',
    target: object('v1', 'Namespace', 'shop', {}),
    others: [web('shop')],
    paths: ['metadata.name'],
  },
  {
    rule: 'namespace-without-default-deny-ingress',
    name: 'not on the workload when the Namespace object is scanned',
    target: web('shop'),
    others: [object('v1', 'Namespace', 'shop', {})],
    paths: [],
  },
  {
    rule: 'namespace-without-default-deny-ingress',
    name: 'a policy selecting all pods but admitting everything is no default deny',
    target: web('shop'),
    others: [policy({ podSelector: {}, ingress: [{}] }, 'shop')],
    paths: ['metadata.namespace'],
  },
  {
    rule: 'namespace-without-default-deny-ingress',
    name: 'default deny with allowed exceptions counts',
    target: web('shop'),
    others: [
      policy(
        { podSelector: {}, ingress: [{ from: [{ podSelector: { matchLabels: { app: 'web' } } }] }] },
        'shop',
      ),
    ],
    paths: [],
  },
  {
    rule: 'namespace-without-default-deny-ingress',
    name: 'a policy for some pods only is no default deny',
    target: web('shop'),
    others: [policy({ podSelector: { matchLabels: { app: 'web' } } }, 'shop')],
    paths: ['metadata.namespace'],
  },
  {
    rule: 'namespace-without-default-deny-ingress',
    name: 'egress-only default deny leaves ingress open',
    target: web('shop'),
    others: [policy({ podSelector: {}, policyTypes: ['Egress'] }, 'shop')],
    paths: ['metadata.namespace'],
  },
  {
    rule: 'namespace-without-default-deny-ingress',
    name: 'unevaluated CNI policies silence it',
    target: web('shop'),
    others: [object('cilium.io/v2', 'CiliumNetworkPolicy', 'c', { spec: {} }, { namespace: 'shop' })],
    paths: [],
  },
  {
    rule: 'namespace-without-default-deny-ingress',
    name: 'objects without a namespace are in default with policies without one',
    target: web(),
    others: [policy({ podSelector: {} })],
    paths: [],
  },
  {
    rule: 'namespace-without-default-deny-egress',
    name: 'egress rules with policyTypes unset isolate egress',
    target: web('shop'),
    others: [policy({ podSelector: {}, egress: [{ to: [{ podSelector: {} }] }] }, 'shop')],
    paths: [],
  },
  {
    rule: 'namespace-without-default-deny-egress',
    name: 'an empty egress list with policyTypes unset does not',
    target: web('shop'),
    others: [policy({ podSelector: {}, egress: [] }, 'shop')],
    paths: ['metadata.namespace'],
  },
  {
    rule: 'namespace-without-default-deny-egress',
    name: 'allow-everything egress is no default deny',
    target: web('shop'),
    others: [policy({ podSelector: {}, policyTypes: ['Egress'], egress: [{ to: [] }] }, 'shop')],
    paths: ['metadata.namespace'],
  },
  {
    rule: 'network-policy-allows-all',
    name: 'empty from points at the field',
    target: policy({ podSelector: {}, ingress: [{ from: [], ports: [{ port: 443 }] }] }, 'shop'),
    paths: ['spec.ingress[0].from'],
  },
  {
    rule: 'network-policy-allows-all',
    name: 'IPv6 any and IPv4 any with except',
    target: policy(
      {
        podSelector: {},
        policyTypes: ['Egress'],
        egress: [
          {
            to: [
              { ipBlock: { cidr: '10.0.0.0/8' } },
              { ipBlock: { cidr: '::/0' } },
              { ipBlock: { cidr: '0.0.0.0/0', except: ['169.254.169.254/32'] } },
            ],
          },
        ],
      },
      'shop',
    ),
    paths: ['spec.egress[0].to[1].ipBlock.cidr', 'spec.egress[0].to[2].ipBlock.cidr'],
  },
  {
    rule: 'network-policy-allows-all',
    name: 'namespaceSelector {} with a narrower podSelector is fine',
    target: policy(
      {
        podSelector: {},
        ingress: [{ from: [{ namespaceSelector: {}, podSelector: { matchLabels: { app: 'prometheus' } } }] }],
      },
      'shop',
    ),
    paths: [],
  },
  {
    rule: 'network-policy-allows-all',
    name: 'namespaceSelector {} with podSelector {} is every pod',
    target: policy(
      { podSelector: {}, ingress: [{ from: [{ namespaceSelector: {}, podSelector: {} }] }] },
      'shop',
    ),
    paths: ['spec.ingress[0].from[0].namespaceSelector'],
  },
  {
    rule: 'network-policy-allows-all',
    name: 'egress rules without Egress in policyTypes have no effect',
    target: policy({ podSelector: {}, policyTypes: ['Ingress'], egress: [{}] }, 'shop'),
    paths: [],
  },
  {
    rule: 'network-policy-allows-all',
    name: 'Calico policies are not read',
    target: policy({ ingress: [{ action: 'Allow' }] }, 'shop', 'projectcalico.org/v3'),
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

describe('network rules: messages', () => {
  it('network-policy-allows-all names peers and ports', () => {
    const [finding] = findingsOf(
      rule('network-policy-allows-all'),
      policy({ podSelector: {}, ingress: [{ ports: [{ port: 443 }, { port: 'metrics' }] }] }, 'shop'),
    );
    assert.match(
      finding?.message ?? '',
      /ingress\[0\] has no from: .*every address outside it, on TCP 443, TCP\/metrics/,
    );
  });

  it('namespace-without-default-deny-ingress is reported once per namespace', () => {
    const second = deployment('second', { containers: [{ name: 'a', image: 'x:1' }] }, { namespace: 'shop' });
    const other = deployment('other', { containers: [{ name: 'a', image: 'x:1' }] }, { namespace: 'other' });
    const result = evaluate(Inventory.of([web('shop'), second, other]), {
      rules: [rule('namespace-without-default-deny-ingress')],
      pssVersion: parsePssVersion('latest'),
    });
    assert.deepEqual(
      result.findings.map((finding) => finding.resource.name),
      ['web', 'other'],
    );
  });

  it('namespace-without-default-deny-ingress counts and names the workloads', () => {
    const extra = ['a', 'b', 'c'].map((name) =>
      deployment(name, { containers: [{ name, image: 'x:1' }] }, { namespace: 'shop' }),
    );
    const [finding] = findingsOf(rule('namespace-without-default-deny-ingress'), web('shop'), extra);
    assert.match(
      finding?.message ?? '',
      /namespace "shop" runs 4 workloads \(Deployment\/shop\/web, Deployment\/shop\/a, Deployment\/shop\/b, and 1 more\)/,
    );
  });

  it('missing-network-policy says whether egress is restricted', () => {
    const open = findingsOf(rule('missing-network-policy'), web('shop'));
    assert.match(open[0]?.message ?? '', /no policy restricts their egress either/);
    const egress = findingsOf(rule('missing-network-policy'), web('shop'), [
      policy({ podSelector: {}, policyTypes: ['Egress'] }, 'shop'),
    ]);
    assert.match(egress[0]?.message ?? '', /egress is restricted by NetworkPolicy\/shop\/np/);
  });
});
