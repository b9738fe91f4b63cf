// Kinds read from a cluster even when no rule checks them: rules consult them about other objects.

export const CONTEXT_KINDS: readonly string[] = [
  'Namespace',
  'Node',
  'Pod',
  'ReplicaSet',
  'Deployment',
  'StatefulSet',
  'DaemonSet',
  'Job',
  'CronJob',
  'ReplicationController',
  'Service',
  'ServiceAccount',
  'Secret',
  'ConfigMap',
  'ResourceQuota',
  'LimitRange',
  'NetworkPolicy',
  'Ingress',
  'Role',
  'ClusterRole',
  'RoleBinding',
  'ClusterRoleBinding',
  'ValidatingWebhookConfiguration',
  'MutatingWebhookConfiguration',
  'ValidatingAdmissionPolicy',
  'ValidatingAdmissionPolicyBinding',
  'RuntimeClass',
  'PodDisruptionBudget',
  'PersistentVolume',
  'PersistentVolumeClaim',
  'StorageClass',
  'CertificateSigningRequest',
  'PriorityClass',
  'HorizontalPodAutoscaler',
];

/** Kinds that can never be read from a LIST (they are derived, or are node-local configuration files). */
const NOT_LISTABLE = new Set([
  'KubeletConfiguration',
  'KubeProxyConfiguration',
  'EncryptionConfiguration',
  'Policy',
]);

/** The kinds to list: every rule's kinds plus the context kinds, each once, in a stable order. */
export function kindsToList(ruleKinds: Iterable<string>): string[] {
  const kinds = new Set(CONTEXT_KINDS);
  for (const kind of ruleKinds) if (!NOT_LISTABLE.has(kind)) kinds.add(kind);
  return [...kinds];
}
