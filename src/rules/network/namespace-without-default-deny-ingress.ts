import { defineRule } from '../../core/rule.ts';
import { POD_BEARING_KINDS } from '../../netpol/endpoints.ts';
import { DEFAULT_DENY_EXAMPLES, defaultDenyViolations } from './namespace-isolation.ts';

export default defineRule({
  id: 'namespace-without-default-deny-ingress',
  title: 'Namespace without a default-deny ingress NetworkPolicy',
  severity: 'medium',
  domain: 'network',
  kinds: ['Namespace', ...POD_BEARING_KINDS],
  phase: 'deploy',
  layer: 'cluster',
  frameworks: { 'cis-k8s': ['5.3.2'], 'nsa-cisa': ['network-policies'], 'mitre-attack': ['T1046'] },
  description:
    'Kubernetes lets every pod accept connections from every other pod until a NetworkPolicy selects it. A default-deny ingress policy (one selecting every pod of the namespace, `podSelector: {}`, that isolates ingress) makes isolation the rule, so that a new workload is closed until a policy opens what it needs, and one compromised pod cannot reach the rest. ' +
    'A namespace is flagged when it runs workloads (host-network pods excepted) and none of its Kubernetes NetworkPolicies selects every pod for ingress; a policy that also admits everything (a rule with no `from` and no `ports`) does not count. ' +
    'The finding is reported on the Namespace object when it is scanned, otherwise on the first workload of the namespace. Objects without a namespace are taken to be in `default`. ' +
    'Policies of CNI plugins (Calico, Cilium) and AdminNetworkPolicies are not evaluated; when any is present the rule stays silent rather than guess.',
  remediation:
    'Add to the namespace:\n\n```yaml\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: default-deny-ingress\nspec:\n  podSelector: {}\n  policyTypes: [Ingress]\n```\n\nthen allow what each workload must accept with further policies (`palisade netpol can-reach` checks the result).',
  references: [
    'https://kubernetes.io/docs/concepts/services-networking/network-policies/#default-deny-all-ingress-traffic',
    'https://media.defense.gov/2022/Aug/29/2003066362/-1/-1/0/CTR_KUBERNETES_HARDENING_GUIDANCE_1.2_20220829.PDF',
  ],
  admission: 'needs-cluster',
  examples: DEFAULT_DENY_EXAMPLES,
  check: (obj, context) => defaultDenyViolations('ingress', obj, context.inventory),
});
