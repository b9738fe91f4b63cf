// Which ServiceAccounts the inventory's workloads run as, and whether their tokens are mounted: the starting points of
// escalation paths and what exec into a namespace yields.
import type { Inventory } from '../core/inventory.ts';
import { formatRef, type ObjectRef } from '../core/kube-object.ts';
import { podTemplateOf, WORKLOAD_KINDS } from '../core/pod-spec.ts';

export interface WorkloadAccount {
  workload: ObjectRef;
  namespace: string;
  serviceAccount: string;
  /** False when `automountServiceAccountToken: false` on the pod or on the ServiceAccount. */
  tokenMounted: boolean;
  /** DaemonSets run on every node: whoever controls a node can read their tokens. */
  onEveryNode: boolean;
}

const WORKLOAD_ACCOUNTS = Symbol('workload accounts');

/** Workload namespace: the object's, or `default` as `kubectl apply` without `-n` would use. */
function namespaceOrDefault(namespace: string | undefined): string {
  return namespace === undefined || namespace === '' ? 'default' : namespace;
}

export function workloadAccounts(inventory: Inventory): readonly WorkloadAccount[] {
  return inventory.derive(WORKLOAD_ACCOUNTS, () => {
    const out: WorkloadAccount[] = [];
    for (const kind of WORKLOAD_KINDS)
      for (const entry of inventory.ofKind(kind)) {
        const view = podTemplateOf(entry.object);
        if (!view) continue;
        const namespace = namespaceOrDefault(entry.ref.namespace);
        const named = [view.spec.serviceAccountName, view.spec.serviceAccount].find(
          (value): value is string => typeof value === 'string' && value !== '',
        );
        const serviceAccount = named ?? 'default';
        const account = inventory.get('ServiceAccount', namespace, serviceAccount)?.object;
        const podSetting = view.spec.automountServiceAccountToken;
        const accountSetting = account?.automountServiceAccountToken;
        const tokenMounted = typeof podSetting === 'boolean' ? podSetting : accountSetting !== false;
        out.push({
          workload: entry.ref,
          namespace,
          serviceAccount,
          tokenMounted,
          onEveryNode: kind === 'DaemonSet',
        });
      }
    return out;
  });
}

export function describeWorkload(account: WorkloadAccount): string {
  return formatRef({ ...account.workload, namespace: account.namespace });
}
