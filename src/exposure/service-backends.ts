// Services as exposure paths: which pods/workloads a Service sends to, and which container port each Service port
// lands on (a named targetPort resolves per pod, as kube-proxy does).
import type { Inventory, InventoryEntry } from '../core/inventory.ts';
import { isRecord } from '../core/kube-object.ts';
import { matchesMapSelector } from '../core/label-selector.ts';
import { DEFAULT_NAMESPACE } from '../core/namespace-default.ts';
import { servicePodSelector } from '../core/service-selection.ts';
import {
  type ConnectionSet,
  isProtocol,
  NO_CONNECTIONS,
  type Protocol,
  portsOf,
  union,
} from '../netpol/connection-set.ts';
import { endpointIndex, type PodEndpoint } from '../netpol/endpoints.ts';

export interface ServicePort {
  index: number;
  name: string | undefined;
  port: number;
  protocol: Protocol;
  nodePort: number | undefined;
  targetPort: number | string;
}

export function servicePorts(service: InventoryEntry): ServicePort[] {
  const spec = service.object.spec;
  if (!isRecord(spec) || !Array.isArray(spec.ports)) return [];
  const out: ServicePort[] = [];
  spec.ports.forEach((port, index) => {
    if (!isRecord(port) || typeof port.port !== 'number') return;
    const protocol = port.protocol ?? 'TCP';
    if (!isProtocol(protocol)) return;
    const target = port.targetPort;
    out.push({
      index,
      name: typeof port.name === 'string' ? port.name : undefined,
      port: port.port,
      protocol,
      nodePort: typeof port.nodePort === 'number' ? port.nodePort : undefined,
      targetPort:
        typeof target === 'number' || (typeof target === 'string' && target !== '') ? target : port.port,
    });
  });
  return out;
}

const BACKENDS = Symbol('service backends');

/** Services keyed `namespace/name`, each with the pods/workloads its selector picks. */
function backendIndex(
  inventory: Inventory,
): Map<string, { service: InventoryEntry; backends: PodEndpoint[] }> {
  return inventory.derive(BACKENDS, () => {
    const endpoints = endpointIndex(inventory);
    const out = new Map<string, { service: InventoryEntry; backends: PodEndpoint[] }>();
    for (const service of inventory.ofKind('Service')) {
      if (service.ref.apiVersion !== 'v1') continue;
      const namespace = service.ref.namespace || DEFAULT_NAMESPACE;
      const selector = servicePodSelector(service.object) as Record<string, string> | undefined;
      const backends = (endpoints.byNamespace.get(namespace) ?? []).filter(
        (endpoint) =>
          selector !== undefined && matchesMapSelector(selector, endpoint.labels as Record<string, string>),
      );
      out.set(`${namespace}/${service.ref.name}`, { service, backends });
    }
    return out;
  });
}

export function serviceBackends(inventory: Inventory, namespace: string, name: string) {
  return backendIndex(inventory).get(`${namespace}/${name}`);
}

export function allServiceBackends(inventory: Inventory) {
  return [...backendIndex(inventory).values()];
}

/** The container ports of `endpoint` a Service port delivers to; empty when a named targetPort is not defined there. */
export function targetConnections(endpoint: PodEndpoint, port: ServicePort): ConnectionSet {
  if (typeof port.targetPort === 'number') return portsOf(port.protocol, port.targetPort);
  const matching = endpoint.ports.filter((p) => p.name === port.targetPort && p.protocol === port.protocol);
  return union(NO_CONNECTIONS, ...matching.map((p) => portsOf(port.protocol, p.port)));
}

/** `port 80 → targetPort http` with the node port when there is one. */
export function describeServicePort(port: ServicePort, withNodePort: boolean): string {
  const node =
    withNodePort && port.nodePort !== undefined
      ? `nodePort ${port.nodePort} → `
      : withNodePort
        ? 'nodePort (allocated) → '
        : '';
  return `${node}${port.protocol} port ${port.port} → targetPort ${port.targetPort}`;
}
