// What an ipBlock makes of a host-network pod whose traffic carries its node's address, unknown from manifests:
// the block admits it for sure when it holds every address a node can have, maybe when it holds some, else not.
import { fullRange, type IpFamily, type IpRange, parseCidr, subtract } from './ip-range.ts';

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

/**
 * `all` when `ranges` hold every address a node of some family may have (a cluster's nodes have addresses of at
 * least one family; `0.0.0.0/0` holds every IPv4 one), `some` when they hold part of them, `none` otherwise.
 */
export function nodeAddressMatch(ranges: readonly IpRange[]): NodeAddressMatch {
  let some = false;
  for (const family of [4, 6] as const) {
    const own = ranges.filter((range) => range.family === family);
    if (own.length === 0) continue;
    const left = NODE_SPACE[family].flatMap((piece) => subtract(piece, own));
    if (left.length === 0) return 'all';
    const total = NODE_SPACE[family].reduce((sum, piece) => sum + piece.end - piece.start + 1n, 0n);
    const uncovered = left.reduce((sum, piece) => sum + piece.end - piece.start + 1n, 0n);
    if (uncovered < total) some = true;
  }
  return some ? 'some' : 'none';
}
