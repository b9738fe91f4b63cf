// The API group of each built-in kind Palisade lists. A custom resource may reuse a built-in kind's name (Longhorn
// serves a `Node` in longhorn.io): such a kind is read only from its own group, and when that group's discovery
// failed the kind was not read, rather than "not served".

const GROUPS: Record<string, readonly string[]> = {
  '': [
    'ConfigMap',
    'Endpoints',
    'LimitRange',
    'Namespace',
    'Node',
    'PersistentVolume',
    'PersistentVolumeClaim',
    'Pod',
    'PodTemplate',
    'ReplicationController',
    'ResourceQuota',
    'Secret',
    'Service',
    'ServiceAccount',
  ],
  apps: ['DaemonSet', 'Deployment', 'ReplicaSet', 'StatefulSet'],
  batch: ['CronJob', 'Job'],
  autoscaling: ['HorizontalPodAutoscaler'],
  policy: ['PodDisruptionBudget'],
  'networking.k8s.io': ['Ingress', 'NetworkPolicy'],
  'discovery.k8s.io': ['EndpointSlice'],
  'rbac.authorization.k8s.io': ['ClusterRole', 'ClusterRoleBinding', 'Role', 'RoleBinding'],
  'admissionregistration.k8s.io': [
    'MutatingWebhookConfiguration',
    'ValidatingAdmissionPolicy',
    'ValidatingAdmissionPolicyBinding',
    'ValidatingWebhookConfiguration',
  ],
  'node.k8s.io': ['RuntimeClass'],
  'storage.k8s.io': ['StorageClass'],
  'certificates.k8s.io': ['CertificateSigningRequest'],
  'scheduling.k8s.io': ['PriorityClass'],
};

const GROUP_OF_KIND: ReadonlyMap<string, string> = new Map(
  Object.entries(GROUPS).flatMap(([group, kinds]) => kinds.map((kind) => [kind, group] as const)),
);

/** The group of a built-in kind (`''` for the core group), or undefined for any other kind. */
export function builtinGroupOf(kind: string): string | undefined {
  return GROUP_OF_KIND.get(kind);
}

/** `apps/v1` -> `apps`, `v1` -> `` (the core group). */
export function groupOfGroupVersion(groupVersion: string): string {
  const slash = groupVersion.indexOf('/');
  return slash === -1 ? '' : groupVersion.slice(0, slash);
}
