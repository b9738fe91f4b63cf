// A NetworkPolicy object read into the shape its semantics need, with the API server's defaulting applied
// (policyTypes, protocol) and every invalid part reported as a problem with its field path, never skipped silently.
import type { InventoryEntry } from '../core/inventory.ts';
import { type FieldPath, isRecord, type KubeObject, type ObjectRef } from '../core/kube-object.ts';
import type { LabelSelector } from '../core/label-selector.ts';
import { DEFAULT_NAMESPACE } from '../core/namespace-default.ts';
import { apiGroupOf } from '../core/pod-spec.ts';
import {
  type PolicyPeer,
  type PolicyPort,
  type PolicyProblem,
  readPeer,
  readPort,
  readSelector,
} from './policy-fields.ts';

export type Direction = 'ingress' | 'egress';

export type { PolicyPeer, PolicyPort, PolicyProblem } from './policy-fields.ts';

export interface PolicyRule {
  index: number;
  /** `all`: `from`/`to` missing or empty, every source or destination (pods and addresses). */
  peers: 'all' | readonly PolicyPeer[];
  /** `all`: `ports` missing or empty, every port of every protocol. */
  ports: 'all' | readonly PolicyPort[];
}

export interface NetworkPolicyModel {
  entry: InventoryEntry;
  ref: ObjectRef;
  namespace: string;
  name: string;
  podSelector: LabelSelector | undefined;
  /** Rules per isolated direction; a direction the policy does not isolate is absent. */
  ingress?: readonly PolicyRule[];
  egress?: readonly PolicyRule[];
  problems: readonly PolicyProblem[];
}

/** Only the Kubernetes API's NetworkPolicy: Calico's `projectcalico.org` kind of the same name has other semantics. */
export function isKubernetesNetworkPolicy(entry: InventoryEntry): boolean {
  return entry.ref.kind === 'NetworkPolicy' && entry.ref.apiVersion === 'networking.k8s.io/v1';
}

/**
 * A NetworkPolicy of an apiVersion no current API server accepts: `extensions/v1beta1` (removed in 1.16) or a
 * `networking.k8s.io` version other than v1 (NetworkPolicy was never served as networking.k8s.io/v1beta1). Applying
 * it fails, so it protects nothing.
 */
export function isRefusedNetworkPolicy(entry: InventoryEntry): boolean {
  if (entry.ref.kind !== 'NetworkPolicy' || isKubernetesNetworkPolicy(entry)) return false;
  const group = apiGroupOf(entry.ref.apiVersion);
  return group === 'extensions' || group === 'networking.k8s.io';
}

/**
 * Why a policy-like object (a kind named `…NetworkPolicy`) other than the Kubernetes NetworkPolicy is left out of the
 * analysis; undefined for every other object. Its rules would change the answers, so leaving it out is said.
 */
export function notAnalysedReason(entry: InventoryEntry): string | undefined {
  const { kind, apiVersion } = entry.ref;
  if (!kind.endsWith('NetworkPolicy') || isKubernetesNetworkPolicy(entry)) return undefined;
  const group = apiGroupOf(apiVersion);
  const rest = 'not analysed: the answers cover networking.k8s.io/v1 NetworkPolicy only';
  if (kind === 'NetworkPolicy' && group === 'extensions')
    return `${apiVersion} NetworkPolicy is no longer served since Kubernetes 1.16 (the API server refuses it): not analysed; write it as networking.k8s.io/v1`;
  if (kind === 'NetworkPolicy' && group === 'networking.k8s.io')
    return `${apiVersion} NetworkPolicy is served by no Kubernetes version (the API server refuses it): not analysed; write it as networking.k8s.io/v1`;
  if (group === 'projectcalico.org' || group === 'crd.projectcalico.org')
    return `a Calico ${kind} (ordered rules with Deny and Log actions, Calico selectors): ${rest}`;
  if (group === 'cilium.io') return `a Cilium ${kind} (entities, FQDN and L7 rules, deny rules): ${rest}`;
  if (group === 'policy.networking.k8s.io')
    return `${kind} (${apiVersion}), a cluster-wide policy evaluated before (Admin) or after (Baseline) NetworkPolicy: ${rest}`;
  return `${apiVersion} ${kind} is not the Kubernetes NetworkPolicy: ${rest}`;
}

