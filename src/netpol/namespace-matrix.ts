// Namespace-to-namespace view of reachability, with "outside" (addresses beyond the pod network) as one more row
// and column. Pods with the same namespace, labels, ports and addressing behave alike, so each such class is
// evaluated once and weighted by its size.

import { EventLoopPacer } from '../core/event-loop-pacer.ts';
import { reachAcrossRange } from './address-segments.ts';
import { type ConnectionSet, isAll, isEmpty, NO_CONNECTIONS, union } from './connection-set.ts';
import type { PodEndpoint } from './endpoints.ts';
import { fullRange } from './ip-range.ts';
import type { ReachabilityEngine } from './reachability.ts';

export const OUTSIDE = '(outside)';

export interface MatrixCell {
  from: string;
  to: string;
  /** Ordered pairs of pods/workloads, a workload paired with itself for its replicas (outside: one per workload). */
  pairs: number;
  /** Pairs with at least one allowed connection. */
  reachable: number;
  /** Pairs with every connection allowed. */
  open: number;
  /**
   * Pairs with nothing allowed for sure but some connection allowed if a host-network pod's node address is in an
   * ipBlock that could admit it (`--host-network node`).
   */
  dependent: number;
  /** Everything allowed for some pair. */
  connections: ConnectionSet;
  /** `n/a` when there is no pair (one bare pod alone in its namespace). */
  verdict: 'all' | 'none' | 'partial' | 'n/a';
}

export interface NamespaceMatrix {
  namespaces: readonly string[];
  cells: readonly MatrixCell[];
}

interface EndpointClass {
  namespace: string;
  representative: PodEndpoint;
  size: number;
  /** Members that are workloads (their replicas talk to each other) rather than single pods. */
  workloads: number;
}

function classKey(endpoint: PodEndpoint): string {
  const labels = Object.entries(endpoint.labels).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const ports = endpoint.ports.map((p) => `${p.name}:${p.protocol}:${p.port}`).sort();
  const addresses = endpoint.addresses.map((a) => `${a.family}:${a.value}`).sort();
  return JSON.stringify([endpoint.namespace, labels, ports, endpoint.hostNetwork, addresses]);
}

function classesOf(endpoints: readonly PodEndpoint[]): EndpointClass[] {
  const byKey = new Map<string, EndpointClass>();
  for (const endpoint of endpoints) {
    const key = classKey(endpoint);
    const found = byKey.get(key);
    const workload = endpoint.ref.kind === 'Pod' ? 0 : 1;
    if (found) {
      found.size++;
      found.workloads += workload;
    } else
      byKey.set(key, {
        namespace: endpoint.namespace,
        representative: endpoint,
        size: 1,
        workloads: workload,
      });
  }
  return [...byKey.values()];
}

function verdictOf(cell: Omit<MatrixCell, 'verdict'>): MatrixCell['verdict'] {
  if (cell.pairs === 0) return 'n/a';
  if (cell.open === cell.pairs) return 'all';
  return cell.reachable === 0 && cell.dependent === 0 ? 'none' : 'partial';
}

function outsideOpenness(engine: ReachabilityEngine, endpoint: PodEndpoint, direction: 'ingress' | 'egress') {
  const segments = [4, 6].flatMap((family) =>
    reachAcrossRange(engine, endpoint, direction, fullRange(family as 4 | 6)),
  );
  const connections = union(NO_CONNECTIONS, ...segments.map((segment) => segment.reachability.allowed));
  return {
    reachable: !isEmpty(connections),
    open: segments.every((segment) => isAll(segment.reachability.allowed)),
    connections,
  };
}

/**
 * The matrix over `namespaces` (default: every namespace that has pods or workloads), outside included. Quadratic in
 * distinct pod classes (seconds for thousands): the event loop gets its turns, so Ctrl-C stops it.
 */
export async function namespaceMatrix(
  engine: ReachabilityEngine,
  namespaces?: readonly string[],
  signal?: AbortSignal,
): Promise<NamespaceMatrix> {
  const pacer = new EventLoopPacer(signal);
  const names = [...(namespaces ?? [...engine.endpoints.byNamespace.keys()])].sort();
  const wanted = new Set(names);
  const classes = classesOf(engine.endpoints.endpoints.filter((endpoint) => wanted.has(endpoint.namespace)));
  const cells = new Map<string, Map<string, Omit<MatrixCell, 'verdict'>>>();
  const cell = (from: string, to: string) => {
    let row = cells.get(from);
    if (!row) {
      row = new Map();
      cells.set(from, row);
    }
    let found = row.get(to);
    if (!found) {
      found = { from, to, pairs: 0, reachable: 0, open: 0, dependent: 0, connections: NO_CONNECTIONS };
      row.set(to, found);
    }
    return found;
  };
  for (const source of classes) {
    // Once per row: the clock read per pair cost a third of the matrix's time.
    const turn = pacer.due();
    if (turn) await turn;
    for (const target of classes) {
      // Within a class: n*(n-1) ordered pairs of distinct members, plus one per workload for its replicas talking
      // to each other (NetworkPolicy governs that too; a pod's traffic to itself it does not: always allowed).
      const pairs =
        source === target ? source.size * (source.size - 1) + source.workloads : source.size * target.size;
      if (pairs === 0) continue;
      const allowed = engine.allowedBetween(source.representative, target.representative);
      const c = cell(source.namespace, target.namespace);
      c.pairs += pairs;
      if (!isEmpty(allowed)) {
        c.reachable += pairs;
        c.connections = union(c.connections, allowed);
      } else if (
        (engine.isNodeTraffic(source.representative) || engine.isNodeTraffic(target.representative)) &&
        !isEmpty(engine.possibleBetween(source.representative, target.representative))
      )
        c.dependent += pairs;
      if (isAll(allowed)) c.open += pairs;
    }
  }
  for (const members of classes) {
    const turn = pacer.due();
    if (turn) await turn;
    for (const direction of ['ingress', 'egress'] as const) {
      const outside = outsideOpenness(engine, members.representative, direction);
      const c = direction === 'ingress' ? cell(OUTSIDE, members.namespace) : cell(members.namespace, OUTSIDE);
      c.pairs += members.size;
      if (outside.reachable) {
        c.reachable += members.size;
        c.connections = union(c.connections, outside.connections);
      }
      if (outside.open) c.open += members.size;
    }
  }
  const axis = [...names, OUTSIDE];
  const out: MatrixCell[] = [];
  for (const from of axis)
    for (const to of axis) {
      if (from === OUTSIDE && to === OUTSIDE) continue;
      const found = cells.get(from)?.get(to) ?? {
        from,
        to,
        pairs: 0,
        reachable: 0,
        open: 0,
        dependent: 0,
        connections: NO_CONNECTIONS,
      };
      out.push({ ...found, verdict: verdictOf(found) });
    }
  return { namespaces: names, cells: out };
}
