// The pods the analysis reasons about: every Pod and every workload's pod template (their pods carry its labels),
// with their namespace's labels and their named container ports. Computed once per inventory.
import type { Inventory, InventoryEntry } from '../core/inventory.ts';
import { formatRef, isRecord, type ObjectRef } from '../core/kube-object.ts';
import { DEFAULT_NAMESPACE, NAMESPACE_NAME_LABEL } from '../core/namespace-default.ts';
import { containersOf, isFinishedPod, podTemplateOf, WORKLOAD_KINDS } from '../core/pod-spec.ts';
import { isProtocol, type Protocol } from './connection-set.ts';
import { parseAddress } from './ip-range.ts';
import { duplicateNotice, type LoadNotice, lastDefinitions } from './load-notice.ts';

export interface NamedPort {
  name: string;
  port: number;
  protocol: Protocol;
  container: string;
}

export interface PodEndpoint {
  /** `Kind/namespace/name`, the way users name it on the command line. */
  id: string;
  ref: ObjectRef;
  entry: InventoryEntry;
  namespace: string;
  labels: Readonly<Record<string, string>>;
  /** Every container port (named or not) of regular and sidecar containers. */
  ports: readonly NamedPort[];
  /** On the node's network: NetworkPolicy does not isolate it, and its traffic comes from the node's address. */
  hostNetwork: boolean;
  /** Pod IPs when the object records them (`status.podIPs` of live pods), for ipBlock peers. */
  addresses: readonly { family: 4 | 6; value: bigint }[];
}

export interface NamespaceInfo {
  name: string;
  labels: Readonly<Record<string, string>>;
  /** A Namespace object was in the inventory; otherwise only the automatic name label is known. */
  declared: boolean;
}

export interface EndpointIndex {
  endpoints: readonly PodEndpoint[];
  byId: ReadonlyMap<string, PodEndpoint>;
  byNamespace: ReadonlyMap<string, readonly PodEndpoint[]>;
  namespaces: ReadonlyMap<string, NamespaceInfo>;
  namespaceOf(name: string): NamespaceInfo;
  /** Pods and workloads defined more than once: the last definition is used. */
  notices: readonly LoadNotice[];
  /**
   * Recorded addresses of the Pods a scanned controller stands for (they are no endpoints themselves): the endpoint
   * that stands for each, so that such an address can be named on the command line.
   */
  ownedAddresses: readonly OwnedAddress[];
}

export interface OwnedAddress {
  family: 4 | 6;
  value: bigint;
  /** `Pod/namespace/name` of the pod that records it. */
  pod: string;
  endpoint: PodEndpoint;
}

/** Kinds whose pod template stands for running pods (PodTemplate is only a template for others). */
export const POD_BEARING_KINDS: readonly string[] = WORKLOAD_KINDS.filter((kind) => kind !== 'PodTemplate');

const INDEX = Symbol('netpol endpoints');

function stringRecord(value: unknown): Record<string, string> {
  if (!isRecord(value)) return {};
  const out: Record<string, string> = {};
  for (const [key, item] of Object.entries(value)) if (typeof item === 'string') out[key] = item;
  return out;
}

function portsOf(entry: InventoryEntry): NamedPort[] {
  const view = podTemplateOf(entry.object);
  if (!view) return [];
  const out: NamedPort[] = [];
  for (const container of containersOf(view)) {
    // Init containers run before the pod serves; only sidecars (restartPolicy Always) keep listening.
    if (container.type === 'ephemeralContainers') continue;
    if (container.type === 'initContainers' && container.container.restartPolicy !== 'Always') continue;
    const ports = container.container.ports;
    if (!Array.isArray(ports)) continue;
    for (const port of ports) {
      if (!isRecord(port) || typeof port.containerPort !== 'number') continue;
      const protocol = port.protocol ?? 'TCP';
      if (!isProtocol(protocol)) continue;
      out.push({
        name: typeof port.name === 'string' ? port.name : '',
        port: port.containerPort,
        protocol,
        container: container.name,
      });
    }
  }
  return out;
}

function addressesOf(entry: InventoryEntry): PodEndpoint['addresses'] {
  const status = entry.object.status;
  if (!isRecord(status)) return [];
  const texts = new Set<string>();
  if (typeof status.podIP === 'string') texts.add(status.podIP);
  if (Array.isArray(status.podIPs))
    for (const item of status.podIPs) if (isRecord(item) && typeof item.ip === 'string') texts.add(item.ip);
  return [...texts].flatMap((text) => {
    const address = parseAddress(text);
    return address ? [address] : [];
  });
}

