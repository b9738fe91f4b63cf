// Helper of the network rules (not a rule): policy kinds whose semantics are not evaluated (CNI plugins' own policies
// and the AdminNetworkPolicy API). Where they exist, the rules assume they may isolate rather than guess.

/** Cluster-wide kinds: one anywhere may isolate every namespace. */
export const CLUSTER_POLICY_KINDS: readonly string[] = [
  'GlobalNetworkPolicy',
  'CiliumClusterwideNetworkPolicy',
  'AdminNetworkPolicy',
  'BaselineAdminNetworkPolicy',
  'ClusterNetworkPolicy',
];

/** Namespaced kinds (Calico's `projectcalico.org` NetworkPolicy shares its kind name with Kubernetes'). */
export const NAMESPACED_POLICY_KINDS: readonly string[] = ['CiliumNetworkPolicy', 'NetworkPolicy'];
