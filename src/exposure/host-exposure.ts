// Pods on the node's network listen on every node address; hostPort maps a container port onto the node's.
import type { Inventory } from '../core/inventory.ts';
import { isRecord } from '../core/kube-object.ts';
import { containersOf, podTemplateOf } from '../core/pod-spec.ts';
import {
  ALL_CONNECTIONS,
  formatConnections,
  isProtocol,
  NO_CONNECTIONS,
  portsOf,
  union,
} from '../netpol/connection-set.ts';
import { endpointIndex } from '../netpol/endpoints.ts';
import type { ExposureFact } from './exposure-model.ts';

export function hostExposures(inventory: Inventory): ExposureFact[] {
  const facts: ExposureFact[] = [];
  for (const endpoint of endpointIndex(inventory).endpoints) {
    const view = podTemplateOf(endpoint.entry.object);
    if (!view) continue;
    if (endpoint.hostNetwork) {
      const declared = union(
        NO_CONNECTIONS,
        ...endpoint.ports.map((port) => portsOf(port.protocol, port.port)),
      );
      const ports = endpoint.ports.length > 0 ? declared : ALL_CONNECTIONS;
      facts.push({
        kind: 'host-network',
        workload: endpoint.id,
        workloadRef: endpoint.ref,
        path: [
          {
            ref: endpoint.ref,
            detail: `hostNetwork: true, listening on node addresses: ${formatConnections(ports)}`,
          },
        ],
        ports,
        notes:
          endpoint.ports.length > 0
            ? []
            : ['no container ports declared: any port the process opens is on the node'],
      });
    }
    for (const container of containersOf(view)) {
      const ports = container.container.ports;
      if (!Array.isArray(ports)) continue;
      ports.forEach((port, index) => {
        if (!isRecord(port) || typeof port.hostPort !== 'number' || port.hostPort === 0) return;
        const protocol = port.protocol ?? 'TCP';
        if (!isProtocol(protocol)) return;
        const target = typeof port.containerPort === 'number' ? port.containerPort : port.hostPort;
        const hostIp = typeof port.hostIP === 'string' && port.hostIP !== '' ? `${port.hostIP}:` : '';
        facts.push({
          kind: 'host-port',
          workload: endpoint.id,
          workloadRef: endpoint.ref,
          path: [
            {
              ref: endpoint.ref,
              detail: `container ${container.name} ports[${index}]: node ${hostIp}${port.hostPort}/${protocol} → container port ${target}`,
            },
          ],
          ports: portsOf(protocol, target),
          notes: [],
        });
      });
    }
  }
  return facts;
}
