// Which resources are cluster-scoped: a RoleBinding never grants them (except a namespace's own object). Built-in
// resources from a table; others from the cluster's API discovery or the CustomResourceDefinitions in the input.
import { groupResourceKey, type Inventory } from '../core/inventory.ts';
import { isRecord } from '../core/kube-object.ts';

export const CLUSTER_SCOPED: ReadonlySet<string> = new Set([
  '/namespaces',
  '/nodes',
  '/persistentvolumes',
  '/componentstatuses',
  'rbac.authorization.k8s.io/clusterroles',
  'rbac.authorization.k8s.io/clusterrolebindings',
  'certificates.k8s.io/certificatesigningrequests',
  'certificates.k8s.io/signers',
  'certificates.k8s.io/clustertrustbundles',
  'admissionregistration.k8s.io/validatingwebhookconfigurations',
  'admissionregistration.k8s.io/mutatingwebhookconfigurations',
  'admissionregistration.k8s.io/validatingadmissionpolicies',
  'admissionregistration.k8s.io/validatingadmissionpolicybindings',
  'admissionregistration.k8s.io/mutatingadmissionpolicies',
  'admissionregistration.k8s.io/mutatingadmissionpolicybindings',
  'apiextensions.k8s.io/customresourcedefinitions',
  'apiregistration.k8s.io/apiservices',
  'storage.k8s.io/storageclasses',
  'storage.k8s.io/csidrivers',
  'storage.k8s.io/csinodes',
  'storage.k8s.io/volumeattachments',
  'storage.k8s.io/volumeattributesclasses',
  'scheduling.k8s.io/priorityclasses',
  'node.k8s.io/runtimeclasses',
  'networking.k8s.io/ingressclasses',
  'networking.k8s.io/ipaddresses',
  'networking.k8s.io/servicecidrs',
  'flowcontrol.apiserver.k8s.io/flowschemas',
  'flowcontrol.apiserver.k8s.io/prioritylevelconfigurations',
  'authentication.k8s.io/tokenreviews',
  'authentication.k8s.io/selfsubjectreviews',
  'authorization.k8s.io/subjectaccessreviews',
  'authorization.k8s.io/selfsubjectaccessreviews',
  'authorization.k8s.io/selfsubjectrulesreviews',
  'policy/podsecuritypolicies',
  'resource.k8s.io/deviceclasses',
  'resource.k8s.io/resourceslices',
  'resource.k8s.io/devicetaintrules',
  'storagemigration.k8s.io/storageversionmigrations',
  'internal.apiserver.k8s.io/storageversions',
  'metrics.k8s.io/nodes',
  // Impersonation targets users, groups, uids and extras by name, outside any namespace.
  '/users',
  '/groups',
  'authentication.k8s.io/userextras',
  'authentication.k8s.io/uids',
]);

export function isClusterScoped(apiGroup: string, resource: string): boolean {
  return CLUSTER_SCOPED.has(`${apiGroup}/${resource}`);
}

/** Answers whether a resource of a group is cluster-scoped. */
export type ScopeOf = (apiGroup: string, resource: string) => boolean;

/**
 * What the cluster's API discovery said (live and snapshot scans), else the CustomResourceDefinitions of the
 * inventory (`spec.scope`), else the built-in table. A custom resource none of them knows counts as namespaced: a
 * RoleBinding then seems to grant it, which overstates a subject's power rather than hiding any.
 */
export function scopeOfInventory(inventory: Inventory): ScopeOf {
  const fromCrds = scopeOfDefinitions(inventory);
  const discovered = inventory.clusterScoped;
  if (discovered.size === 0) return fromCrds;
  return (apiGroup, resource) =>
    discovered.get(groupResourceKey(apiGroup, resource)) ?? fromCrds(apiGroup, resource);
}

function scopeOfDefinitions(inventory: Inventory): ScopeOf {
  const custom = new Map<string, boolean>();
  for (const entry of inventory.ofKind('CustomResourceDefinition')) {
    const spec = entry.object.spec;
    if (!isRecord(spec) || !isRecord(spec.names)) continue;
    const { group, scope } = spec;
    const plural = spec.names.plural;
    if (typeof group !== 'string' || typeof plural !== 'string' || group === '') continue;
    if (scope === 'Cluster' || scope === 'Namespaced') custom.set(`${group}/${plural}`, scope === 'Cluster');
  }
  if (custom.size === 0) return isClusterScoped;
  return (apiGroup, resource) => custom.get(`${apiGroup}/${resource}`) ?? isClusterScoped(apiGroup, resource);
}

