import { defineRule } from '../../core/rule.ts';
import { POD_BEARING_KINDS } from '../../netpol/endpoints.ts';
import { DEFAULT_DENY_EXAMPLES, defaultDenyViolations } from './namespace-isolation.ts';

export default defineRule({
  id: 'namespace-without-default-deny-egress',
  title: 'Namespace without a default-deny egress NetworkPolicy',
  severity: 'low',
  domain: 'network',
  kinds: ['Namespace', ...POD_BEARING_KINDS],
  phase: 'deploy',
  layer: 'cluster',
  frameworks: { 'cis-k8s': ['5.3.2'], 'nsa-cisa': ['network-policies'], 'mitre-attack': ['T1046'] },
  description:
    'Without egress isolation a compromised pod can reach every other pod, the node and cloud metadata endpoints, and the Internet to fetch tools or send data out. A default-deny egress policy (selecting every pod, `podSelector: {}`, isolating egress) closes that until policies allow what each workload needs, usually DNS first. ' +
    'A namespace is flagged when it runs workloads (host-network pods excepted) and none of its Kubernetes NetworkPolicies selects every pod for egress (`policyTypes` listing Egress, or egress rules when `policyTypes` is unset); a policy that also admits everything (a rule with no `to` and no `ports`) does not count. ' +
    'The finding is reported on the Namespace object when it is scanned, otherwise on the first workload of the namespace. Objects without a namespace are taken to be in `default`. ' +
    'Policies of CNI plugins (Calico, Cilium) and AdminNetworkPolicies are not evaluated; when any is present the rule stays silent rather than guess.',
  remediation:
    "Add to the namespace a policy that denies egress and allows DNS:\n\n```yaml\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: default-deny-egress\nspec:\n  podSelector: {}\n  policyTypes: [Egress]\n  egress:\n    - to:\n        - namespaceSelector:\n            matchLabels: { kubernetes.io/metadata.name: kube-system }\n          podSelector:\n            matchLabels: { k8s-app: kube-dns }\n      ports:\n        - { protocol: UDP, port: 53 }\n        - { protocol: TCP, port: 53 }\n```\n\nthen allow each workload's destinations with further policies.",
  references: [
    'https://kubernetes.io/docs/concepts/services-networking/network-policies/#default-deny-all-egress-traffic',
    'https://media.defense.gov/2022/Aug/29/2003066362/-1/-1/0/CTR_KUBERNETES_HARDENING_GUIDANCE_1.2_20220829.PDF',
  ],
  admission: 'needs-cluster',
  examples: DEFAULT_DENY_EXAMPLES,
  check: (obj, context) => defaultDenyViolations('egress', obj, context.inventory),
});
