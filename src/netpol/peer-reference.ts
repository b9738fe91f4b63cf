// Command-line names of the two ends of a connection: `ns/pod`, `Kind/ns/name` for a workload, or an IP / CIDR.
import { PalisadeError } from '../core/errors.ts';
import { type EndpointIndex, POD_BEARING_KINDS, type PodEndpoint } from './endpoints.ts';
import { containsAddress, type IpFamily, type IpRange, parseCidr } from './ip-range.ts';

export type PeerReference =
  /** `note`: named by the IP of a pod its workload stands for. */
  | { type: 'pod'; endpoint: PodEndpoint; note?: string }
  /** `note`: the range holds recorded pod or node addresses, whose traffic it does not stand for. */
  | { type: 'range'; range: IpRange; text: string; note?: string };

/** kubectl's short names and plurals, so that `deploy/shop/web` works as users type it. */
const KIND_ALIASES: Record<string, string> = {
  po: 'Pod',
  pods: 'Pod',
  deploy: 'Deployment',
  deployments: 'Deployment',
  sts: 'StatefulSet',
  statefulsets: 'StatefulSet',
  ds: 'DaemonSet',
  daemonsets: 'DaemonSet',
  rs: 'ReplicaSet',
  replicasets: 'ReplicaSet',
  rc: 'ReplicationController',
  replicationcontrollers: 'ReplicationController',
  cj: 'CronJob',
  cronjobs: 'CronJob',
  jobs: 'Job',
};

function kindOf(text: string): string | undefined {
  const lower = text.toLowerCase();
  return KIND_ALIASES[lower] ?? POD_BEARING_KINDS.find((kind) => kind.toLowerCase() === lower);
}

function candidates(index: EndpointIndex, namespace: string | undefined): string {
  const list = namespace === undefined ? index.endpoints : (index.byNamespace.get(namespace) ?? []);
  if (list.length === 0)
    return namespace === undefined
      ? 'the inputs hold no pods or workloads'
      : `no pods or workloads in namespace "${namespace}" (namespaces: ${[...index.byNamespace.keys()].sort().join(', ') || 'none'})`;
  const names = list.slice(0, 10).map((endpoint) => endpoint.id);
  return `known in ${namespace === undefined ? 'the inputs' : `namespace "${namespace}"`}: ${names.join(', ')}${list.length > 10 ? `, … (${list.length} in all)` : ''}`;
}

/**
 * An address or CIDR. The recorded IP of one pod is that pod (or the workload that stands for it): its traffic is
 * matched by the policies that select it, not as traffic from outside the cluster. A range holding pod IPs is
 * asked as outside traffic, and says so. A host-network pod records its node's address, which stays an address.
 */
function addressReference(
  range: IpRange,
  text: string,
  index: EndpointIndex,
  role: 'from' | 'to',
): PeerReference {
  const inRange = (address: { family: IpFamily; value: bigint }) =>
    containsAddress([range], address.family, address.value);
  // Each endpoint holding an address in the range, with the pods behind it (a workload stands for its pods).
  const holders = new Map<PodEndpoint, string[]>();
  const nodePods: string[] = [];
  const hold = (endpoint: PodEndpoint, pod: string) => {
    if (endpoint.hostNetwork) nodePods.push(pod);
    else holders.set(endpoint, [...(holders.get(endpoint) ?? []), pod]);
  };
  for (const endpoint of index.endpoints) if (endpoint.addresses.some(inRange)) hold(endpoint, endpoint.id);
  for (const owned of index.ownedAddresses) if (inRange(owned)) hold(owned.endpoint, owned.pod);
  const pods = [...new Set([...holders.values()].flat())];
  const single = range.start === range.end;
  if (single && holders.size === 1) {
    const [held] = holders;
    const endpoint = held?.[0];
    const pod = held?.[1][0];
    if (endpoint && pod !== undefined)
      return pod === endpoint.id
        ? { type: 'pod', endpoint }
        : { type: 'pod', endpoint, note: `${text} is the IP of ${pod}, which ${endpoint.id} stands for` };
  }
  if (single && holders.size > 1)
    throw new PalisadeError(
      'usage',
      `${role} "${text}" is the recorded IP of several pods (${pods.join(', ')}); name one as namespace/pod`,
    );
  if (pods.length > 0)
    return {
      type: 'range',
      range,
      text,
      note: `${text} holds the recorded IPs of ${pods.length} pod${pods.length === 1 ? '' : 's'} (${pods.slice(0, 5).join(', ')}${pods.length > 5 ? ', …' : ''}): it is asked as traffic ${role} outside the cluster, which only ipBlock peers match; name a pod (namespace/pod) to ask about its traffic`,
    };
  if (single && nodePods.length > 0)
    return {
      type: 'range',
      range,
      text,
      note: `${text} is the node address of host-network pods (${[...new Set(nodePods)].slice(0, 5).join(', ')}): it is asked as that address`,
    };
  return { type: 'range', range, text };
}

/** Resolves what the user typed; a usage error naming the candidates when it matches nothing or several things. */
export function resolvePeerReference(text: string, index: EndpointIndex, role: 'from' | 'to'): PeerReference {
  const trimmed = text.trim();
  if (/^[0-9a-fA-F:.]+(\/\d+)?$/.test(trimmed) && (trimmed.includes('.') || trimmed.includes(':'))) {
    const cidr = parseCidr(trimmed, true);
    if (!cidr) throw new PalisadeError('usage', `${role} "${text}" is not a valid IP address or CIDR`);
    if (cidr.hostBitsSet)
      throw new PalisadeError(
        'usage',
        `${role} "${text}" has host bits set: did you mean a single address (no /prefix) or the network?`,
      );
    return addressReference(cidr.range, trimmed, index, role);
  }
  const parts = trimmed.split('/');
  if (parts.some((part) => part === '') || parts.length < 2 || parts.length > 3)
    throw new PalisadeError(
      'usage',
      `${role} "${text}" is not a pod or workload: write namespace/pod, Kind/namespace/name (e.g. Deployment/shop/web) or an IP/CIDR`,
    );
  if (parts.length === 3) {
    const [kindText = '', namespace = '', name = ''] = parts;
    const kind = kindOf(kindText);
    if (!kind)
      throw new PalisadeError(
        'usage',
        `${role} "${text}": "${kindText}" is not a pod-bearing kind (${POD_BEARING_KINDS.join(', ')})`,
      );
    const endpoint = index.byId.get(`${kind}/${namespace}/${name}`);
    if (!endpoint)
      throw new PalisadeError(
        'usage',
        `${role} "${text}": no ${kind} "${name}" in namespace "${namespace}"; ${candidates(index, namespace)}`,
      );
    return { type: 'pod', endpoint };
  }
  const [namespace = '', name = ''] = parts;
  const pod = index.byId.get(`Pod/${namespace}/${name}`);
  if (pod) return { type: 'pod', endpoint: pod };
  // A workload's name stands for its pods when it is unambiguous.
  const matches = (index.byNamespace.get(namespace) ?? []).filter((endpoint) => endpoint.ref.name === name);
  const [only] = matches;
  if (only && matches.length === 1) return { type: 'pod', endpoint: only };
  if (matches.length > 1)
    throw new PalisadeError(
      'usage',
      `${role} "${text}" is ambiguous: ${matches.map((endpoint) => endpoint.id).join(', ')}; name one as Kind/namespace/name`,
    );
  throw new PalisadeError(
    'usage',
    `${role} "${text}": no pod or workload "${name}" in namespace "${namespace}"; ${candidates(index, namespace)}`,
  );
}
