import { type KubeObject, nameOf } from '../../core/kube-object.ts';
import { WORKLOAD_KINDS } from '../../core/pod-spec.ts';
import { defineRule } from '../../core/rule.ts';
import { deployment, object } from '../example-objects.ts';

/** Namespaced kinds users create; cluster-scoped kinds have no namespace to misuse. */
const NAMESPACED_KINDS: readonly string[] = [
  ...WORKLOAD_KINDS,
  'Service',
  'ConfigMap',
  'Secret',
  'ServiceAccount',
  'Role',
  'RoleBinding',
  'Ingress',
  'NetworkPolicy',
  'PersistentVolumeClaim',
  'HorizontalPodAutoscaler',
  'PodDisruptionBudget',
  'LimitRange',
  'ResourceQuota',
  'Endpoints',
  'EndpointSlice',
];

/** The EndpointSlice controllers' own values of the managed-by label; people and other tools set theirs. */
const SLICE_CONTROLLERS = new Set([
  'endpointslice-controller.k8s.io',
  'endpointslicemirroring-controller.k8s.io',
]);

/** Objects Kubernetes itself creates in `default`: flagging them would be noise in every cluster scan. */
function isSystemObject(obj: KubeObject): boolean {
  const name = obj.metadata.name;
  if (name === 'kubernetes' && ['Service', 'Endpoints', 'EndpointSlice'].includes(obj.kind)) return true;
  // The endpoint controllers' copies of a Service's pods: the Service is the user's object, and is reported.
  const managedBy = obj.metadata.labels?.['endpointslice.kubernetes.io/managed-by'];
  if (obj.kind === 'EndpointSlice' && managedBy !== undefined && SLICE_CONTROLLERS.has(managedBy))
    return true;
  if (
    obj.kind === 'Endpoints' &&
    obj.metadata.annotations?.['endpoints.kubernetes.io/last-change-trigger-time'] !== undefined
  )
    return true;
  if (obj.kind === 'ServiceAccount' && name === 'default') return true;
  return obj.kind === 'ConfigMap' && name === 'kube-root-ca.crt';
}

const PASS: KubeObject[] = [
  deployment('web', { containers: [{ name: 'app', image: 'web:1.0' }] }, { namespace: 'shop' }),
  // No namespace: it is chosen at apply time (kubectl -n, Kustomize, Helm).
  deployment('portable', { containers: [{ name: 'app', image: 'web:1.0' }] }),
  object('v1', 'Service', 'kubernetes', { spec: { ports: [{ port: 443 }] } }, { namespace: 'default' }),
];

const FAIL: KubeObject[] = [
  deployment('web', { containers: [{ name: 'app', image: 'web:1.0' }] }, { namespace: 'default' }),
  object('v1', 'ConfigMap', 'settings', { data: { mode: 'production' } }, { namespace: 'default' }),
];

export default defineRule({
  id: 'default-namespace-used',
  title: 'Object in the default namespace',
  severity: 'low',
  domain: 'workload',
  kinds: NAMESPACED_KINDS,
  phase: 'deploy',
  layer: 'cluster',
  frameworks: { 'cis-k8s': ['5.7.1', '5.7.4'], 'nsa-cisa': ['namespaces'] },
  description:
    'Namespaces are the unit of RBAC, NetworkPolicy, ResourceQuota and Pod Security Admission. Everything put in `default` shares one boundary with everything else put there, and `default` is rarely given restrictive policies. ' +
    'Only objects that explicitly say `namespace: default` are flagged; objects without a namespace get theirs at apply time. The objects Kubernetes creates in `default` itself are skipped, and so are the Endpoints and EndpointSlices its controllers write for a Service (the Service is reported).',
  remediation:
    'Create a namespace per application or team and set `metadata.namespace` to it (or leave it unset and choose it at deploy time).',
  references: [
    'https://kubernetes.io/docs/concepts/overview/working-with-objects/namespaces/',
    'https://kubernetes.io/docs/concepts/security/multi-tenancy/',
  ],
  examples: { pass: PASS, fail: FAIL },
  check: (obj) => {
    if (obj.metadata.namespace !== 'default' || isSystemObject(obj)) return [];
    return [
      {
        message: `${obj.kind} "${nameOf(obj)}" is in the default namespace`,
        path: ['metadata', 'namespace'],
      },
    ];
  },
});
