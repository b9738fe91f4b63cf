// Helper of the namespace default-deny rules (not a rule): per namespace, the workloads NetworkPolicy governs and
// whether a policy denies each direction by default. Computed once per inventory.
import type { Inventory, InventoryEntry } from '../../core/inventory.ts';
import { isRecord, type KubeObject } from '../../core/kube-object.ts';
import type { LabelSelector } from '../../core/label-selector.ts';
import type { Violation } from '../../core/rule.ts';
import { endpointIndex, type PodEndpoint } from '../../netpol/endpoints.ts';
import { policyIndex } from '../../netpol/policy-index.ts';
import type { Direction, NetworkPolicyModel } from '../../netpol/policy-model.ts';
import { deployment, object, pod } from '../example-objects.ts';
import { CLUSTER_POLICY_KINDS, NAMESPACED_POLICY_KINDS } from './unevaluated-policy-kinds.ts';

export interface NamespaceIsolation {
  namespace: string;
  /** Pods and workloads NetworkPolicy governs (host-network ones excluded), by kind, then in inventory order. */
  workloads: readonly PodEndpoint[];
  /** The Namespace object, when scanned: findings go there. */
  namespaceEntry: InventoryEntry | undefined;
  /** Policies that select every pod of the namespace and deny the direction except for what their rules allow. */
  defaultDeny: Record<Direction, readonly NetworkPolicyModel[]>;
  /** Policies of other kinds exist (CNI or admin policies): the namespace may be isolated in ways not evaluated. */
  unevaluated: boolean;
}

const ISOLATION = Symbol('namespace default-deny');

function selectsEveryPod(selector: LabelSelector | undefined): boolean {
  if (selector === undefined) return true;
  if (!isRecord(selector)) return false;
  const labels = selector.matchLabels;
  const expressions = selector.matchExpressions;
  return (
    (labels === undefined || (isRecord(labels) && Object.keys(labels).length === 0)) &&
    (expressions === undefined || (Array.isArray(expressions) && expressions.length === 0))
  );
}

/** A rule with no peers and no ports admits everything: a policy holding one denies nothing. */
function admitsEverything(policy: NetworkPolicyModel, direction: Direction): boolean {
  return (policy[direction] ?? []).some((rule) => rule.peers === 'all' && rule.ports === 'all');
}

function build(inventory: Inventory): Map<string, NamespaceIsolation> {
  const endpoints = endpointIndex(inventory);
  const policies = policyIndex(inventory);
  const clusterWide = CLUSTER_POLICY_KINDS.some((kind) => inventory.ofKind(kind).length > 0);
  const out = new Map<string, NamespaceIsolation>();
  for (const [namespace, list] of endpoints.byNamespace) {
    const namespaced = policies.byNamespace.get(namespace) ?? [];
    const denying = (direction: Direction) =>
      namespaced.filter(
        (policy) =>
          policy[direction] && selectsEveryPod(policy.podSelector) && !admitsEverything(policy, direction),
      );
    const otherKinds = NAMESPACED_POLICY_KINDS.some((kind) =>
      inventory
        .ofKind(kind, namespace)
        .some((entry) => !entry.ref.apiVersion.startsWith('networking.k8s.io/')),
    );
    out.set(namespace, {
      namespace,
      workloads: list.filter((endpoint) => !endpoint.hostNetwork),
      namespaceEntry: inventory
        .ofKind('Namespace')
        .find((entry) => entry.ref.name === namespace && entry.ref.apiVersion === 'v1'),
      defaultDeny: { ingress: denying('ingress'), egress: denying('egress') },
      unevaluated: clusterWide || otherKinds,
    });
  }
  return out;
}

export function namespaceIsolation(inventory: Inventory): ReadonlyMap<string, NamespaceIsolation> {
  return inventory.derive(ISOLATION, build);
}

const REPORTED = Symbol('namespace findings carried by');

/**
 * The namespace (and its isolation) this object should carry a finding for, or undefined: the Namespace object when
 * scanned, otherwise the first governed workload of the namespace, so that each namespace is reported once.
 */
export function reportedNamespace(inventory: Inventory, object: KubeObject): NamespaceIsolation | undefined {
  const carriers = inventory.derive(REPORTED, () => {
    const map = new Map<KubeObject, NamespaceIsolation>();
    for (const isolation of namespaceIsolation(inventory).values()) {
      const carrier = isolation.namespaceEntry ?? isolation.workloads[0]?.entry;
      if (carrier) map.set(carrier.object, isolation);
    }
    return map;
  });
  return carriers.get(object);
}

/** The check shared by the ingress and egress default-deny rules. */
export function defaultDenyViolations(
  direction: Direction,
  object: KubeObject,
  inventory: Inventory,
): Violation[] {
  const isolation = reportedNamespace(inventory, object);
  if (!isolation || isolation.unevaluated || isolation.workloads.length === 0) return [];
  if (isolation.defaultDeny[direction].length > 0) return [];
  const count = isolation.workloads.length;
  const names = isolation.workloads.slice(0, 3).map((endpoint) => endpoint.id);
  const listed = `${names.join(', ')}${count > names.length ? `, and ${count - names.length} more` : ''}`;
  const effect =
    direction === 'ingress'
      ? 'any pod in the cluster (and any address routed to it) can connect to its pods unless a policy selects them'
      : 'its pods can connect anywhere (other namespaces, the cloud metadata endpoint, the Internet) unless a policy selects them';
  const onNamespace = object.kind === 'Namespace';
  return [
    {
      message: `namespace "${isolation.namespace}" runs ${count} workload${count === 1 ? '' : 's'} (${listed}) and no NetworkPolicy denies ${direction} by default: ${effect}`,
      path: onNamespace
        ? ['metadata', 'name']
        : object.metadata.namespace === undefined
          ? ['metadata']
          : ['metadata', 'namespace'],
    },
  ];
}

const PASS: KubeObject[] = [
  // A namespace that runs nothing needs no policy yet.
  object('v1', 'Namespace', 'empty', {}),
  // Host-network pods are outside NetworkPolicy's reach (host namespaces are a Pod Security Standards control).
  pod(
    'node-agent',
    { hostNetwork: true, containers: [{ name: 'agent', image: 'agent:1.0' }] },
    { namespace: 'infra' },
  ),
];

const FAIL: KubeObject[] = [
  deployment('web', { containers: [{ name: 'web', image: 'web:1.0' }] }, { namespace: 'shop' }),
];

/** Examples both default-deny rules share: the namespace and workload shapes are the same for either direction. */
export const DEFAULT_DENY_EXAMPLES = { pass: PASS, fail: FAIL };
