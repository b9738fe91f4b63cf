// Ingress objects: each host/path (and the default backend) sends outside HTTP traffic to a Service port, and from
// there to the workloads the Service selects.
import type { Inventory, InventoryEntry } from '../core/inventory.ts';
import { isRecord } from '../core/kube-object.ts';
import { DEFAULT_NAMESPACE } from '../core/namespace-default.ts';
import { formatConnections, NO_CONNECTIONS, union } from '../netpol/connection-set.ts';
import type { ExposureFact, ExposureStep } from './exposure-model.ts';
import {
  describeServicePort,
  type ServicePort,
  serviceBackends,
  servicePorts,
  targetConnections,
} from './service-backends.ts';

interface BackendReference {
  service: string;
  port: number | string | undefined;
  route: string;
}

/** `backend.service.{name,port}` (v1) or `backend.serviceName/servicePort` (v1beta1). */
function readBackend(value: unknown, route: string): BackendReference | undefined {
  if (!isRecord(value)) return undefined;
  if (isRecord(value.service) && typeof value.service.name === 'string') {
    const port = isRecord(value.service.port) ? value.service.port : {};
    const ref =
      typeof port.number === 'number' ? port.number : typeof port.name === 'string' ? port.name : undefined;
    return { service: value.service.name, port: ref, route };
  }
  if (typeof value.serviceName === 'string') {
    const port = value.servicePort;
    return {
      service: value.serviceName,
      port: typeof port === 'number' || typeof port === 'string' ? port : undefined,
      route,
    };
  }
  return undefined;
}

function backendsOf(ingress: InventoryEntry): BackendReference[] {
  const spec = ingress.object.spec;
  if (!isRecord(spec)) return [];
  const out: BackendReference[] = [];
  const fallback = readBackend(spec.defaultBackend ?? spec.backend, 'default backend');
  if (fallback) out.push(fallback);
  if (Array.isArray(spec.rules))
    for (const rule of spec.rules) {
      if (!isRecord(rule)) continue;
      const host = typeof rule.host === 'string' && rule.host !== '' ? rule.host : '*';
      const paths = isRecord(rule.http) && Array.isArray(rule.http.paths) ? rule.http.paths : [];
      for (const path of paths) {
        if (!isRecord(path)) continue;
        const text = typeof path.path === 'string' ? path.path : '/';
        const type = typeof path.pathType === 'string' ? ` (${path.pathType})` : '';
        const backend = readBackend(path.backend, `host ${host} path ${text}${type}`);
        if (backend) out.push(backend);
      }
    }
  return out;
}

function matchesPort(port: ServicePort, wanted: number | string | undefined): boolean {
  if (wanted === undefined) return true;
  return typeof wanted === 'number' ? port.port === wanted : port.name === wanted;
}

function ingressClass(ingress: InventoryEntry): string {
  const spec = ingress.object.spec;
  const annotations = ingress.object.metadata.annotations;
  if (isRecord(spec) && typeof spec.ingressClassName === 'string') return `class ${spec.ingressClassName}`;
  if (isRecord(annotations) && typeof annotations['kubernetes.io/ingress.class'] === 'string')
    return `class ${annotations['kubernetes.io/ingress.class']}`;
  return 'default class';
}

export function ingressExposures(inventory: Inventory): ExposureFact[] {
  const facts: ExposureFact[] = [];
  for (const ingress of inventory.ofKind('Ingress')) {
    if (!/^(networking\.k8s\.io|extensions)\//.test(ingress.ref.apiVersion)) continue;
    const namespace = ingress.ref.namespace || DEFAULT_NAMESPACE;
    for (const backend of backendsOf(ingress)) {
      const found = serviceBackends(inventory, namespace, backend.service);
      if (!found) continue;
      const ports = servicePorts(found.service).filter((port) => matchesPort(port, backend.port));
      for (const workload of found.backends) {
        const connections = union(NO_CONNECTIONS, ...ports.map((port) => targetConnections(workload, port)));
        const path: ExposureStep[] = [
          { ref: { ...ingress.ref, namespace }, detail: `${ingressClass(ingress)}, ${backend.route}` },
          {
            ref: { ...found.service.ref, namespace },
            detail:
              ports.length > 0
                ? ports.map((port) => describeServicePort(port, false)).join(', ')
                : `no port ${backend.port}`,
          },
          { ref: workload.ref, detail: formatConnections(connections) },
        ];
        facts.push({
          kind: 'ingress',
          workload: workload.id,
          workloadRef: workload.ref,
          path,
          ports: connections,
          notes:
            ports.length === 0
              ? [
                  `Service ${backend.service} has no port ${backend.port}: the path leads nowhere until it does`,
                ]
              : [],
        });
      }
    }
  }
  return facts;
}
