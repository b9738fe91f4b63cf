// What an ipBlock makes of a host-network pod whose traffic carries its node's address, unknown from manifests:
// the block admits it for sure when it holds every address a node can have, maybe when it holds some, else not.
import type { Inventory } from '../core/inventory.ts';
import { isRecord } from '../core/kube-object.ts';
import { fullRange, type IpFamily, type IpRange, parseAddress, parseCidr, subtract } from './ip-range.ts';

export type NodeAddressMatch = 'all' | 'some' | 'none';

/** Addresses no node has: unspecified, loopback, link-local, multicast and reserved (RFC 6890). */
const NEVER_NODE: Record<IpFamily, IpRange[]> = {
  4: ['0.0.0.0/8', '127.0.0.0/8', '169.254.0.0/16', '224.0.0.0/4', '240.0.0.0/4'].map(cidr),
  6: ['::/127', 'fe80::/10', 'ff00::/8'].map(cidr),
};

function cidr(text: string): IpRange {
  const parsed = parseCidr(text);
  if (!parsed) throw new Error(`bad built-in CIDR ${text}`);
  return parsed.range;
}

/** Addresses a node may have, per family. */
const NODE_SPACE: Record<IpFamily, IpRange[]> = {
  4: subtract(fullRange(4), NEVER_NODE[4]),
  6: subtract(fullRange(6), NEVER_NODE[6]),
};

const SURE_WHEN_UNKNOWN: ReadonlySet<IpFamily> = new Set([4]);
const POSSIBLE_WHEN_UNKNOWN: ReadonlySet<IpFamily> = new Set([4, 6]);

/**
 * `all` when `ranges` hold every address a node may have in a family its traffic surely uses, `some` when they hold
 * part of the addresses of a family it may use, `none` otherwise. `families` are the cluster's address families when
 * the inputs show them (nodeAddressFamilies); unknown, IPv4 is taken as sure and IPv6 as possible, since nearly every
 * cluster gives its nodes IPv4 addresses: `0.0.0.0/0` then admits node traffic, `::/0` alone only maybe.
 */
export function nodeAddressMatch(
  ranges: readonly IpRange[],
  families?: ReadonlySet<IpFamily>,
): NodeAddressMatch {
  const sure = families ?? SURE_WHEN_UNKNOWN;
  const possible = families ?? POSSIBLE_WHEN_UNKNOWN;
  let some = false;
  for (const family of possible) {
    const own = ranges.filter((range) => range.family === family);
    if (own.length === 0) continue;
    const left = NODE_SPACE[family].flatMap((piece) => subtract(piece, own));
    if (left.length === 0 && sure.has(family)) return 'all';
    const total = NODE_SPACE[family].reduce((sum, piece) => sum + piece.end - piece.start + 1n, 0n);
    const uncovered = left.reduce((sum, piece) => sum + piece.end - piece.start + 1n, 0n);
    if (uncovered < total) some = true;
  }
  return some ? 'some' : 'none';
}

/**
 * The address families node traffic to and from pods may use, as the inputs show them: traffic between a node and a
 * pod uses a family both have, so the pod network's families (pods' recorded addresses, nodes' pod CIDRs) met with
 * the nodes' own (InternalIP, ExternalIP), or whichever of the two shows. Undefined when nothing shows (manifests),
 * which nodeAddressMatch reads as "IPv4 surely, IPv6 maybe".
 */
export function nodeAddressFamilies(inventory: Inventory): ReadonlySet<IpFamily> | undefined {
  const pods = new Set<IpFamily>();
  const add = (set: Set<IpFamily>, text: unknown, cidr = false) => {
    if (typeof text !== 'string') return;
    const family = cidr ? parseCidr(text)?.range.family : parseAddress(text)?.family;
    if (family !== undefined) set.add(family);
  };
  for (const entry of inventory.ofKind('Pod')) {
    const status = entry.object.status;
    if (!isRecord(status)) continue;
    add(pods, status.podIP);
    if (Array.isArray(status.podIPs))
      for (const item of status.podIPs) if (isRecord(item)) add(pods, item.ip);
  }
  const nodes = new Set<IpFamily>();
  for (const entry of inventory.ofKind('Node')) {
    const { spec, status } = entry.object;
    if (isRecord(spec)) {
      add(pods, spec.podCIDR, true);
      if (Array.isArray(spec.podCIDRs)) for (const cidr of spec.podCIDRs) add(pods, cidr, true);
    }
    if (isRecord(status) && Array.isArray(status.addresses))
      for (const address of status.addresses)
        if (isRecord(address) && (address.type === 'InternalIP' || address.type === 'ExternalIP'))
          add(nodes, address.address);
  }
  if (pods.size === 0) return nodes.size > 0 ? nodes : undefined;
  if (nodes.size === 0) return pods;
  const both = new Set([...pods].filter((family) => nodes.has(family)));
  // Inputs that contradict each other (no family in common): the pods' say where pod traffic goes.
  return both.size > 0 ? both : pods;
}
