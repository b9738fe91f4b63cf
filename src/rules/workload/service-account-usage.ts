// Which service account a pod runs as, whether its token is mounted, and whether anything grants it API access.
import type { Inventory } from '../../core/inventory.ts';
import { isRecord, type KubeObject } from '../../core/kube-object.ts';
import type { PodTemplateView } from '../../core/pod-spec.ts';

/** `spec.serviceAccountName`, else the deprecated `spec.serviceAccount`, else `default`. */
export function serviceAccountName(view: PodTemplateView): string {
  for (const field of ['serviceAccountName', 'serviceAccount'] as const) {
    const value = view.spec[field];
    if (typeof value === 'string' && value !== '') return value;
  }
  return 'default';
}

function namespaceOf(object: KubeObject): string | undefined {
  const namespace = object.metadata.namespace;
  return typeof namespace === 'string' && namespace !== '' ? namespace : undefined;
}

/**
 * True when a RoleBinding or ClusterRoleBinding in the inventory names the service account, or the group of all
 * service accounts of its namespace. Namespaces compare loosely when either side leaves it unset, since manifests
 * often get their namespace at apply time: when unsure, assume the pod uses the API.
 */
export function serviceAccountIsBound(inventory: Inventory, object: KubeObject, name: string): boolean {
  const namespace = namespaceOf(object);
  const sameNamespace = (other: unknown): boolean =>
    namespace === undefined || typeof other !== 'string' || other === '' || other === namespace;
  for (const kind of ['RoleBinding', 'ClusterRoleBinding']) {
    for (const entry of inventory.ofKind(kind)) {
      const binding = entry.object;
      if (kind === 'RoleBinding' && !sameNamespace(binding.metadata.namespace)) continue;
      const subjects = binding.subjects;
      if (!Array.isArray(subjects)) continue;
      for (const subject of subjects) {
        if (!isRecord(subject)) continue;
        if (subject.kind === 'ServiceAccount' && subject.name === name) {
          // A RoleBinding's subject without a namespace defaults to the binding's namespace.
          const subjectNamespace =
            subject.namespace ?? (kind === 'RoleBinding' ? binding.metadata.namespace : undefined);
          if (sameNamespace(subjectNamespace)) return true;
        }
        if (subject.kind === 'Group' && typeof subject.name === 'string') {
          const prefix = 'system:serviceaccounts:';
          if (subject.name.startsWith(prefix) && sameNamespace(subject.name.slice(prefix.length)))
            return true;
        }
      }
    }
  }
  return false;
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
