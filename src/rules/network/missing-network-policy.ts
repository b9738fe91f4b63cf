import type { Inventory } from '../../core/inventory.ts';
import { isRecord, type KubeObject, nameOf, namespaceOf } from '../../core/kube-object.ts';
import { type LabelSelector, matchesSelector } from '../../core/label-selector.ts';
import { DEFAULT_NAMESPACE } from '../../core/namespace-default.ts';
import { isFinishedPod, type PodTemplateView, podTemplateOf, WORKLOAD_KINDS } from '../../core/pod-spec.ts';
import { defineRule } from '../../core/rule.ts';
import { policyIndex } from '../../netpol/policy-index.ts';
import { isKubernetesNetworkPolicy, isRefusedNetworkPolicy } from '../../netpol/policy-model.ts';
import { deployment } from '../example-objects.ts';
import { CLUSTER_POLICY_KINDS, NAMESPACED_POLICY_KINDS } from './unevaluated-policy-kinds.ts';

/** True when a Kubernetes NetworkPolicy isolates ingress for pods it selects. */
function isolatesIngress(spec: Record<string, unknown>): boolean {
  // Unset or empty, the API server defaults policyTypes to include Ingress.
  if (!Array.isArray(spec.policyTypes) || spec.policyTypes.length === 0) return true;
  return spec.policyTypes.includes('Ingress');
}

interface NamespaceIsolation {
  /** A policy whose selectors are not evaluated exists cluster-wide or in the namespace (CNI kinds, Calico's NetworkPolicy). */
  coversAll: boolean;
  /** Distinct pod selectors of the ingress-isolating policies (duplicates are common and cost nothing here). */
  selectors: LabelSelector[];
  /** Answers by pod labels: workloads of one app share them. */
  answers: Map<string, boolean>;
}

const ISOLATION = Symbol('ingress isolation by namespace');

/**
 * The objects of a kind that act in a namespace: every one when the namespace is unknown (undefined); in `default`,
 * also those without a namespace, which land there as the workloads without one do (namespace-default.ts).
 */
function actingIn(inventory: Inventory, kind: string, namespace: string | undefined) {
  const named = inventory.ofKind(kind, namespace);
  return namespace === DEFAULT_NAMESPACE ? [...named, ...inventory.ofKind(kind, '')] : named;
}

function isolationIn(inventory: Inventory, namespace: string | undefined): NamespaceIsolation {
  const byNamespace = inventory.derive(ISOLATION, () => new Map<string | undefined, NamespaceIsolation>());
  let isolation = byNamespace.get(namespace);
  if (isolation) return isolation;
  isolation = {
    // Namespaced CNI policies (CiliumNetworkPolicy) only act in their own namespace; cluster-wide kinds act everywhere.
    // Without a namespace (`namespace` undefined) the workload may land in any, so policies of any namespace count.
    coversAll:
      CLUSTER_POLICY_KINDS.some((kind) => inventory.ofKind(kind).length > 0) ||
      NAMESPACED_POLICY_KINDS.some(
        (kind) => kind !== 'NetworkPolicy' && actingIn(inventory, kind, namespace).length > 0,
      ),
    selectors: [],
    answers: new Map(),
  };
  const seen = new Set<string>();
  for (const entry of actingIn(inventory, 'NetworkPolicy', namespace)) {
    // One the API server refuses (extensions/v1beta1) isolates nothing; Calico's (and other CNIs') namespaced
    // NetworkPolicy shares the kind, and its string selectors are not evaluated.
    if (isRefusedNetworkPolicy(entry)) continue;
    if (!isKubernetesNetworkPolicy(entry)) isolation.coversAll = true;
    const policy = entry.object;
    // No spec at all is every default: an empty podSelector (every pod) and policyTypes [Ingress], denying all.
    const spec = policy.spec === undefined ? {} : policy.spec;
    if (!isRecord(spec) || !isolatesIngress(spec)) continue;
    const selector = (spec.podSelector ?? {}) as LabelSelector;
    const key = JSON.stringify(selector);
    if (seen.has(key)) continue;
    seen.add(key);
    isolation.selectors.push(selector);
  }
  byNamespace.set(namespace, isolation);
  return isolation;
}

