// Can this peer reach that one: NetworkPolicy semantics (kubernetes.io/docs/concepts/services-networking/network-policies).
// A connection is allowed when the source's egress admits it and the destination's ingress admits it; a pod selected
// by no policy of a direction is not isolated in it; isolated, it admits the union of what its policies' rules grant.
import type { Inventory } from '../core/inventory.ts';
import type { ObjectRef } from '../core/kube-object.ts';
import { matchesSelector } from '../core/label-selector.ts';
import {
  ALL_CONNECTIONS,
  type ConnectionSet,
  intersect,
  isEmpty,
  NO_CONNECTIONS,
  portsOf,
  union,
} from './connection-set.ts';
import { type EndpointIndex, endpointIndex, type PodEndpoint } from './endpoints.ts';
import { containsAddress, type IpFamily } from './ip-range.ts';
import { ruleMiss } from './miss-reasons.ts';
import { type PolicyIndex, policyIndex } from './policy-index.ts';
import type { Direction, NetworkPolicyModel, PolicyPeer, PolicyRule } from './policy-model.ts';

/** One side of a connection: a pod (or workload's pods), or one address outside the pod network. */
export type Peer =
  | { type: 'pod'; endpoint: PodEndpoint }
  | { type: 'address'; family: IpFamily; value: bigint };

/** A rule that admits the other side, and what it admits. */
export interface RuleGrant {
  policy: ObjectRef;
  direction: Direction;
  rule: number;
  /** Index in `from`/`to` of the first peer that matched; undefined when the rule has no `from`/`to` (any peer). */
  peer: number | undefined;
  connections: ConnectionSet;
  /** Why the grant is narrower than the rule reads (a named port the destination does not define). */
  note?: string;
}

/** A rule of a selecting policy that does not admit the other side, and why. */
export interface RuleMiss {
  policy: ObjectRef;
  rule: number;
  reason: string;
}

export interface DirectionVerdict {
  direction: Direction;
  /** The pod whose policies decide this direction. */
  subject: string;
  isolated: boolean;
  /** Policies selecting the subject for this direction. */
  policies: readonly ObjectRef[];
  grants: readonly RuleGrant[];
  /** Rules of the selecting policies that do not admit the other side (only when isolated). */
  misses: readonly RuleMiss[];
  allowed: ConnectionSet;
  notes: readonly string[];
}

export interface Reachability {
  /** Absent when the source is outside the pod network (its egress is not governed by NetworkPolicy). */
  egress?: DirectionVerdict;
  /** Absent when the destination is outside the pod network. */
  ingress?: DirectionVerdict;
  allowed: ConnectionSet;
}

/**
 * How host-network pods are treated, which the API leaves to the network plugin: `node` (default, what most plugins
 * do): their traffic is the node's, policies neither isolate them nor match them with selectors; `pod`: like any pod
 * (plugins that tell host-network pods apart; also what np-guard assumes).
 */
export type HostNetworkMode = 'node' | 'pod';

export interface ReachabilityOptions {
  hostNetwork?: HostNetworkMode;
}

const HOST_NETWORK_NOTE =
  'on the host network: NetworkPolicy does not isolate it (behaviour is left to the network plugin; most do not apply policies to host-network pods)';

export class ReachabilityEngine {
  readonly endpoints: EndpointIndex;
  readonly policies: PolicyIndex;

  readonly hostNetwork: HostNetworkMode;

  constructor(inventory: Inventory, options: ReachabilityOptions = {}) {
    this.endpoints = endpointIndex(inventory);
    this.policies = policyIndex(inventory);
    this.hostNetwork = options.hostNetwork ?? 'node';
  }

  /** True when `endpoint` is outside NetworkPolicy's reach under the chosen host-network model. */
  private asNode(endpoint: PodEndpoint): boolean {
    return endpoint.hostNetwork && this.hostNetwork === 'node';
  }

