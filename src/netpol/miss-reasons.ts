// Why a rule of an isolating policy does not admit the other side: the selector that fails and the labels it was
// held against, so that a denial names what to change.
import { isRecord } from '../core/kube-object.ts';
import type { LabelSelector } from '../core/label-selector.ts';
import { matchesSelector } from '../core/label-selector.ts';
import type { NamespaceInfo } from './endpoints.ts';
import { containsAddress, formatAddress, type IpFamily } from './ip-range.ts';
import { formatIpBlock } from './policy-fields.ts';
import type { NetworkPolicyModel, PolicyPeer, PolicyRule } from './policy-model.ts';
import type { HostNetworkMode, Peer } from './reachability.ts';

/** `app=web, tier In (a,b), !legacy`; `{}` (everything) for an empty selector. */
export function formatSelector(selector: LabelSelector | undefined): string {
  if (selector === undefined || !isRecord(selector)) return '{}';
  const parts: string[] = [];
  if (isRecord(selector.matchLabels))
    for (const [key, value] of Object.entries(selector.matchLabels)) parts.push(`${key}=${String(value)}`);
  if (Array.isArray(selector.matchExpressions))
    for (const requirement of selector.matchExpressions) {
      if (!isRecord(requirement)) continue;
      const values = Array.isArray(requirement.values) ? requirement.values.join(',') : '';
      if (requirement.operator === 'Exists') parts.push(String(requirement.key));
      else if (requirement.operator === 'DoesNotExist') parts.push(`!${String(requirement.key)}`);
      else parts.push(`${String(requirement.key)} ${String(requirement.operator)} (${values})`);
    }
  return parts.length === 0 ? '{}' : parts.join(', ');
}

function formatLabels(labels: Readonly<Record<string, string>>): string {
  const entries = Object.entries(labels);
  return entries.length === 0 ? 'no labels' : entries.map(([key, value]) => `${key}=${value}`).join(', ');
}

function peerMiss(
  policy: NetworkPolicyModel,
  peer: PolicyPeer,
  other: Peer,
  namespaceOf: (name: string) => NamespaceInfo,
  hostNetwork: HostNetworkMode,
  nodeFamilies: () => ReadonlySet<IpFamily> | undefined,
): string {
  switch (peer.type) {
    case 'invalid':
      return 'invalid peer (matches nothing)';
    case 'ip-block': {
      const block = formatIpBlock(peer);
      if (other.type === 'address')
        return containsAddress(peer.ranges, other.family, other.value)
          ? `${block} holds it`
          : `${formatAddress(other.family, other.value)} is not in ${block}`;
      const endpoint = other.endpoint;
      if (endpoint.hostNetwork && hostNetwork === 'node' && endpoint.addresses.length === 0)
        return `${block} cannot hold a node address${familiesText(nodeFamilies())}, which is what ${endpoint.id} (on the host network) sends from`;
      return `${block} matches addresses, and no address of ${endpoint.id} is known to be in it`;
    }
    case 'pods': {
      if (other.type === 'address') return 'selects pods, not outside addresses';
      const endpoint = other.endpoint;
      if (endpoint.hostNetwork && hostNetwork === 'node')
        return `${endpoint.id} is on the host network, which selectors do not match`;
      if (peer.namespaceSelector === undefined && endpoint.namespace !== policy.namespace)
        return `podSelector alone selects pods of namespace ${policy.namespace} only`;
      const labels = namespaceOf(endpoint.namespace).labels as Record<string, string>;
      if (peer.namespaceSelector !== undefined && !matchesSelector(peer.namespaceSelector, labels))
        return `namespaceSelector ${formatSelector(peer.namespaceSelector)} does not match namespace ${endpoint.namespace} (${formatLabels(labels)})`;
      return `podSelector ${formatSelector(peer.podSelector)} does not match ${endpoint.id} (${formatLabels(endpoint.labels)})`;
    }
  }
}

/** ` (node traffic here is IPv6)`, when the inputs showed the cluster's address families. */
function familiesText(families: ReadonlySet<IpFamily> | undefined): string {
  if (families === undefined) return '';
  const names = [...families].sort().map((family) => `IPv${family}`);
  return ` (node traffic here is ${names.join(' or ')})`;
}

/** One line per peer of a rule that did not match `other`. */
export function ruleMiss(
  policy: NetworkPolicyModel,
  rule: PolicyRule,
  other: Peer,
  field: 'from' | 'to',
  namespaceOf: (name: string) => NamespaceInfo,
  hostNetwork: HostNetworkMode,
  /** Called only when a reason needs them (reading them may read Nodes). */
  nodeFamilies: () => ReadonlySet<IpFamily> | undefined = () => undefined,
): string {
  if (rule.peers === 'all') return 'admits every peer';
  if (rule.peers.length === 0) return `${field} is not a list (admits nothing)`;
  return rule.peers
    .map(
      (peer) =>
        `${field}[${peer.index}]: ${peerMiss(policy, peer, other, namespaceOf, hostNetwork, nodeFamilies)}`,
    )
    .join('; ');
}
