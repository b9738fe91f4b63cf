import type { KubeObject } from '../../core/kube-object.ts';
import { WORKLOAD_KINDS } from '../../core/pod-spec.ts';
import { defineRule } from '../../core/rule.ts';
import { deployment, object } from '../example-objects.ts';
import { missingResources } from './resource-check.ts';

const PASS: KubeObject[] = [
  deployment('web', {
    containers: [{ name: 'app', image: 'nginx:1.27', resources: { limits: { memory: '256Mi' } } }],
  }),
  // Ephemeral containers cannot have resources.
  object('v1', 'Pod', 'debug', {
    spec: {
      containers: [{ name: 'app', image: 'nginx:1.27', resources: { limits: { memory: '256Mi' } } }],
      ephemeralContainers: [{ name: 'debugger', image: 'busybox:1.36' }],
    },
  }),
];

const FAIL: KubeObject[] = [
  deployment('web', {
    containers: [{ name: 'app', image: 'nginx:1.27', resources: { requests: { memory: '256Mi' } } }],
  }),
];

export default defineRule({
  id: 'missing-memory-limit',
  title: 'Container without a memory limit',
  severity: 'medium',
  domain: 'workload',
  kinds: WORKLOAD_KINDS,
  phase: 'deploy',
  layer: 'container',
  frameworks: { 'nsa-cisa': ['resource-policies'], 'mitre-attack': ['T1499'] },
  description:
    'A container without a memory limit can use all the memory of its node: a leak, a compromised process or a denial-of-service payload then starves every other pod there and the kubelet evicts them. ' +
    'A limit is satisfied by the container, by pod-level `spec.resources.limits`, or by a LimitRange in the same namespace (`default` or `max`). A quantity of 0 is no bound (the kubelet sets no limit for it, and a 0 request leaves the pod BestEffort). Ephemeral containers cannot have resources and are not checked.',
  remediation:
    'Set `resources.limits.memory` on every container and init container (usually equal to the memory request), or give the namespace a LimitRange with a `default` memory limit.',
  references: [
    'https://kubernetes.io/docs/concepts/configuration/manage-resources-containers/',
    'https://kubernetes.io/docs/tasks/administer-cluster/manage-resources/memory-default-namespace/',
  ],
  admission: 'needs-cluster-for-templates',
  examples: { pass: PASS, fail: FAIL },
  check: (obj, context) => missingResources(obj, context, 'limits', ['memory']),
});
