import type { KubeObject } from '../../core/kube-object.ts';
import { WORKLOAD_KINDS } from '../../core/pod-spec.ts';
import { defineRule } from '../../core/rule.ts';
import { deployment } from '../example-objects.ts';
import { missingResources } from './resource-check.ts';

const RESOURCES = { requests: { cpu: '100m', memory: '128Mi' } };

const PASS: KubeObject[] = [
  deployment('web', { containers: [{ name: 'app', image: 'nginx:1.27', resources: RESOURCES }] }),
  // A limit without a request: Kubernetes sets the request to the limit.
  deployment('limited', {
    containers: [{ name: 'app', image: 'nginx:1.27', resources: { limits: { cpu: '1', memory: '1Gi' } } }],
  }),
];

const FAIL: KubeObject[] = [
  deployment('web', {
    initContainers: [{ name: 'migrate', image: 'migrate:1.0', resources: RESOURCES }],
    containers: [{ name: 'app', image: 'nginx:1.27', resources: { requests: { cpu: '100m' } } }],
  }),
];

export default defineRule({
  id: 'missing-resource-requests',
  title: 'Container without CPU or memory requests',
  severity: 'low',
  domain: 'workload',
  kinds: WORKLOAD_KINDS,
  phase: 'deploy',
  layer: 'container',
  frameworks: { 'nsa-cisa': ['resource-policies'] },
  description:
    'Without CPU and memory requests the scheduler places the pod as if it used nothing, so nodes are overcommitted and the pod is the first to be evicted under memory pressure (QoS class BestEffort). ' +
    'A request is satisfied by the container, by pod-level `spec.resources`, by a limit on the same resource (Kubernetes copies the limit into the request), or by a LimitRange in the same namespace. ' +
    'A quantity of 0 is no bound (the kubelet sets no limit for it, and a 0 request leaves the pod BestEffort). Ephemeral containers cannot have resources and are not checked.',
  remediation:
    'Set `resources.requests.cpu` and `resources.requests.memory` on every container and init container, or give the namespace a LimitRange with `defaultRequest`:\n\n```yaml\nresources:\n  requests:\n    cpu: 100m\n    memory: 128Mi\n```',
  references: [
    'https://kubernetes.io/docs/concepts/configuration/manage-resources-containers/',
    'https://kubernetes.io/docs/concepts/policy/limit-range/',
  ],
  admission: 'needs-cluster-for-templates',
  examples: { pass: PASS, fail: FAIL },
  check: (obj, context) => missingResources(obj, context, 'requests', ['cpu', 'memory']),
});