/** The controller of an object when it is itself in the inventory: it stands for the object (no double counting). */
function presentController(inventory: Inventory, entry: InventoryEntry): InventoryEntry | undefined {
  const owners = entry.object.metadata.ownerReferences;
  if (!Array.isArray(owners)) return undefined;
  for (const owner of owners)
    if (
      isRecord(owner) &&
      owner.controller === true &&
      typeof owner.kind === 'string' &&
      typeof owner.name === 'string'
    ) {
      const found = inventory.get(owner.kind, entry.ref.namespace, owner.name);
      if (found) return found;
    }
  return undefined;
}

function buildIndex(inventory: Inventory): EndpointIndex {
  const namespaces = new Map<string, NamespaceInfo>();
  for (const entry of inventory.ofKind('Namespace')) {
    if (entry.ref.apiVersion !== 'v1' || entry.ref.name === '') continue;
    namespaces.set(entry.ref.name, {
      name: entry.ref.name,
      labels: { ...stringRecord(entry.object.metadata.labels), [NAMESPACE_NAME_LABEL]: entry.ref.name },
      declared: true,
    });
  }
  const namespaceOf = (name: string): NamespaceInfo =>
    namespaces.get(name) ?? { name, labels: { [NAMESPACE_NAME_LABEL]: name }, declared: false };

  const endpoints: PodEndpoint[] = [];
  const byId = new Map<string, PodEndpoint>();
  const byNamespace = new Map<string, PodEndpoint[]>();
  const notices: LoadNotice[] = [];
  const owned: InventoryEntry[] = [];
  const refOf = (entry: InventoryEntry): ObjectRef => ({
    ...entry.ref,
    namespace: entry.ref.namespace || DEFAULT_NAMESPACE,
  });
  // The last definition of an object is the one in use, as `kubectl apply` of every input would leave it.
  const kept = lastDefinitions(
    POD_BEARING_KINDS.flatMap((kind) => inventory.ofKind(kind)),
    (entry) => (entry.ref.name === '' ? undefined : formatRef(refOf(entry))),
  );
  for (const { item: entry, replaced } of kept) {
    const ref = refOf(entry);
    const notice = duplicateNotice(replaced, entry, ref);
    if (notice) notices.push(notice);
    const view = podTemplateOf(entry.object);
    if (!view || isFinishedPod(entry.object)) continue;
    if (presentController(inventory, entry)) {
      if (entry.ref.kind === 'Pod') owned.push(entry);
      continue;
    }
    const namespace = ref.namespace ?? DEFAULT_NAMESPACE;
    const id = formatRef(ref);
    if (byId.has(id)) continue; // nameless objects of one kind and namespace: the first stands for them
    const endpoint: PodEndpoint = {
      id,
      ref,
      entry,
      namespace,
      labels: stringRecord(view.metadata.labels),
      ports: portsOf(entry),
      hostNetwork: view.spec.hostNetwork === true,
      addresses: addressesOf(entry),
    };
    endpoints.push(endpoint);
    byId.set(id, endpoint);
    const list = byNamespace.get(namespace);
    if (list) list.push(endpoint);
    else byNamespace.set(namespace, [endpoint]);
    if (!namespaces.has(namespace)) namespaces.set(namespace, namespaceOf(namespace));
  }
  const ownedAddresses: OwnedAddress[] = [];
  for (const pod of owned) {
    // Up the controllers (Pod, ReplicaSet, Deployment) to the one that is an endpoint; a cycle ends the walk.
    let current: InventoryEntry | undefined = pod;
    const seen = new Set<InventoryEntry>();
    let endpoint: PodEndpoint | undefined;
    while (current && !seen.has(current) && !endpoint) {
      seen.add(current);
      current = presentController(inventory, current);
      if (current) endpoint = byId.get(formatRef(refOf(current)));
    }
    if (!endpoint) continue;
    for (const address of addressesOf(pod))
      ownedAddresses.push({ ...address, pod: formatRef(refOf(pod)), endpoint });
  }
  return { endpoints, byId, byNamespace, namespaces, namespaceOf, notices, ownedAddresses };
}

export function endpointIndex(inventory: Inventory): EndpointIndex {
  return inventory.derive(INDEX, buildIndex);
}
