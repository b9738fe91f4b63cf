// Sets of connections (protocol and port ranges) that NetworkPolicy rules admit, with the set algebra the
// reachability engine needs: a rule grants a set, policies of one direction unite, the two directions intersect.

export type Protocol = 'TCP' | 'UDP' | 'SCTP';
export const PROTOCOLS: readonly Protocol[] = ['TCP', 'UDP', 'SCTP'];
export const MIN_PORT = 1;
export const MAX_PORT = 65535;

/** Inclusive port interval. */
export type PortRange = readonly [number, number];

/** Sorted, disjoint, non-adjacent port ranges per protocol; an empty list means no port of that protocol. */
export type ConnectionSet = Readonly<Record<Protocol, readonly PortRange[]>>;

export function isProtocol(value: unknown): value is Protocol {
  return value === 'TCP' || value === 'UDP' || value === 'SCTP';
}

export const NO_CONNECTIONS: ConnectionSet = Object.freeze({ TCP: [], UDP: [], SCTP: [] });
export const ALL_CONNECTIONS: ConnectionSet = Object.freeze({
  TCP: [[MIN_PORT, MAX_PORT]],
  UDP: [[MIN_PORT, MAX_PORT]],
  SCTP: [[MIN_PORT, MAX_PORT]],
});

/** Ports `from`..`to` of one protocol (clamped to 1..65535; empty when the range is empty). */
export function portsOf(protocol: Protocol, from = MIN_PORT, to = from): ConnectionSet {
  const lo = Math.max(MIN_PORT, from);
  const hi = Math.min(MAX_PORT, to);
  if (lo > hi) return NO_CONNECTIONS;
  return { ...NO_CONNECTIONS, [protocol]: [[lo, hi]] };
}

function normalize(ranges: PortRange[]): PortRange[] {
  ranges.sort((a, b) => a[0] - b[0]);
  const out: [number, number][] = [];
  for (const [lo, hi] of ranges) {
    const last = out[out.length - 1];
    if (last && lo <= last[1] + 1) last[1] = Math.max(last[1], hi);
    else out.push([lo, hi]);
  }
  return out;
}

export function union(...sets: readonly ConnectionSet[]): ConnectionSet {
  if (sets.length === 1 && sets[0]) return sets[0];
  const out = { TCP: [] as PortRange[], UDP: [] as PortRange[], SCTP: [] as PortRange[] };
  for (const set of sets) for (const protocol of PROTOCOLS) out[protocol].push(...set[protocol]);
  for (const protocol of PROTOCOLS) out[protocol] = normalize(out[protocol]);
  return out;
}

function intersectRanges(a: readonly PortRange[], b: readonly PortRange[]): PortRange[] {
  const out: PortRange[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const x = a[i] as PortRange;
    const y = b[j] as PortRange;
    const lo = Math.max(x[0], y[0]);
    const hi = Math.min(x[1], y[1]);
    if (lo <= hi) out.push([lo, hi]);
    if (x[1] < y[1]) i++;
    else j++;
  }
  return out;
}

export function intersect(a: ConnectionSet, b: ConnectionSet): ConnectionSet {
  return {
    TCP: intersectRanges(a.TCP, b.TCP),
    UDP: intersectRanges(a.UDP, b.UDP),
    SCTP: intersectRanges(a.SCTP, b.SCTP),
  };
}

export function isEmpty(set: ConnectionSet): boolean {
  return PROTOCOLS.every((protocol) => set[protocol].length === 0);
}

export function isAll(set: ConnectionSet): boolean {
  return PROTOCOLS.every((protocol) => {
    const ranges = set[protocol];
    return ranges.length === 1 && ranges[0]?.[0] === MIN_PORT && ranges[0]?.[1] === MAX_PORT;
  });
}

export function contains(set: ConnectionSet, protocol: Protocol, port: number): boolean {
  return set[protocol].some(([lo, hi]) => port >= lo && port <= hi);
}

export function equals(a: ConnectionSet, b: ConnectionSet): boolean {
  return PROTOCOLS.every((protocol) => {
    const x = a[protocol];
    const y = b[protocol];
    return (
      x.length === y.length &&
      x.every((range, index) => range[0] === y[index]?.[0] && range[1] === y[index]?.[1])
    );
  });
}

/** `all`, `none`, or `TCP 80,8000-8080; UDP 53` (a protocol with every port is written `TCP (all ports)`). */
export function formatConnections(set: ConnectionSet): string {
  if (isAll(set)) return 'all';
  if (isEmpty(set)) return 'none';
  const parts: string[] = [];
  for (const protocol of PROTOCOLS) {
    const ranges = set[protocol];
    if (ranges.length === 0) continue;
    const first = ranges[0] as PortRange;
    if (ranges.length === 1 && first[0] === MIN_PORT && first[1] === MAX_PORT) {
      parts.push(`${protocol} (all ports)`);
      continue;
    }
    parts.push(`${protocol} ${ranges.map(([lo, hi]) => (lo === hi ? `${lo}` : `${lo}-${hi}`)).join(',')}`);
  }
  return parts.join('; ');
}

/** JSON form: `{ "TCP": ["80", "8000-8080"] }`, protocols without ports left out. */
export function connectionsToJson(set: ConnectionSet): Partial<Record<Protocol, string[]>> {
  const out: Partial<Record<Protocol, string[]>> = {};
  for (const protocol of PROTOCOLS) {
    const ranges = set[protocol];
    if (ranges.length > 0) out[protocol] = ranges.map(([lo, hi]) => (lo === hi ? `${lo}` : `${lo}-${hi}`));
  }
  return out;
}
