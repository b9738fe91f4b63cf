// RoleBindings and ClusterRoleBindings read from the inventory, with their subjects and role reference.
import type { Inventory, InventoryEntry } from '../core/inventory.ts';
import { isRecord, namespaceOf } from '../core/kube-object.ts';
import { apiGroupOf } from '../core/pod-spec.ts';
import { isBootstrapObject, RBAC_GROUP } from './role-records.ts';
import { parseBindingSubject, type Subject } from './subject.ts';

export interface RoleRef {
  kind: string;
  name: string;
  apiGroup: string;
}

export interface BindingRecord {
  kind: 'RoleBinding' | 'ClusterRoleBinding';
  /** '' for ClusterRoleBindings. */
  namespace: string;
  name: string;
  roleRef: RoleRef;
  /** In the order written, so that findings can point at `subjects[i]`; undefined where a subject is malformed. */
  subjects: readonly (Subject | undefined)[];
  labels: Readonly<Record<string, string>>;
  /** Created by Kubernetes itself (bootstrap label and a `system:` or `cluster-admin` name). */
  bootstrap: boolean;
  entry: InventoryEntry;
}

function stringField(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

export function bindingRecordOf(entry: InventoryEntry): BindingRecord | undefined {
  const { object } = entry;
  if (apiGroupOf(object.apiVersion) !== RBAC_GROUP) return undefined;
  if (object.kind !== 'RoleBinding' && object.kind !== 'ClusterRoleBinding') return undefined;
  // Without a namespace, `kubectl apply` puts it in the context's namespace, `default` unless told otherwise.
  const namespace = object.kind === 'RoleBinding' ? (namespaceOf(object) ?? 'default') : '';
  const ref = isRecord(object.roleRef) ? object.roleRef : {};
  const labels: Record<string, string> = {};
  if (isRecord(object.metadata.labels))
    for (const [key, value] of Object.entries(object.metadata.labels))
      if (typeof value === 'string') labels[key] = value;
  const name = stringField(object.metadata.name);
  return {
    kind: object.kind,
    namespace,
    name,
    // The API server defaults a missing roleRef.apiGroup to rbac.authorization.k8s.io.
    roleRef: {
      kind: stringField(ref.kind),
      name: stringField(ref.name),
      apiGroup: stringField(ref.apiGroup) || RBAC_GROUP,
    },
    subjects: Array.isArray(object.subjects)
      ? object.subjects.map((subject) => parseBindingSubject(subject, namespace))
      : [],
    labels,
    bootstrap: isBootstrapObject(labels) && (name.startsWith('system:') || name === 'cluster-admin'),
    entry,
  };
}

export function collectBindings(inventory: Inventory): BindingRecord[] {
  const out: BindingRecord[] = [];
  for (const kind of ['ClusterRoleBinding', 'RoleBinding'])
    for (const entry of inventory.ofKind(kind)) {
      const record = bindingRecordOf(entry);
      if (record && record.name !== '') out.push(record);
    }
  return out;
}

/** `RoleBinding ns/name` or `ClusterRoleBinding name`. */
export function formatBinding(binding: Pick<BindingRecord, 'kind' | 'namespace' | 'name'>): string {
  return binding.kind === 'RoleBinding'
    ? `RoleBinding ${binding.namespace || '(no namespace)'}/${binding.name}`
    : `ClusterRoleBinding ${binding.name}`;
}
