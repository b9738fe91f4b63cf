// Reachability between a pod and a range of outside addresses: the range is cut at every ipBlock boundary of the
// policies that decide, so that each piece is answered exactly once and adjacent pieces with the same answer merge.
import { equals } from './connection-set.ts';
import type { PodEndpoint } from './endpoints.ts';
import type { IpRange } from './ip-range.ts';
import type { Direction } from './policy-model.ts';
import type { Peer, Reachability, ReachabilityEngine } from './reachability.ts';

export interface AddressSegment {
  range: IpRange;
  reachability: Reachability;
}

function cutPoints(
  engine: ReachabilityEngine,
  pod: PodEndpoint,
  direction: Direction,
  range: IpRange,
): bigint[] {
  const points = new Set<bigint>([range.start]);
  for (const policy of engine.policies.selecting(pod, direction))
    for (const rule of policy[direction] ?? []) {
      if (rule.peers === 'all') continue;
      for (const peer of rule.peers) {
        if (peer.type !== 'ip-block') continue;
        for (const piece of peer.ranges) {
          if (piece.family !== range.family) continue;
          if (piece.start > range.start && piece.start <= range.end) points.add(piece.start);
          if (piece.end + 1n > range.start && piece.end + 1n <= range.end) points.add(piece.end + 1n);
        }
      }
    }
  return [...points].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

function sameAnswer(a: Reachability, b: Reachability): boolean {
  if (!equals(a.allowed, b.allowed)) return false;
  const key = (r: Reachability) =>
    [r.egress, r.ingress]
      .flatMap((verdict) => verdict?.grants ?? [])
      .map(
        (grant) =>
          `${grant.policy.namespace}/${grant.policy.name}:${grant.direction}:${grant.rule}:${grant.peer}`,
      )
      .join('|');
  return key(a) === key(b);
}

/**
 * The answer for every piece of `range`: traffic from the addresses to `pod` (`direction` ingress) or from `pod` to
 * them (egress). Outside addresses have no NetworkPolicy of their own, so only the pod's side decides.
 */
export function reachAcrossRange(
  engine: ReachabilityEngine,
  pod: PodEndpoint,
  direction: Direction,
  range: IpRange,
): AddressSegment[] {
  const points = cutPoints(engine, pod, direction, range);
  const segments: AddressSegment[] = [];
  points.forEach((start, index) => {
    const next = points[index + 1];
    const end = next === undefined ? range.end : next - 1n;
    const address: Peer = { type: 'address', family: range.family, value: start };
    const podPeer: Peer = { type: 'pod', endpoint: pod };
    const reachability =
      direction === 'ingress' ? engine.reach(address, podPeer) : engine.reach(podPeer, address);
    const last = segments[segments.length - 1];
    if (last && sameAnswer(last.reachability, reachability)) last.range = { ...last.range, end };
    else segments.push({ range: { family: range.family, start, end }, reachability });
  });
  return segments;
}
