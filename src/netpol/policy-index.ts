// Every Kubernetes NetworkPolicy of an inventory read once, grouped by namespace, and which of them select a pod.
import type { Inventory, InventoryEntry } from '../core/inventory.ts';
import { matchesSelector } from '../core/label-selector.ts';
import { DEFAULT_NAMESPACE } from '../core/namespace-default.ts';
import type { PodEndpoint } from './endpoints.ts';
import { duplicateNotice, type LoadNotice, lastDefinitions } from './load-notice.ts';
import {
  type Direction,
  isKubernetesNetworkPolicy,
  type NetworkPolicyModel,
  notAnalysedReason,
  readNetworkPolicy,
} from './policy-model.ts';

export interface PolicyIndex {
  /** One per namespace and name: the last definition, as `kubectl apply` of every input would leave it. */
  policies: readonly NetworkPolicyModel[];
  /** Policy-like objects left out of the analysis (other API versions and kinds), with why. */
  notAnalysed: readonly LoadNotice[];
  byNamespace: ReadonlyMap<string, readonly NetworkPolicyModel[]>;
  /** Policies of the pod's namespace that select it and isolate it in `direction`, in inventory order. */
  selecting(endpoint: PodEndpoint, direction: Direction): readonly NetworkPolicyModel[];
}

const INDEX = Symbol('netpol policies');

/** The last definition of each policy; a replaced one is said on the policy that replaces it. */
function readLastDefinitions(entries: readonly InventoryEntry[]): NetworkPolicyModel[] {
  // Nameless objects cannot be applied as such (generateName makes distinct ones): never duplicates.
  const kept = lastDefinitions(entries, (entry) =>
    entry.ref.name === '' ? undefined : `${entry.ref.namespace || DEFAULT_NAMESPACE}/${entry.ref.name}`,
  );
  return kept.map(({ item, replaced }) => {
    const model = readNetworkPolicy(item);
    const notice = duplicateNotice(replaced, item, model.ref);
    if (!notice) return model;
    return { ...model, problems: [{ path: notice.path, message: notice.message }, ...model.problems] };
  });
}

function buildIndex(inventory: Inventory): PolicyIndex {
  const policies = readLastDefinitions(inventory.ofKind('NetworkPolicy').filter(isKubernetesNetworkPolicy));
  const notAnalysed: LoadNotice[] = [];
  // Every policy-like kind, listed or not: one a cluster could not list may hold rules that change the answers.
  for (const entry of inventory.ofKindsWhere((kind) => kind.endsWith('NetworkPolicy'))) {
    const reason = notAnalysedReason(entry);
    if (reason !== undefined) notAnalysed.push({ entry, ref: entry.ref, path: [], message: reason });
  }
  const byNamespace = new Map<string, NetworkPolicyModel[]>();
  for (const policy of policies) {
    const list = byNamespace.get(policy.namespace);
    if (list) list.push(policy);
    else byNamespace.set(policy.namespace, [policy]);
  }
  const cache = new WeakMap<PodEndpoint, Record<Direction, NetworkPolicyModel[]>>();
  return {
    policies,
    notAnalysed,
    byNamespace,
    selecting(endpoint, direction) {
      let selected = cache.get(endpoint);
      if (!selected) {
        selected = { ingress: [], egress: [] };
        for (const policy of byNamespace.get(endpoint.namespace) ?? []) {
          if (!matchesSelector(policy.podSelector, endpoint.labels as Record<string, string>)) continue;
          if (policy.ingress) selected.ingress.push(policy);
          if (policy.egress) selected.egress.push(policy);
        }
        cache.set(endpoint, selected);
      }
      return selected[direction];
    },
  };
}

export function policyIndex(inventory: Inventory): PolicyIndex {
  return inventory.derive(INDEX, buildIndex);
}
