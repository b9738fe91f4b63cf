// Every Kubernetes NetworkPolicy of an inventory read once, grouped by namespace, and which of them select a pod.
import type { Inventory } from '../core/inventory.ts';
import { matchesSelector } from '../core/label-selector.ts';
import type { PodEndpoint } from './endpoints.ts';
import {
  type Direction,
  isKubernetesNetworkPolicy,
  type NetworkPolicyModel,
  readNetworkPolicy,
} from './policy-model.ts';

export interface PolicyIndex {
  policies: readonly NetworkPolicyModel[];
  byNamespace: ReadonlyMap<string, readonly NetworkPolicyModel[]>;
  /** Policies of the pod's namespace that select it and isolate it in `direction`, in inventory order. */
  selecting(endpoint: PodEndpoint, direction: Direction): readonly NetworkPolicyModel[];
}

const INDEX = Symbol('netpol policies');

function buildIndex(inventory: Inventory): PolicyIndex {
  const policies = inventory.ofKind('NetworkPolicy').filter(isKubernetesNetworkPolicy).map(readNetworkPolicy);
  const byNamespace = new Map<string, NetworkPolicyModel[]>();
  for (const policy of policies) {
    const list = byNamespace.get(policy.namespace);
    if (list) list.push(policy);
    else byNamespace.set(policy.namespace, [policy]);
  }
  const cache = new WeakMap<PodEndpoint, Record<Direction, NetworkPolicyModel[]>>();
  return {
    policies,
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