function readRules(value: unknown, direction: Direction, problems: PolicyProblem[]): PolicyRule[] {
  const path: FieldPath = ['spec', direction];
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) {
    problems.push({
      path,
      message: `spec.${direction} is not a list: the policy allows no ${direction} traffic`,
    });
    return [];
  }
  const peerField = direction === 'ingress' ? 'from' : 'to';
  return value.map((item, index): PolicyRule => {
    const rulePath: FieldPath = [...path, index];
    let rule = item;
    if (rule === null) {
      // Decoding leaves a null list element as the empty struct, and an empty rule allows everything (`- ` under
      // a template whose condition was false writes one).
      problems.push({
        path: rulePath,
        message: `rule is null, which the API server stores as {}: it allows all ${direction} traffic`,
      });
      rule = {};
    }
    if (!isRecord(rule)) {
      problems.push({ path: rulePath, message: 'rule is not an object: it allows nothing' });
      return { index, peers: [], ports: [] };
    }
    const peersValue = rule[peerField];
    const portsValue = rule.ports;
    let peers: PolicyRule['peers'] = 'all';
    if (Array.isArray(peersValue) && peersValue.length > 0)
      peers = peersValue.map((peer, i) => readPeer(peer, [...rulePath, peerField, i], i, problems));
    else if (peersValue !== undefined && peersValue !== null && !Array.isArray(peersValue)) {
      problems.push({
        path: [...rulePath, peerField],
        message: `${peerField} is not a list: the rule allows nothing`,
      });
      peers = [];
    }
    let ports: PolicyRule['ports'] = 'all';
    if (Array.isArray(portsValue) && portsValue.length > 0)
      ports = portsValue.map((port, i) => readPort(port, [...rulePath, 'ports', i], i, problems));
    else if (portsValue !== undefined && portsValue !== null && !Array.isArray(portsValue)) {
      problems.push({
        path: [...rulePath, 'ports'],
        message: 'ports is not a list: the rule allows nothing',
      });
      ports = [];
    }
    return { index, peers, ports };
  });
}

/** The policy types after API defaulting: Ingress always, Egress when the policy has egress rules. */
function policyTypes(spec: Record<string, unknown>, problems: PolicyProblem[]): Set<'Ingress' | 'Egress'> {
  const types = new Set<'Ingress' | 'Egress'>();
  const listed = spec.policyTypes;
  if (Array.isArray(listed) && listed.length > 0) {
    listed.forEach((type, index) => {
      if (type === 'Ingress' || type === 'Egress') types.add(type);
      else
        problems.push({
          path: ['spec', 'policyTypes', index],
          message: `unknown policy type ${JSON.stringify(type)} is ignored`,
        });
    });
    return types;
  }
  types.add('Ingress');
  if (Array.isArray(spec.egress) && spec.egress.length > 0) types.add('Egress');
  return types;
}

export function readNetworkPolicy(entry: InventoryEntry): NetworkPolicyModel {
  const namespace = entry.ref.namespace || DEFAULT_NAMESPACE;
  return {
    entry,
    ref: { ...entry.ref, namespace },
    namespace,
    name: entry.ref.name,
    ...readPolicySpec(entry.object),
  };
}

/**
 * What the analysis cannot take as written in a networking.k8s.io/v1 NetworkPolicy (fields the API server refuses,
 * rules without effect), for the loader to say where the object is read.
 */
export function networkPolicyProblems(object: KubeObject): readonly PolicyProblem[] {
  if (object.kind !== 'NetworkPolicy' || object.apiVersion !== 'networking.k8s.io/v1') return [];
  return readPolicySpec(object).problems;
}

function readPolicySpec(
  object: KubeObject,
): Pick<NetworkPolicyModel, 'podSelector' | 'problems' | 'ingress' | 'egress'> {
  const problems: PolicyProblem[] = [];
  const spec = isRecord(object.spec) ? object.spec : {};
  if (!isRecord(object.spec))
    problems.push({
      path: ['spec'],
      message: 'spec is missing: the policy selects every pod and allows no ingress',
    });
  const types = policyTypes(spec, problems);
  const read: Pick<NetworkPolicyModel, 'podSelector' | 'problems' | 'ingress' | 'egress'> = {
    podSelector: readSelector(spec.podSelector, ['spec', 'podSelector'], problems),
    problems,
  };
  for (const [type, direction] of [
    ['Ingress', 'ingress'],
    ['Egress', 'egress'],
  ] as const) {
    if (types.has(type)) read[direction] = readRules(spec[direction], direction, problems);
    else if (Array.isArray(spec[direction]) && (spec[direction] as unknown[]).length > 0)
      problems.push({
        path: ['spec', direction],
        message: `spec.${direction} has rules but policyTypes leaves out ${type}: they have no effect`,
      });
  }
  return read;
}
