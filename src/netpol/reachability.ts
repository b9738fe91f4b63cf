// Can this peer reach that one: NetworkPolicy semantics (kubernetes.io/docs/concepts/services-networking/network-policies).
// A connection is allowed when the source's egress admits it and the destination's ingress admits it; a pod selected
// by no policy of a direction is not isolated in it; isolated, it admits the union of what its policies' rules grant.
import type { Inventory, InventoryEntry } from '../core/inventory.ts';
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
import type { LoadNotice } from './load-notice.ts';
import { ruleMiss } from './miss-reasons.ts';
import { nodeAddressFamilies, nodeAddressMatch } from './node-address.ts';
import { formatIpBlock } from './policy-fields.ts';
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
  /** Set when the grant holds only if a host-network peer's node address is in the rule's ipBlock. */
  condition?: string;
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
  /** What the grants without a condition admit. */
  allowed: ConnectionSet;
  /** What all grants admit, conditional ones included (equal to `allowed` when none is conditional). */
  possible: ConnectionSet;
  notes: readonly string[];
}

export interface Reachability {
  /** Absent when the source is outside the pod network (its egress is not governed by NetworkPolicy). */
  egress?: DirectionVerdict;
  /** Absent when the destination is outside the pod network. */
  ingress?: DirectionVerdict;
  /** Allowed for sure. */
  allowed: ConnectionSet;
  /** Allowed if the node address of a host-network side is in the ipBlocks that could admit it (⊇ `allowed`). */
  possible: ConnectionSet;
  /** Said of the answer as a whole: a pod to itself, a workload paired with itself. */
  note?: string;
}

/** A peer of a rule matching the other side: `condition` when that depends on a node address. */
export interface PeerMatch {
  /** Index in `from`/`to`; undefined for a rule without peers (any peer). */
  peer: number | undefined;
  condition?: string;
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
  readonly #entries: readonly InventoryEntry[];
  readonly #inventory: Inventory;
  #nodeFamilies: { families: ReadonlySet<IpFamily> | undefined } | undefined;

  constructor(inventory: Inventory, options: ReachabilityOptions = {}) {
    this.#entries = inventory.entries;
    this.endpoints = endpointIndex(inventory);
    this.policies = policyIndex(inventory);
    this.hostNetwork = options.hostNetwork ?? 'node';
    this.#inventory = inventory;
  }

  /**
   * The address families node traffic may use, when the inputs show them (nodeAddressFamilies). Read when first
   * needed, so that an answer with no host-network pod meeting an ipBlock never reads Nodes.
   */
  get nodeFamilies(): ReadonlySet<IpFamily> | undefined {
    this.#nodeFamilies ??= { families: nodeAddressFamilies(this.#inventory) };
    return this.#nodeFamilies.families;
  }

