// Gateway API: a route attaches to a Gateway listener (sectionName, port, hostname, allowed namespaces and kinds
// must agree), and its backendRefs lead to Services; a backend in another namespace needs a ReferenceGrant there.
import type { Inventory, InventoryEntry } from '../core/inventory.ts';
import { isRecord, type ObjectRef } from '../core/kube-object.ts';
import { type LabelSelector, matchesSelector } from '../core/label-selector.ts';
import { DEFAULT_NAMESPACE } from '../core/namespace-default.ts';
import { formatConnections, NO_CONNECTIONS, union } from '../netpol/connection-set.ts';
import { endpointIndex } from '../netpol/endpoints.ts';
import type { ExposureFact } from './exposure-model.ts';
import { describeServicePort, serviceBackends, servicePorts, targetConnections } from './service-backends.ts';

const GROUP = 'gateway.networking.k8s.io';
export const ROUTE_KINDS: readonly string[] = ['HTTPRoute', 'GRPCRoute', 'TLSRoute', 'TCPRoute', 'UDPRoute'];

/** Route kinds a listener accepts when `allowedRoutes.kinds` is unset, by its protocol. */
const KINDS_BY_PROTOCOL: Record<string, readonly string[]> = {
  HTTP: ['HTTPRoute', 'GRPCRoute'],
  HTTPS: ['HTTPRoute', 'GRPCRoute'],
  TLS: ['TLSRoute'],
  TCP: ['TCPRoute'],
  UDP: ['UDPRoute'],
};

interface Listener {
  name: string;
  port: number | undefined;
  protocol: string;
  hostname: string | undefined;
  raw: Record<string, unknown>;
}

function isGatewayApi(entry: InventoryEntry): boolean {
  return entry.ref.apiVersion.startsWith(`${GROUP}/`);
}

function listenersOf(gateway: InventoryEntry): Listener[] {
  const spec = gateway.object.spec;
  if (!isRecord(spec) || !Array.isArray(spec.listeners)) return [];
  return spec.listeners.filter(isRecord).map((raw) => ({
    name: typeof raw.name === 'string' ? raw.name : '',
    port: typeof raw.port === 'number' ? raw.port : undefined,
    protocol: typeof raw.protocol === 'string' ? raw.protocol : '',
    hostname:
      typeof raw.hostname === 'string' && raw.hostname !== '' ? raw.hostname.toLowerCase() : undefined,
    raw,
  }));
}

/** Gateway API wildcards (`*.example.com`) stand for one or more labels. */
function hostnamesIntersect(listener: string | undefined, routeHosts: readonly string[]): boolean {
  if (listener === undefined || routeHosts.length === 0) return true;
  const covers = (pattern: string, host: string) =>
    pattern === host ||
    (pattern.startsWith('*.') && host.endsWith(pattern.slice(1)) && host.length > pattern.length - 1);
  return routeHosts.some((host) => covers(listener, host) || covers(host, listener));
}

function listenerAccepts(
  inventory: Inventory,
  gateway: InventoryEntry,
  listener: Listener,
  route: InventoryEntry,
  routeHosts: readonly string[],
): boolean {
  const allowed = isRecord(listener.raw.allowedRoutes) ? listener.raw.allowedRoutes : {};
  const kinds = Array.isArray(allowed.kinds) ? allowed.kinds.filter(isRecord) : [];
  const kindOk =
    kinds.length > 0
      ? kinds.some((kind) => kind.kind === route.ref.kind && (kind.group ?? GROUP) === GROUP)
      : (KINDS_BY_PROTOCOL[listener.protocol] ?? []).includes(route.ref.kind);
  if (!kindOk) return false;
  const namespaces = isRecord(allowed.namespaces) ? allowed.namespaces : {};
  const from = namespaces.from ?? 'Same';
  const routeNamespace = route.ref.namespace || DEFAULT_NAMESPACE;
  const gatewayNamespace = gateway.ref.namespace || DEFAULT_NAMESPACE;
  if (from === 'Same' && routeNamespace !== gatewayNamespace) return false;
  if (from === 'Selector') {
    const labels = endpointIndex(inventory).namespaceOf(routeNamespace).labels as Record<string, string>;
    if (!isRecord(namespaces.selector) || !matchesSelector(namespaces.selector as LabelSelector, labels))
      return false;
  }
  if (from !== 'Same' && from !== 'All' && from !== 'Selector') return false;
  return hostnamesIntersect(listener.hostname, routeHosts);
}

/** A ReferenceGrant in `namespace` lets routes of `route`'s kind and namespace refer to Service `name`. */
function referenceGranted(
  inventory: Inventory,
  route: InventoryEntry,
  namespace: string,
  name: string,
): boolean {
  const routeNamespace = route.ref.namespace || DEFAULT_NAMESPACE;
  return inventory.ofKind('ReferenceGrant', namespace).some((grant) => {
    const spec = grant.object.spec;
    if (!isGatewayApi(grant) || !isRecord(spec) || !Array.isArray(spec.from) || !Array.isArray(spec.to))
      return false;
    const fromOk = spec.from.some(
      (from) =>
        isRecord(from) &&
        from.group === GROUP &&
        from.kind === route.ref.kind &&
        from.namespace === routeNamespace,
    );
    const toOk = spec.to.some(
      (to) =>
        isRecord(to) &&
        (to.group ?? '') === '' &&
        to.kind === 'Service' &&
        (to.name === undefined || to.name === '' || to.name === name),
    );
    return fromOk && toOk;
  });
}