/** The API group of well-known resources, so that `who-can get secrets` needs no group. */
const KNOWN_GROUPS: Readonly<Record<string, string>> = {
  pods: '',
  secrets: '',
  configmaps: '',
  services: '',
  serviceaccounts: '',
  namespaces: '',
  nodes: '',
  persistentvolumes: '',
  persistentvolumeclaims: '',
  endpoints: '',
  events: '',
  replicationcontrollers: '',
  podtemplates: '',
  limitranges: '',
  resourcequotas: '',
  users: '',
  groups: '',
  deployments: 'apps',
  replicasets: 'apps',
  statefulsets: 'apps',
  daemonsets: 'apps',
  controllerrevisions: 'apps',
  jobs: 'batch',
  cronjobs: 'batch',
  roles: 'rbac.authorization.k8s.io',
  rolebindings: 'rbac.authorization.k8s.io',
  clusterroles: 'rbac.authorization.k8s.io',
  clusterrolebindings: 'rbac.authorization.k8s.io',
  certificatesigningrequests: 'certificates.k8s.io',
  signers: 'certificates.k8s.io',
  validatingwebhookconfigurations: 'admissionregistration.k8s.io',
  mutatingwebhookconfigurations: 'admissionregistration.k8s.io',
  validatingadmissionpolicies: 'admissionregistration.k8s.io',
  validatingadmissionpolicybindings: 'admissionregistration.k8s.io',
  customresourcedefinitions: 'apiextensions.k8s.io',
  ingresses: 'networking.k8s.io',
  networkpolicies: 'networking.k8s.io',
  ingressclasses: 'networking.k8s.io',
  storageclasses: 'storage.k8s.io',
  csidrivers: 'storage.k8s.io',
  volumeattachments: 'storage.k8s.io',
  priorityclasses: 'scheduling.k8s.io',
  runtimeclasses: 'node.k8s.io',
  poddisruptionbudgets: 'policy',
  horizontalpodautoscalers: 'autoscaling',
  leases: 'coordination.k8s.io',
  leasecandidates: 'coordination.k8s.io',
  tokenreviews: 'authentication.k8s.io',
  subjectaccessreviews: 'authorization.k8s.io',
  apiservices: 'apiregistration.k8s.io',
  userextras: 'authentication.k8s.io',
  uids: 'authentication.k8s.io',
  componentstatuses: '',
  bindings: '',
  selfsubjectreviews: 'authentication.k8s.io',
  selfsubjectaccessreviews: 'authorization.k8s.io',
  selfsubjectrulesreviews: 'authorization.k8s.io',
  localsubjectaccessreviews: 'authorization.k8s.io',
  endpointslices: 'discovery.k8s.io',
  flowschemas: 'flowcontrol.apiserver.k8s.io',
  prioritylevelconfigurations: 'flowcontrol.apiserver.k8s.io',
  clustertrustbundles: 'certificates.k8s.io',
  mutatingadmissionpolicies: 'admissionregistration.k8s.io',
  mutatingadmissionpolicybindings: 'admissionregistration.k8s.io',
  csinodes: 'storage.k8s.io',
  csistoragecapacities: 'storage.k8s.io',
  volumeattributesclasses: 'storage.k8s.io',
  ipaddresses: 'networking.k8s.io',
  servicecidrs: 'networking.k8s.io',
  podsecuritypolicies: 'policy',
  resourceclaims: 'resource.k8s.io',
  resourceclaimtemplates: 'resource.k8s.io',
  resourceslices: 'resource.k8s.io',
  deviceclasses: 'resource.k8s.io',
  devicetaintrules: 'resource.k8s.io',
  storageversionmigrations: 'storagemigration.k8s.io',
  storageversions: 'internal.apiserver.k8s.io',
};

export function knownApiGroup(resource: string): string | undefined {
  // Own keys only: `constructor` or `toString` are no resource.
  return Object.hasOwn(KNOWN_GROUPS, resource) ? KNOWN_GROUPS[resource] : undefined;
}
