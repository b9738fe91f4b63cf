// API versions the Kubernetes API server no longer serves (the Deprecated API Migration Guide): applying such an
// object fails with "no matches for kind", so a manifest that still uses one never reaches a current cluster. Rules
// still check the object for what it means; the load notice says it cannot be applied as written. Every removal
// below happened by Kubernetes 1.32, so no supported release serves any of them.

interface Removal {
  kind: string;
  apiVersions: readonly string[];
  removedIn: string;
  /** What to write instead. */
  use: string;
}

const APPS = 'apiVersion apps/v1';
const PSA = 'Pod Security Admission (the kind itself was removed in 1.25)';

const REMOVALS: readonly Removal[] = [
  // 1.16
  {
    kind: 'Deployment',
    apiVersions: ['extensions/v1beta1', 'apps/v1beta1', 'apps/v1beta2'],
    removedIn: '1.16',
    use: APPS,
  },
  {
    kind: 'ReplicaSet',
    apiVersions: ['extensions/v1beta1', 'apps/v1beta1', 'apps/v1beta2'],
    removedIn: '1.16',
    use: APPS,
  },
  { kind: 'DaemonSet', apiVersions: ['extensions/v1beta1', 'apps/v1beta2'], removedIn: '1.16', use: APPS },
  { kind: 'StatefulSet', apiVersions: ['apps/v1beta1', 'apps/v1beta2'], removedIn: '1.16', use: APPS },
  {
    kind: 'NetworkPolicy',
    apiVersions: ['extensions/v1beta1'],
    removedIn: '1.16',
    use: 'apiVersion networking.k8s.io/v1',
  },
  { kind: 'PodSecurityPolicy', apiVersions: ['extensions/v1beta1'], removedIn: '1.16', use: PSA },
  // 1.22
  ...['MutatingWebhookConfiguration', 'ValidatingWebhookConfiguration'].map((kind) => ({
    kind,
    apiVersions: ['admissionregistration.k8s.io/v1beta1'],
    removedIn: '1.22',
    use: 'apiVersion admissionregistration.k8s.io/v1',
  })),
  {
    kind: 'CustomResourceDefinition',
    apiVersions: ['apiextensions.k8s.io/v1beta1'],
    removedIn: '1.22',
    use: 'apiVersion apiextensions.k8s.io/v1',
  },
  {
    kind: 'APIService',
    apiVersions: ['apiregistration.k8s.io/v1beta1'],
    removedIn: '1.22',
    use: 'apiVersion apiregistration.k8s.io/v1',
  },
  {
    kind: 'CertificateSigningRequest',
    apiVersions: ['certificates.k8s.io/v1beta1'],
    removedIn: '1.22',
    use: 'apiVersion certificates.k8s.io/v1',
  },
  {
    kind: 'Lease',
    apiVersions: ['coordination.k8s.io/v1beta1'],
    removedIn: '1.22',
    use: 'apiVersion coordination.k8s.io/v1',
  },
  {
    kind: 'Ingress',
    apiVersions: ['extensions/v1beta1', 'networking.k8s.io/v1beta1'],
    removedIn: '1.22',
    use: 'apiVersion networking.k8s.io/v1',
  },
  {
    kind: 'IngressClass',
    apiVersions: ['networking.k8s.io/v1beta1'],
    removedIn: '1.22',
    use: 'apiVersion networking.k8s.io/v1',
  },
  ...['ClusterRole', 'ClusterRoleBinding', 'Role', 'RoleBinding'].map((kind) => ({
    kind,
    apiVersions: ['rbac.authorization.k8s.io/v1beta1'],
    removedIn: '1.22',
    use: 'apiVersion rbac.authorization.k8s.io/v1',
  })),
  {
    kind: 'PriorityClass',
    apiVersions: ['scheduling.k8s.io/v1beta1'],
    removedIn: '1.22',
    use: 'apiVersion scheduling.k8s.io/v1',
  },
  ...['CSIDriver', 'CSINode', 'StorageClass', 'VolumeAttachment'].map((kind) => ({
    kind,
    apiVersions: ['storage.k8s.io/v1beta1'],
    removedIn: '1.22',
    use: 'apiVersion storage.k8s.io/v1',
  })),
  // 1.25
  { kind: 'CronJob', apiVersions: ['batch/v1beta1'], removedIn: '1.25', use: 'apiVersion batch/v1' },
  {
    kind: 'EndpointSlice',
    apiVersions: ['discovery.k8s.io/v1beta1'],
    removedIn: '1.25',
    use: 'apiVersion discovery.k8s.io/v1',
  },
  {
    kind: 'Event',
    apiVersions: ['events.k8s.io/v1beta1'],
    removedIn: '1.25',
    use: 'apiVersion events.k8s.io/v1',
  },
  {
    kind: 'HorizontalPodAutoscaler',
    apiVersions: ['autoscaling/v2beta1'],
    removedIn: '1.25',
    use: 'apiVersion autoscaling/v2',
  },
  {
    kind: 'PodDisruptionBudget',
    apiVersions: ['policy/v1beta1'],
    removedIn: '1.25',
    use: 'apiVersion policy/v1',
  },
  {
    kind: 'PodSecurityPolicy',
    apiVersions: ['policy/v1beta1'],
    removedIn: '1.25',
    use: 'Pod Security Admission (pod-security.kubernetes.io labels on the namespace)',
  },
  {
    kind: 'RuntimeClass',
    apiVersions: ['node.k8s.io/v1beta1'],
    removedIn: '1.25',
    use: 'apiVersion node.k8s.io/v1',
  },
  // 1.26, 1.27, 1.29, 1.32
  {
    kind: 'HorizontalPodAutoscaler',
    apiVersions: ['autoscaling/v2beta2'],
    removedIn: '1.26',
    use: 'apiVersion autoscaling/v2',
  },
  {
    kind: 'CSIStorageCapacity',
    apiVersions: ['storage.k8s.io/v1beta1'],
    removedIn: '1.27',
    use: 'apiVersion storage.k8s.io/v1',
  },
  ...(['1.26', '1.29', '1.32'] as const).flatMap((removedIn, index) =>
    ['FlowSchema', 'PriorityLevelConfiguration'].map((kind) => ({
      kind,
      apiVersions: [`flowcontrol.apiserver.k8s.io/v1beta${index + 1}`],
      removedIn,
      use: 'apiVersion flowcontrol.apiserver.k8s.io/v1',
    })),
  ),
];

const BY_KIND_AND_VERSION = new Map<string, Removal>(
  REMOVALS.flatMap((removal) =>
    removal.apiVersions.map((apiVersion) => [`${removal.kind}\u0000${apiVersion}`, removal] as const),
  ),
);

/** Why an object's apiVersion cannot be applied to a current cluster, and what to use; undefined when it is served. */
export function removedApiMessage(kind: string, apiVersion: string): string | undefined {
  const removal = BY_KIND_AND_VERSION.get(`${kind}\u0000${apiVersion}`);
  if (!removal) return undefined;
  return `${apiVersion} ${kind} is not served since Kubernetes ${removal.removedIn}, so applying it fails: use ${removal.use}`;
}
