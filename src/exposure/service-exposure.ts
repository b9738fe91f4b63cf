// Services that open workloads to outside traffic: NodePort (and LoadBalancer, which allocates node ports unless
// told not to), LoadBalancer, and externalIPs.
import type { Inventory } from '../core/inventory.ts';
import { isRecord } from '../core/kube-object.ts';
import { formatConnections, NO_CONNECTIONS, union } from '../netpol/connection-set.ts';
import type { ExposureFact, ExposureKind } from './exposure-model.ts';
import { internalLoadBalancerAnnotation } from './internal-load-balancer.ts';
import {
  allServiceBackends,
  describeServicePort,
  servicePorts,
  targetConnections,
} from './service-backends.ts';

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
}

export function serviceExposures(inventory: Inventory): ExposureFact[] {
  const facts: ExposureFact[] = [];
  for (const { service, backends } of allServiceBackends(inventory)) {
    const spec = service.object.spec;
    if (!isRecord(spec) || backends.length === 0) continue;
    const type = spec.type;
    const ports = servicePorts(service);
    const externalIps = strings(spec.externalIPs);
    const kinds: { kind: ExposureKind; detail: string; notes: string[] }[] = [];
    if (type === 'NodePort' || (type === 'LoadBalancer' && spec.allocateLoadBalancerNodePorts !== false))
      kinds.push({
        kind: 'node-port',
        detail: `type ${type}: ${ports.map((port) => describeServicePort(port, true)).join(', ')} on every node`,
        notes: [],
      });
    if (type === 'LoadBalancer') {
      const internal = internalLoadBalancerAnnotation(service.object);
      const sourceRanges = strings(spec.loadBalancerSourceRanges);
      const notes: string[] = [];
      if (internal)
        notes.push(`internal load balancer (${internal}): reachable from the private network only`);
      if (sourceRanges.length > 0)
        notes.push(`loadBalancerSourceRanges limits clients to ${sourceRanges.join(', ')}`);
      kinds.push({
        kind: 'load-balancer',
        detail: `type LoadBalancer: ${ports.map((port) => describeServicePort(port, false)).join(', ')}`,
        notes,
      });
    }
    if (externalIps.length > 0)
      kinds.push({
        kind: 'external-ip',
        detail: `externalIPs ${externalIps.join(', ')}: ${ports.map((port) => describeServicePort(port, false)).join(', ')}`,
        notes: [],
      });
    for (const { kind, detail, notes } of kinds)
      for (const backend of backends) {
        const connections = union(NO_CONNECTIONS, ...ports.map((port) => targetConnections(backend, port)));
        const backendNotes = [...notes];
        const unresolved = ports.filter(
          (port) => formatConnections(targetConnections(backend, port)) === 'none',
        );
        if (unresolved.length > 0)
          backendNotes.push(
            `targetPort ${unresolved.map((port) => port.targetPort).join(', ')} is not a container port of ${backend.id}`,
          );
        facts.push({
          kind,
          workload: backend.id,
          workloadRef: backend.ref,
          path: [
            { ref: { ...service.ref, namespace: backend.namespace }, detail },
            { ref: backend.ref, detail: formatConnections(connections) },
          ],
          ports: connections,
          notes: backendNotes,
        });
      }
  }
  return facts;
}