  /** What `from` may open to `to`, with the verdict of each direction. */
  reach(from: Peer, to: Peer): Reachability {
    const egress = from.type === 'pod' ? this.verdict('egress', from.endpoint, to, to) : undefined;
    const ingress = to.type === 'pod' ? this.verdict('ingress', to.endpoint, from, to) : undefined;
    let allowed = ALL_CONNECTIONS;
    if (egress) allowed = intersect(allowed, egress.allowed);
    if (ingress) allowed = intersect(allowed, ingress.allowed);
    const result: Reachability = { allowed };
    if (egress) result.egress = egress;
    if (ingress) result.ingress = ingress;
    return result;
  }

  /** The verdict of `direction` for `subject`, the other side being `other`; ports resolve on `destination`. */
  verdict(direction: Direction, subject: PodEndpoint, other: Peer, destination: Peer): DirectionVerdict {
    const notes: string[] = [];
    if (this.asNode(subject))
      return {
        direction,
        subject: subject.id,
        isolated: false,
        policies: [],
        grants: [],
        misses: [],
        allowed: ALL_CONNECTIONS,
        notes: [`${subject.id} is ${HOST_NETWORK_NOTE}`],
      };
    const selecting = this.policies.selecting(subject, direction);
    if (selecting.length === 0)
      return {
        direction,
        subject: subject.id,
        isolated: false,
        policies: [],
        grants: [],
        misses: [],
        allowed: ALL_CONNECTIONS,
        notes,
      };
    if (other.type === 'pod' && this.asNode(other.endpoint))
      notes.push(
        `${other.endpoint.id} is on the host network: its traffic carries a node address, which pod and namespace selectors do not match`,
      );
    const grants: RuleGrant[] = [];
    const misses: RuleMiss[] = [];
    const field = direction === 'ingress' ? 'from' : 'to';
    for (const policy of selecting)
      for (const rule of policy[direction] ?? []) {
        const peer = this.matchingPeer(policy, rule, other);
        if (peer === false) {
          const reason = ruleMiss(policy, rule, other, field, this.endpoints.namespaceOf, this.hostNetwork);
          misses.push({ policy: policy.ref, rule: rule.index, reason });
          continue;
        }
        const { connections, note } = resolvePorts(rule, destination);
        const grant: RuleGrant = { policy: policy.ref, direction, rule: rule.index, peer, connections };
        if (note !== undefined) grant.note = note;
        grants.push(grant);
      }
    const allowed = grants.length === 0 ? NO_CONNECTIONS : union(...grants.map((grant) => grant.connections));
    return {
      direction,
      subject: subject.id,
      isolated: true,
      policies: selecting.map((policy) => policy.ref),
      grants,
      misses,
      allowed,
      notes,
    };
  }

  /**
   * Only what `from` may open to `to` (no explanation): the matrix asks this for every pair of pod classes, so it
   * allocates little, asks egress first (isolated sources usually end it there) and caches what ports resolve to.
   */
  allowedBetween(from: PodEndpoint, to: PodEndpoint): ConnectionSet {
    const destination: Peer = { type: 'pod', endpoint: to };
    const egress = this.allowedIn('egress', from, { type: 'pod', endpoint: to }, destination);
    if (isEmpty(egress)) return NO_CONNECTIONS;
    const ingress = this.allowedIn('ingress', to, { type: 'pod', endpoint: from }, destination);
    if (egress === ALL_CONNECTIONS) return ingress;
    return ingress === ALL_CONNECTIONS ? egress : intersect(egress, ingress);
  }

  private allowedIn(
    direction: Direction,
    subject: PodEndpoint,
    other: Peer,
    destination: Peer & { type: 'pod' },
  ): ConnectionSet {
    if (this.asNode(subject)) return ALL_CONNECTIONS;
    const selecting = this.policies.selecting(subject, direction);
    if (selecting.length === 0) return ALL_CONNECTIONS;
    let allowed = NO_CONNECTIONS;
    for (const policy of selecting)
      for (const rule of policy[direction] ?? []) {
        if (this.matchingPeer(policy, rule, other) === false) continue;
        const ports = this.portsToward(rule, destination);
        if (ports === ALL_CONNECTIONS) return ALL_CONNECTIONS;
        allowed = allowed === NO_CONNECTIONS ? ports : union(allowed, ports);
      }
    return allowed;
  }