function coveredByPolicy(inventory: Inventory, obj: KubeObject, view: PodTemplateView): boolean {
  const isolation = isolationIn(inventory, namespaceOf(obj));
  if (isolation.coversAll) return true;
  const labels = view.metadata.labels;
  const key = JSON.stringify(labels ?? {});
  let covered = isolation.answers.get(key);
  if (covered === undefined) {
    covered = isolation.selectors.some((selector) => matchesSelector(selector, labels));
    isolation.answers.set(key, covered);
  }
  return covered;
}

/** Whether the same pods are isolated for egress, so that the finding tells the whole story of the workload. */
function egressNote(inventory: Inventory, obj: KubeObject, view: PodTemplateView): string {
  const namespace = namespaceOf(obj);
  const labels = (isRecord(view.metadata.labels) ? view.metadata.labels : {}) as Record<string, string>;
  const policies =
    namespace === undefined
      ? policyIndex(inventory).policies
      : (policyIndex(inventory).byNamespace.get(namespace) ?? []);
  const egress = policies.filter((policy) => policy.egress && matchesSelector(policy.podSelector, labels));
  if (egress.length === 0) return '; no policy restricts their egress either';
  return `; their egress is restricted by ${egress.map((policy) => `NetworkPolicy/${policy.namespace}/${policy.name}`).join(', ')}`;
}

const LABELS = { app: 'web' };

const PASS: KubeObject[] = [
  // Pods on the host network are outside NetworkPolicy's reach; host namespaces are a Pod Security Standards control.
  deployment('agent', { hostNetwork: true, containers: [{ name: 'agent', image: 'agent:1.0' }] }),
];

const FAIL: KubeObject[] = [
  deployment('web', { containers: [{ name: 'app', image: 'web:1.0' }] }, { labels: LABELS }),
];

export default defineRule({
  id: 'missing-network-policy',
  title: 'Workload not isolated by any NetworkPolicy',
  severity: 'medium',
  domain: 'network',
  kinds: WORKLOAD_KINDS.filter((kind) => kind !== 'PodTemplate'),
  phase: 'deploy',
  layer: 'cluster',
  frameworks: { 'cis-k8s': ['5.3.2'], 'nsa-cisa': ['network-policies'], 'mitre-attack': ['T1046'] },
  description:
    'Pods accept traffic from every other pod in the cluster until a NetworkPolicy selects them; one compromised pod can then reach every database, admin endpoint and metrics port. ' +
    'A workload is flagged when no NetworkPolicy in the scanned objects, in its namespace, selects its pod template for ingress ' +
    '(a workload without a namespace gets one at apply time, so policies of any namespace count for it). ' +
    'The message also says whether the same pods are isolated for egress. ' +
    "Policies of CNI plugins (Calico, Cilium) and AdminNetworkPolicies are not evaluated and count as isolation when present: namespaced kinds (CiliumNetworkPolicy, Calico NetworkPolicy) in the workload's namespace, cluster-wide kinds (CiliumClusterwideNetworkPolicy, Calico GlobalNetworkPolicy, AdminNetworkPolicy, BaselineAdminNetworkPolicy) in any. A NetworkPolicy of an apiVersion the API server refuses (`extensions/v1beta1`, `networking.k8s.io/v1beta1`) isolates nothing. Pods on the host network and finished pods (phase Succeeded or Failed) are skipped. " +
    'Namespace-wide gaps are reported by namespace-without-default-deny-ingress and -egress; `palisade netpol can-reach` answers what can reach a workload. ' +
    'Scanning files, the policies may live elsewhere: scan them together, or scan the cluster.',
  remediation:
    'Give each namespace a default-deny ingress policy (`podSelector: {}`, `policyTypes: [Ingress]`) and allow the traffic each workload needs with further policies.',
  references: [
    'https://kubernetes.io/docs/concepts/services-networking/network-policies/',
    'https://kubernetes.io/docs/concepts/services-networking/network-policies/#default-deny-all-ingress-traffic',
  ],
  admission: 'needs-cluster',
  examples: { pass: PASS, fail: FAIL },
  check: (obj, context) => {
    const view = podTemplateOf(obj);
    // Pods on the host network are not isolated by NetworkPolicies; finished pods accept nothing any more.
    if (!view || view.spec.hostNetwork === true || isFinishedPod(obj)) return [];
    if (coveredByPolicy(context.inventory, obj, view)) return [];
    return [
      {
        message: `no NetworkPolicy in the scanned objects selects the pods of ${obj.kind} "${nameOf(obj)}" for ingress: every pod in the cluster can reach them${egressNote(context.inventory, obj, view)}`,
        path: [...view.metadataPath, 'labels'],
      },
    ];
  },
});
