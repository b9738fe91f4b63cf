// The API resources behind the kinds rules check, for webhook `rules`: only what the policy needs, never `*`.

export interface ApiResource {
  group: string;
  resource: string;
  /** Subresources that can add something that runs (ephemeral containers). */
  subresources?: readonly string[];
}

const KIND_RESOURCES: Record<string, ApiResource> = {
  Pod: { group: '', resource: 'pods', subresources: ['ephemeralcontainers'] },
  PodTemplate: { group: '', resource: 'podtemplates' },
  ReplicationController: { group: '', resource: 'replicationcontrollers' },
  Deployment: { group: 'apps', resource: 'deployments' },
  ReplicaSet: { group: 'apps', resource: 'replicasets' },
  DaemonSet: { group: 'apps', resource: 'daemonsets' },
  StatefulSet: { group: 'apps', resource: 'statefulsets' },
  Job: { group: 'batch', resource: 'jobs' },
  CronJob: { group: 'batch', resource: 'cronjobs' },
  // Custom resources that embed a pod template the workload rules check (src/core/pod-spec.ts).
  Rollout: { group: 'argoproj.io', resource: 'rollouts' },
  DeploymentConfig: { group: 'apps.openshift.io', resource: 'deploymentconfigs' },
  Configuration: { group: 'serving.knative.dev', resource: 'configurations' },
  Service: { group: '', resource: 'services' },
  ConfigMap: { group: '', resource: 'configmaps' },
  Secret: { group: '', resource: 'secrets' },
  ServiceAccount: { group: '', resource: 'serviceaccounts' },
  Namespace: { group: '', resource: 'namespaces' },
  Ingress: { group: 'networking.k8s.io', resource: 'ingresses' },
  NetworkPolicy: { group: 'networking.k8s.io', resource: 'networkpolicies' },
  Role: { group: 'rbac.authorization.k8s.io', resource: 'roles' },
  ClusterRole: { group: 'rbac.authorization.k8s.io', resource: 'clusterroles' },
  RoleBinding: { group: 'rbac.authorization.k8s.io', resource: 'rolebindings' },
  ClusterRoleBinding: { group: 'rbac.authorization.k8s.io', resource: 'clusterrolebindings' },
  PersistentVolume: { group: '', resource: 'persistentvolumes' },
  PersistentVolumeClaim: { group: '', resource: 'persistentvolumeclaims' },
  LimitRange: { group: '', resource: 'limitranges' },
  ResourceQuota: { group: '', resource: 'resourcequotas' },
  PodDisruptionBudget: { group: 'policy', resource: 'poddisruptionbudgets' },
  HorizontalPodAutoscaler: { group: 'autoscaling', resource: 'horizontalpodautoscalers' },
};

/**
 * Kinds some rule checks that the webhook is deliberately not registered for, and why: the manifests command says
 * so instead of leaving a rule silently unused at admission.
 */
const NOT_REGISTERED: Record<string, string> = {
  ValidatingWebhookConfiguration: 'the API server never sends webhook configurations to admission webhooks',
  MutatingWebhookConfiguration: 'the API server never sends webhook configurations to admission webhooks',
  Node: 'written by kubelets as they register and report; a denial would keep a node out of the cluster (scan the cluster instead)',
  Endpoints:
    'rewritten by controllers on every pod change; checking them at admission would slow every rollout',
  EndpointSlice:
    'rewritten by controllers on every pod change; checking them at admission would slow every rollout',
  KubeletConfiguration:
    'a node configuration file, not an API object (scan it, or the cluster with scan --cluster)',
  KubeProxyConfiguration:
    'a node configuration file, not an API object (scan it, or the cluster with scan --cluster)',
  EncryptionConfiguration: 'an API server configuration file, not an API object (scan the file)',
  Policy: 'an audit policy file, not an API object (scan the file)',
};

/** Why a kind has no webhook rule: a known reason, or that its API resource is unknown here. */
export function whyNotRegistered(kind: string): string {
  return NOT_REGISTERED[kind] ?? 'no known API resource';
}

export function resourceOfKind(kind: string): ApiResource | undefined {
  return KIND_RESOURCES[kind];
}

export interface WebhookRule {
  apiGroups: string[];
  apiVersions: string[];
  operations: string[];
  resources: string[];
  scope: '*';
}

/** Webhook rules for `kinds`, one per API group, sorted so the output is stable. Unknown kinds are returned apart. */
export function webhookRulesFor(
  kinds: Iterable<string>,
  operations: readonly string[],
  options: { subresources: boolean },
): { rules: WebhookRule[]; unknownKinds: string[] } {
  const byGroup = new Map<string, Set<string>>();
  const unknownKinds: string[] = [];
  for (const kind of kinds) {
    const resource = resourceOfKind(kind);
    if (!resource) {
      unknownKinds.push(kind);
      continue;
    }
    const set = byGroup.get(resource.group) ?? new Set<string>();
    set.add(resource.resource);
    if (options.subresources)
      for (const sub of resource.subresources ?? []) set.add(`${resource.resource}/${sub}`);
    byGroup.set(resource.group, set);
  }
  const rules = [...byGroup.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([group, resources]) => ({
      apiGroups: [group],
      apiVersions: ['*'],
      operations: [...operations],
      resources: [...resources].sort(),
      scope: '*' as const,
    }));
  return { rules, unknownKinds: [...new Set(unknownKinds)].sort() };
}