  readonly #ports = new WeakMap<PolicyRule, ConnectionSet | WeakMap<PodEndpoint, ConnectionSet>>();

  /** A rule's ports toward a pod; only rules with named ports depend on the pod, so only they are cached per pod. */
  private portsToward(rule: PolicyRule, destination: Peer & { type: 'pod' }): ConnectionSet {
    let cached = this.#ports.get(rule);
    if (cached === undefined) {
      const named = rule.ports !== 'all' && rule.ports.some((port) => port.type === 'named');
      cached = named ? new WeakMap() : resolvePorts(rule, destination).connections;
      this.#ports.set(rule, cached);
    }
    if (!(cached instanceof WeakMap)) return cached;
    let ports = cached.get(destination.endpoint);
    if (ports === undefined) {
      ports = resolvePorts(rule, destination).connections;
      cached.set(destination.endpoint, ports);
    }
    return ports;
  }

  /** The index of the first peer of `rule` matching `other`, undefined for a rule without peers, false for none. */
  matchingPeer(policy: NetworkPolicyModel, rule: PolicyRule, other: Peer): number | undefined | false {
    if (rule.peers === 'all') return undefined;
    for (const peer of rule.peers) if (this.peerMatches(policy, peer, other)) return peer.index;
    return false;
  }

  peerMatches(policy: NetworkPolicyModel, peer: PolicyPeer, other: Peer): boolean {
    switch (peer.type) {
      case 'invalid':
        return false;
      case 'ip-block':
        if (other.type === 'address') return containsAddress(peer.ranges, other.family, other.value);
        return other.endpoint.addresses.some((address) =>
          containsAddress(peer.ranges, address.family, address.value),
        );
      case 'pods': {
        if (other.type !== 'pod' || this.asNode(other.endpoint)) return false;
        const endpoint = other.endpoint;
        if (peer.namespaceSelector === undefined) {
          if (endpoint.namespace !== policy.namespace) return false;
        } else if (
          !matchesSelector(
            peer.namespaceSelector,
            this.endpoints.namespaceOf(endpoint.namespace).labels as Record<string, string>,
          )
        )
          return false;
        return matchesSelector(peer.podSelector, endpoint.labels as Record<string, string>);
      }
    }
  }
}

/** The connections a rule's ports admit toward `destination`; named ports resolve on the destination pod's containers. */
export function resolvePorts(
  rule: PolicyRule,
  destination: Peer,
): { connections: ConnectionSet; note?: string } {
  if (rule.ports === 'all') return { connections: ALL_CONNECTIONS };
  const sets: ConnectionSet[] = [];
  const unresolved: string[] = [];
  for (const port of rule.ports) {
    switch (port.type) {
      case 'invalid':
        break;
      case 'all-ports':
        sets.push(portsOf(port.protocol, 1, 65535));
        break;
      case 'number':
        sets.push(portsOf(port.protocol, port.port, port.endPort));
        break;
      case 'named': {
        const matching =
          destination.type === 'pod'
            ? destination.endpoint.ports.filter((p) => p.name === port.name && p.protocol === port.protocol)
            : [];
        if (matching.length === 0) unresolved.push(`${port.protocol}/${port.name}`);
        for (const p of matching) sets.push(portsOf(port.protocol, p.port));
      }
    }
  }
  const connections = sets.length === 0 ? NO_CONNECTIONS : union(...sets);
  if (unresolved.length === 0) return { connections };
  const where = destination.type === 'pod' ? destination.endpoint.id : 'an address outside the pod network';
  return {
    connections,
    note: `named port ${unresolved.join(', ')} is not a container port of ${where}, so it admits nothing there`,
  };
}

/** True when `reachability` admits at least one connection. */
export function isReachable(reachability: Reachability): boolean {
  return !isEmpty(reachability.allowed);
}
