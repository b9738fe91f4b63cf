// Every exposure fact of an inventory, computed once (Inventory.derive) so that rules and attack-path analysis share
// it; Service exposures also say what the workload's NetworkPolicies make of traffic from outside addresses.
import type { Inventory } from '../core/inventory.ts';
import { reachAcrossRange } from '../netpol/address-segments.ts';
import { equals, formatConnections, intersect, isAll, isEmpty } from '../netpol/connection-set.ts';
import { formatRange, fullRange } from '../netpol/ip-range.ts';
import { ReachabilityEngine } from '../netpol/reachability.ts';
import type { ExposureFact, PolicyEffect } from './exposure-model.ts';
import { gatewayExposures } from './gateway-exposure.ts';
import { hostExposures } from './host-exposure.ts';
import { ingressExposures } from './ingress-exposure.ts';
import { serviceExposures } from './service-exposure.ts';

export interface ExposureIndex {
  facts: readonly ExposureFact[];
  /** Facts by the workload's `Kind/namespace/name`. */
  byWorkload: ReadonlyMap<string, readonly ExposureFact[]>;
}

const INDEX = Symbol('exposure facts');

const ORDER: Record<ExposureFact['kind'], number> = {
  'load-balancer': 0,
  'external-ip': 1,
  'node-port': 2,
  ingress: 3,
  'gateway-route': 4,
  'host-network': 5,
  'host-port': 6,
};

/**
 * Outside traffic reaches Service backends from client addresses (or, with externalTrafficPolicy Cluster, from node
 * addresses after SNAT): the ingress policies of the workload decide which of them get through to the exposed ports.
 */
function policyEffect(engine: ReachabilityEngine, fact: ExposureFact): PolicyEffect | undefined {
  if (fact.kind !== 'node-port' && fact.kind !== 'load-balancer' && fact.kind !== 'external-ip')
    return undefined;
  const endpoint = engine.endpoints.byId.get(fact.workload);
  if (!endpoint) return undefined;
  if (engine.policies.selecting(endpoint, 'ingress').length === 0)
    return { verdict: 'not-isolated', detail: 'no NetworkPolicy isolates the workload for ingress' };
  const admitted = [4, 6].flatMap((family) =>
    reachAcrossRange(engine, endpoint, 'ingress', fullRange(family as 4 | 6))
      .map((segment) => ({
        range: segment.range,
        connections: intersect(segment.reachability.allowed, fact.ports),
      }))
      .filter((segment) => !isEmpty(segment.connections)),
  );
  if (admitted.length === 0)
    return { verdict: 'blocked', detail: 'ingress policies admit no outside address on these ports' };
  const everywhere =
    admitted.length === 2 &&
    admitted.every(
      (segment) => segment.range.start === 0n && segment.range.end === fullRange(segment.range.family).end,
    ) &&
    admitted.every((segment) => equals(segment.connections, fact.ports) || isAll(segment.connections));
  const detail = admitted
    .map((segment) => `${formatRange(segment.range)} (${formatConnections(segment.connections)})`)
    .join(', ');
  return { verdict: everywhere ? 'open' : 'restricted', detail };
}

function build(inventory: Inventory): ExposureIndex {
  const engine = new ReachabilityEngine(inventory);
  const facts = [
    ...serviceExposures(inventory),
    ...ingressExposures(inventory),
    ...gatewayExposures(inventory),
    ...hostExposures(inventory),
  ].map((fact) => {
    const policy = policyEffect(engine, fact);
    return policy ? { ...fact, policy } : fact;
  });
  facts.sort((a, b) =>
    a.workload < b.workload ? -1 : a.workload > b.workload ? 1 : ORDER[a.kind] - ORDER[b.kind],
  );
  const byWorkload = new Map<string, ExposureFact[]>();
  for (const fact of facts) {
    const list = byWorkload.get(fact.workload);
    if (list) list.push(fact);
    else byWorkload.set(fact.workload, [fact]);
  }
  return { facts, byWorkload };
}

export function exposureIndex(inventory: Inventory): ExposureIndex {
  return inventory.derive(INDEX, build);
}
