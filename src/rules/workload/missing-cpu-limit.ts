import type { KubeObject } from '../../core/kube-object.ts';
import { WORKLOAD_KINDS } from '../../core/pod-spec.ts';
import { defineRule } from '../../core/rule.ts';
import { deployment, object } from '../example-objects.ts';
import { missingResources } from './resource-check.ts';

const PASS: KubeObject[] = [
  deployment('web', {
    containers: [{ name: 'app', image: 'nginx:1.27', resources: { limits: { cpu: '500m' } } }],
  }),
  // Pod-level resources cover every container.
  object('v1', 'Pod', 'pod-level', {
    spec: { resources: { limits: { cpu: '1' } }, containers: [{ name: 'app', image: 'nginx:1.27' }] },
  }),
];

const FAIL: KubeObject[] = [
  deployment('web', {
    initContainers: [{ name: 'setup', image: 'busybox:1.36' }],
    containers: [{ name: 'app', image: 'nginx:1.27', resources: { limits: { cpu: '500m' } } }],
  }),
];

export default defineRule({
  id: 'missing-cpu-limit',
  title: 'Container without a CPU limit',
  severity: 'low',
  domain: 'workload',
  kinds: WORKLOAD_KINDS,
  phase: 'deploy',
  layer: 'container',
  frameworks: { 'nsa-cisa': ['resource-policies'], 'mitre-attack': ['T1496'] },
  description:
    'A container without a CPU limit may use every idle core of its node, which is how hijacked workloads (crypto-mining) hide their cost. ' +
    'CPU is compressible, so many teams deliberately leave CPU limits off for latency-sensitive services and rely on requests; hence the low severity. ' +
    'A limit is satisfied by the container, by pod-level `spec.resources.limits`, or by a LimitRange in the same namespace. A quantity of 0 is no bound (the kubelet sets no limit for it, and a 0 request leaves the pod BestEffort). Ephemeral containers cannot have resources and are not checked.',
  remediation:
    'Set `resources.limits.cpu` on every container and init container, or give the namespace a LimitRange with a `default` CPU limit. If you leave CPU limits off on purpose, disable this rule.',
  references: [
    'https://kubernetes.io/docs/concepts/configuration/manage-resources-containers/',
    'https://kubernetes.io/docs/tasks/administer-cluster/manage-resources/cpu-default-namespace/',
  ],
  admission: 'needs-cluster-for-templates',
  examples: { pass: PASS, fail: FAIL },
  check: (obj, context) => missingResources(obj, context, 'limits', ['cpu']),
});