  /** What the analysis could not take as written, in input order: invalid fields, duplicates, unread policy kinds. */
  get notices(): readonly LoadNotice[] {
    const notices: LoadNotice[] = [...this.endpoints.notices, ...this.policies.notAnalysed];
    for (const policy of this.policies.policies)
      for (const problem of policy.problems)
        notices.push({ entry: policy.entry, ref: policy.ref, path: problem.path, message: problem.message });
    const order = new Map(this.#entries.map((entry, index) => [entry, index]));
    return notices
      .map((notice, index) => ({ notice, index }))
      .sort(
        (a, b) => (order.get(a.notice.entry) ?? 0) - (order.get(b.notice.entry) ?? 0) || a.index - b.index,
      )
      .map(({ notice }) => notice);
  }

  /** True when `endpoint`'s traffic is node traffic, outside NetworkPolicy's reach, under the host-network model. */
  isNodeTraffic(endpoint: PodEndpoint): boolean {
    return endpoint.hostNetwork && this.hostNetwork === 'node';
  }

  /** What `from` may open to `to`, with the verdict of each direction. */
  reach(from: Peer, to: Peer): Reachability {
    if (
      from.type === 'pod' &&
      to.type === 'pod' &&
      from.endpoint === to.endpoint &&
      from.endpoint.ref.kind === 'Pod'
    )
      return {
        allowed: ALL_CONNECTIONS,
        possible: ALL_CONNECTIONS,
        note: `${from.endpoint.id} to itself: always allowed, a pod cannot block access to itself (NetworkPolicy governs its traffic with other pods and addresses only)`,
      };
    const egress = from.type === 'pod' ? this.verdict('egress', from.endpoint, to, to) : undefined;
    const ingress = to.type === 'pod' ? this.verdict('ingress', to.endpoint, from, to) : undefined;
    let allowed = ALL_CONNECTIONS;
    let possible = ALL_CONNECTIONS;
    for (const verdict of [egress, ingress]) {
      if (!verdict) continue;
      allowed = intersect(allowed, verdict.allowed);
      possible = intersect(possible, verdict.possible);
    }
    const result: Reachability = { allowed, possible };
    if (egress) result.egress = egress;
    if (ingress) result.ingress = ingress;
    if (from.type === 'pod' && to.type === 'pod' && from.endpoint === to.endpoint)
      result.note = `each pod of ${from.endpoint.id} can always reach itself; this answer is for traffic between different pods of it (its replicas)`;
    return result;
  }

  /** The verdict of `direction` for `subject`, the other side being `other`; ports resolve on `destination`. */
  verdict(direction: Direction, subject: PodEndpoint, other: Peer, destination: Peer): DirectionVerdict {
    const notes: string[] = [];
    const open = {
      direction,
      subject: subject.id,
      isolated: false,
      policies: [],
      grants: [],
      misses: [],
      allowed: ALL_CONNECTIONS,
      possible: ALL_CONNECTIONS,
      notes,
    };
    if (this.isNodeTraffic(subject)) {
      notes.push(`${subject.id} is ${HOST_NETWORK_NOTE}`);
      return open;
    }
    const selecting = this.policies.selecting(subject, direction);
    if (selecting.length === 0) return open;
    if (other.type === 'pod' && this.isNodeTraffic(other.endpoint))
      notes.push(
        `${other.endpoint.id} is on the host network: its traffic carries its node's address, which pod and namespace selectors do not match and ipBlocks holding that address do`,
      );
    const grants: RuleGrant[] = [];
    const misses: RuleMiss[] = [];
    const field = direction === 'ingress' ? 'from' : 'to';
    for (const policy of selecting)
      for (const rule of policy[direction] ?? []) {
        const match = this.matchingPeer(policy, rule, other);
        if (match === false) {
          const reason = ruleMiss(
            policy,
            rule,
            other,
            field,
            this.endpoints.namespaceOf,
            this.hostNetwork,
            () => this.nodeFamilies,
          );
          misses.push({ policy: policy.ref, rule: rule.index, reason });
          continue;
        }
        const { connections, note } = resolvePorts(rule, destination);
        const grant: RuleGrant = {
          policy: policy.ref,
          direction,
          rule: rule.index,
          peer: match.peer,
          connections,
        };
        if (note !== undefined) grant.note = note;
        if (match.condition !== undefined) grant.condition = match.condition;
        grants.push(grant);
      }
    const sure = grants.filter((grant) => grant.condition === undefined);
    const allowed = sure.length === 0 ? NO_CONNECTIONS : union(...sure.map((grant) => grant.connections));
    const possible =
      sure.length === grants.length
        ? allowed
        : union(NO_CONNECTIONS, ...grants.map((grant) => grant.connections));
    return {
      direction,
      subject: subject.id,
      isolated: true,
      policies: selecting.map((policy) => policy.ref),
      grants,
      misses,
      allowed,
      possible,
      notes,
    };
  }

  /**
   * Only what `from` may open to `to` for sure (no explanation): the matrix asks this for every pair of pod classes,
   * so it allocates little, asks egress first (isolated sources usually end it there) and caches what ports resolve
   * to. It answers for two different pods (the matrix's pairs), so a pod paired with itself is evaluated like two.
   */
  allowedBetween(from: PodEndpoint, to: PodEndpoint): ConnectionSet {
    return this.#between(from, to, false);
  }

  /** As `allowedBetween`, with what depends on a host-network pod's node address counted as allowed. */
  possibleBetween(from: PodEndpoint, to: PodEndpoint): ConnectionSet {
    return this.#between(from, to, true);
  }

  #between(from: PodEndpoint, to: PodEndpoint, possible: boolean): ConnectionSet {
    const destination: Peer = { type: 'pod', endpoint: to };
    const egress = this.allowedIn('egress', from, { type: 'pod', endpoint: to }, destination, possible);
    if (isEmpty(egress)) return NO_CONNECTIONS;
    const ingress = this.allowedIn('ingress', to, { type: 'pod', endpoint: from }, destination, possible);
    if (egress === ALL_CONNECTIONS) return ingress;
    return ingress === ALL_CONNECTIONS ? egress : intersect(egress, ingress);
  }

  private allowedIn(
    direction: Direction,
    subject: PodEndpoint,
    other: Peer,
    destination: Peer & { type: 'pod' },
    possible: boolean,
  ): ConnectionSet {
    if (this.isNodeTraffic(subject)) return ALL_CONNECTIONS;
    const selecting = this.policies.selecting(subject, direction);
    if (selecting.length === 0) return ALL_CONNECTIONS;
    let allowed = NO_CONNECTIONS;
    for (const policy of selecting)
      for (const rule of policy[direction] ?? []) {
        const match = this.matchingPeer(policy, rule, other);
        if (match === false || (match.condition !== undefined && !possible)) continue;
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

  /**
   * The first peer of `rule` matching `other` (a sure match before one that depends on a node address), `peer`
   * undefined for a rule without peers, false for none.
   */
  matchingPeer(policy: NetworkPolicyModel, rule: PolicyRule, other: Peer): PeerMatch | false {
    if (rule.peers === 'all') return { peer: undefined };
    let first: number | undefined;
    const blocks: string[] = [];
    for (const peer of rule.peers) {
      const match = this.peerMatches(policy, peer, other);
      if (match === true) return { peer: peer.index };
      if (match === 'node-address' && peer.type === 'ip-block') {
        first ??= peer.index;
        blocks.push(formatIpBlock(peer));
      }
    }
    if (first === undefined || other.type !== 'pod') return false;
    return {
      peer: first,
      condition: `only if the node address of ${other.endpoint.id} is in ${blocks.join(' or ')}`,
    };
  }

  /** Whether `peer` matches `other`; `node-address` when that depends on a host-network pod's node address. */
  peerMatches(policy: NetworkPolicyModel, peer: PolicyPeer, other: Peer): boolean | 'node-address' {
    switch (peer.type) {
      case 'invalid':
        return false;
      case 'ip-block': {
        if (other.type === 'address') return containsAddress(peer.ranges, other.family, other.value);
        const addresses = other.endpoint.addresses;
        // A live host-network pod records its node's address as its own: matched exactly like any other.
        if (addresses.length > 0 || !this.isNodeTraffic(other.endpoint))
          return addresses.some((address) => containsAddress(peer.ranges, address.family, address.value));
        const node = nodeAddressMatch(peer.ranges, this.nodeFamilies);
        return node === 'all' ? true : node === 'some' ? 'node-address' : false;
      }
      case 'pods': {
        if (other.type !== 'pod' || this.isNodeTraffic(other.endpoint)) return false;
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
