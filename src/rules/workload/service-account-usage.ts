// Which service account a pod runs as, whether its token is mounted, and whether anything grants it API access.
import type { Inventory } from '../../core/inventory.ts';
import { isRecord, type KubeObject, namespaceOf } from '../../core/kube-object.ts';
import type { PodTemplateView } from '../../core/pod-spec.ts';
import { serviceAccountOfUser } from '../../rbac/subject.ts';

/** `spec.serviceAccountName`, else the deprecated `spec.serviceAccount`, else `default`. */
export function serviceAccountName(view: PodTemplateView): string {
  for (const field of ['serviceAccountName', 'serviceAccount'] as const) {
    const value = view.spec[field];
    if (typeof value === 'string' && value !== '') return value;
  }
  return 'default';
}

/** One way a binding in the inventory reaches service accounts: by name, or as a namespace's group. */
interface ServiceAccountGrant {
  /** The subject's namespace (for a group, the namespace it names). */
  subjectNamespace: unknown;
}

interface GrantIndex {
  byName: Map<string, ServiceAccountGrant[]>;
  groups: ServiceAccountGrant[];
}

const GRANT_INDEX = Symbol('service-account grants');
const GROUP_PREFIX = 'system:serviceaccounts:';

/** Every service-account subject of every binding, indexed once per inventory. */
function grantIndex(inventory: Inventory): GrantIndex {
  return inventory.derive(GRANT_INDEX, () => {
    const index: GrantIndex = { byName: new Map(), groups: [] };
    for (const bindingKind of ['RoleBinding', 'ClusterRoleBinding'] as const)
      for (const { object: binding } of inventory.ofKind(bindingKind)) {
        if (!Array.isArray(binding.subjects)) continue;
        const bindingNamespace = bindingKind === 'RoleBinding' ? binding.metadata.namespace : undefined;
        for (const subject of binding.subjects) {
          if (!isRecord(subject) || typeof subject.name !== 'string') continue;
          // A ServiceAccount also authenticates as the user system:serviceaccount:NAMESPACE:NAME.
          const asUser = subject.kind === 'User' ? serviceAccountOfUser(subject.name) : undefined;
          if (subject.kind === 'ServiceAccount' || asUser) {
            // A RoleBinding's subject without a namespace defaults to the binding's namespace.
            const name = asUser?.name ?? subject.name;
            const grant = { subjectNamespace: asUser?.namespace ?? subject.namespace ?? bindingNamespace };
            const list = index.byName.get(name);
            if (list) list.push(grant);
            else index.byName.set(name, [grant]);
          } else if (subject.kind === 'Group' && subject.name.startsWith(GROUP_PREFIX))
            index.groups.push({ subjectNamespace: subject.name.slice(GROUP_PREFIX.length) });
        }
      }
    return index;
  });
}

/**
 * True when a RoleBinding (in any namespace: a binding grants its subjects access to its own namespace, wherever
 * they live) or a ClusterRoleBinding names the service account (as a ServiceAccount subject or as its user name
 * `system:serviceaccount:NAMESPACE:NAME`), or the group of its namespace's accounts. Groups of
 * every account (`system:serviceaccounts`, `system:authenticated`) say nothing about this pod's needs. Namespaces compare loosely when either side leaves it unset, since manifests often get their
 * namespace at apply time: when unsure, assume the pod uses the API.
 */
export function serviceAccountIsBound(inventory: Inventory, object: KubeObject, name: string): boolean {
  const namespace = namespaceOf(object);
  const sameNamespace = (other: unknown): boolean =>
    namespace === undefined || typeof other !== 'string' || other === '' || other === namespace;
  const reaches = (grant: ServiceAccountGrant) => sameNamespace(grant.subjectNamespace);
  const index = grantIndex(inventory);
  return (index.byName.get(name) ?? []).some(reaches) || index.groups.some(reaches);
}

/** The ServiceAccount object the pod runs as, when it is in the inventory. */
export function serviceAccountObject(
  inventory: Inventory,
  object: KubeObject,
  name: string,
): KubeObject | undefined {
  const namespace = namespaceOf(object) ?? '';
  const exact = inventory.get('ServiceAccount', namespace, name);
  if (exact) return exact.object;
  if (namespace !== '') return undefined;
  // The pod's namespace is set at apply time: a single ServiceAccount of that name in the scan is the one.
  const candidates = inventory.ofKind('ServiceAccount').filter((entry) => entry.ref.name === name);
  return candidates.length === 1 ? candidates[0]?.object : undefined;
}