interface Attachment {
  gatewayRef: ObjectRef;
  detail: string;
  notes: string[];
}

function attachments(
  inventory: Inventory,
  route: InventoryEntry,
  routeHosts: readonly string[],
): Attachment[] {
  const spec = route.object.spec;
  if (!isRecord(spec) || !Array.isArray(spec.parentRefs)) return [];
  const routeNamespace = route.ref.namespace || DEFAULT_NAMESPACE;
  const out: Attachment[] = [];
  for (const parent of spec.parentRefs) {
    if (!isRecord(parent) || typeof parent.name !== 'string') continue;
    if ((parent.group ?? GROUP) !== GROUP || (parent.kind ?? 'Gateway') !== 'Gateway') continue;
    const namespace = typeof parent.namespace === 'string' ? parent.namespace : routeNamespace;
    const gatewayRef: ObjectRef = {
      apiVersion: `${GROUP}/v1`,
      kind: 'Gateway',
      namespace,
      name: parent.name,
    };
    const gateway =
      inventory
        .ofKind('Gateway', namespace)
        .find((entry) => entry.ref.name === parent.name && isGatewayApi(entry)) ??
      (namespace === DEFAULT_NAMESPACE
        ? inventory
            .ofKind('Gateway', '')
            .find((entry) => entry.ref.name === parent.name && isGatewayApi(entry))
        : undefined);
    if (!gateway) {
      out.push({
        gatewayRef,
        detail: `parentRef${typeof parent.sectionName === 'string' ? ` listener ${parent.sectionName}` : ''}`,
        notes: [
          `Gateway ${namespace}/${parent.name} is not in the scanned objects: assumed to accept the route`,
        ],
      });
      continue;
    }
    const gatewaySpec = isRecord(gateway.object.spec) ? gateway.object.spec : {};
    const className =
      typeof gatewaySpec.gatewayClassName === 'string' ? `class ${gatewaySpec.gatewayClassName}, ` : '';
    for (const listener of listenersOf(gateway)) {
      if (typeof parent.sectionName === 'string' && parent.sectionName !== listener.name) continue;
      if (typeof parent.port === 'number' && parent.port !== listener.port) continue;
      if (!listenerAccepts(inventory, gateway, listener, route, routeHosts)) continue;
      out.push({
        gatewayRef: { ...gateway.ref, namespace },
        detail: `${className}listener ${listener.name} ${listener.protocol} ${listener.port ?? '?'}${listener.hostname ? ` ${listener.hostname}` : ''}`,
        notes: [],
      });
    }
  }
  return out;
}

export function gatewayExposures(inventory: Inventory): ExposureFact[] {
  const facts: ExposureFact[] = [];
  for (const kind of ROUTE_KINDS)
    for (const route of inventory.ofKind(kind)) {
      if (!isGatewayApi(route)) continue;
      const spec = route.object.spec;
      if (!isRecord(spec)) continue;
      const routeNamespace = route.ref.namespace || DEFAULT_NAMESPACE;
      const hosts = Array.isArray(spec.hostnames)
        ? spec.hostnames.filter((h): h is string => typeof h === 'string').map((h) => h.toLowerCase())
        : [];
      const parents = attachments(inventory, route, hosts);
      if (parents.length === 0) continue;
      const rules = Array.isArray(spec.rules) ? spec.rules : [];
      rules.forEach((rule, ruleIndex) => {
        if (!isRecord(rule) || !Array.isArray(rule.backendRefs)) return;
        for (const backend of rule.backendRefs) {
          if (!isRecord(backend) || typeof backend.name !== 'string') continue;
          if ((backend.group ?? '') !== '' || (backend.kind ?? 'Service') !== 'Service') continue;
          const namespace = typeof backend.namespace === 'string' ? backend.namespace : routeNamespace;
          if (namespace !== routeNamespace && !referenceGranted(inventory, route, namespace, backend.name))
            continue;
          const found = serviceBackends(inventory, namespace, backend.name);
          if (!found) continue;
          const ports = servicePorts(found.service).filter(
            (port) => typeof backend.port !== 'number' || port.port === backend.port,
          );
          for (const parent of parents)
            for (const workload of found.backends) {
              const connections = union(
                NO_CONNECTIONS,
                ...ports.map((port) => targetConnections(workload, port)),
              );
              facts.push({
                kind: 'gateway-route',
                workload: workload.id,
                workloadRef: workload.ref,
                path: [
                  { ref: parent.gatewayRef, detail: parent.detail },
                  {
                    ref: { ...route.ref, namespace: routeNamespace },
                    detail: `rules[${ruleIndex}]${hosts.length > 0 ? ` hostnames ${hosts.join(', ')}` : ''}`,
                  },
                  {
                    ref: { ...found.service.ref, namespace },
                    detail: ports.map((port) => describeServicePort(port, false)).join(', '),
                  },
                  { ref: workload.ref, detail: formatConnections(connections) },
                ],
                ports: connections,
                notes: parent.notes,
              });
            }
        }
      });
    }
  return facts;
}
