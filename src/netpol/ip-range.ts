// IPv4 and IPv6 addresses and CIDRs as integer intervals, so that `ipBlock` (a CIDR minus its `except` CIDRs) can be
// matched, intersected and split exactly.
import { isIPv4, isIPv6 } from 'node:net';

export type IpFamily = 4 | 6;

/** Inclusive interval of addresses of one family. */
export interface IpRange {
  family: IpFamily;
  start: bigint;
  end: bigint;
}

const BITS: Record<IpFamily, number> = { 4: 32, 6: 128 };

export function fullRange(family: IpFamily): IpRange {
  return { family, start: 0n, end: (1n << BigInt(BITS[family])) - 1n };
}

function parseIpv4(text: string): bigint {
  return text.split('.').reduce((value, part) => (value << 8n) | BigInt(Number(part)), 0n);
}

function parseIpv6(text: string): bigint {
  let head = text;
  let tailV4: bigint | undefined;
  // An embedded dotted quad (`::ffff:192.0.2.1`) is the last 32 bits.
  const lastColon = text.lastIndexOf(':');
  if (text.slice(lastColon + 1).includes('.')) {
    tailV4 = parseIpv4(text.slice(lastColon + 1));
    head = `${text.slice(0, lastColon + 1)}0:0`;
  }
  const [left = '', right] = head.split('::');
  const leftGroups = left === '' ? [] : left.split(':');
  const rightGroups = right === undefined || right === '' ? [] : right.split(':');
  const missing = 8 - leftGroups.length - rightGroups.length;
  const groups =
    right === undefined ? leftGroups : [...leftGroups, ...Array(missing).fill('0'), ...rightGroups];
  let value = groups.reduce((acc, group) => (acc << 16n) | BigInt(Number.parseInt(group, 16)), 0n);
  if (tailV4 !== undefined) value = (value & ~0xffffffffn) | tailV4;
  return value;
}

/** An address; undefined when it is not a valid IPv4 or IPv6 address. */
export function parseAddress(text: string): { family: IpFamily; value: bigint } | undefined {
  const trimmed = text.trim();
  if (isIPv4(trimmed)) return { family: 4, value: parseIpv4(trimmed) };
  // Zone ids (`fe80::1%eth0`) name an interface, not an address NetworkPolicy could match.
  if (isIPv6(trimmed) && !trimmed.includes('%')) return { family: 6, value: parseIpv6(trimmed) };
  return undefined;
}

export interface ParsedCidr {
  range: IpRange;
  /** True when the text had host bits set (`10.0.0.1/8`): Kubernetes masks them; the canonical form is clearer. */
  hostBitsSet: boolean;
}

/** A CIDR (`10.0.0.0/8`, `2001:db8::/32`); a bare address counts as a single-address CIDR when `allowBare`. */
export function parseCidr(text: string, allowBare = false): ParsedCidr | undefined {
  const slash = text.indexOf('/');
  const addressText = slash === -1 ? text : text.slice(0, slash);
  const address = parseAddress(addressText);
  if (!address) return undefined;
  const bits = BITS[address.family];
  let prefix = bits;
  if (slash !== -1) {
    const prefixText = text.slice(slash + 1).trim();
    if (!/^\d{1,3}$/.test(prefixText)) return undefined;
    prefix = Number(prefixText);
    if (prefix > bits) return undefined;
  } else if (!allowBare) return undefined;
  const hostBits = BigInt(bits - prefix);
  const hostMask = (1n << hostBits) - 1n;
  const start = address.value & ~hostMask;
  return {
    range: { family: address.family, start, end: start | hostMask },
    hostBitsSet: (address.value & hostMask) !== 0n,
  };
}

/** `a` minus each of `holes`: the sorted, disjoint pieces left. */
export function subtract(a: IpRange, holes: readonly IpRange[]): IpRange[] {
  let pieces: IpRange[] = [a];
  for (const hole of holes) {
    if (hole.family !== a.family) continue;
    const next: IpRange[] = [];
    for (const piece of pieces) {
      if (hole.end < piece.start || hole.start > piece.end) {
        next.push(piece);
        continue;
      }
      if (hole.start > piece.start) next.push({ family: a.family, start: piece.start, end: hole.start - 1n });
      if (hole.end < piece.end) next.push({ family: a.family, start: hole.end + 1n, end: piece.end });
    }
    pieces = next;
  }
  return pieces;
}

export function containsAddress(ranges: readonly IpRange[], family: IpFamily, value: bigint): boolean {
  return ranges.some((range) => range.family === family && value >= range.start && value <= range.end);
}

export function overlaps(a: IpRange, b: IpRange): boolean {
  return a.family === b.family && a.start <= b.end && b.start <= a.end;
}

export function isWithin(inner: IpRange, outer: IpRange): boolean {
  return inner.family === outer.family && inner.start >= outer.start && inner.end <= outer.end;
}

function formatIpv4(value: bigint): string {
  return [24n, 16n, 8n, 0n].map((shift) => String((value >> shift) & 0xffn)).join('.');
}

function formatIpv6(value: bigint): string {
  const groups: number[] = [];
  for (let shift = 112n; shift >= 0n; shift -= 16n) groups.push(Number((value >> shift) & 0xffffn));
  // RFC 5952: the longest run (of two or more) of zero groups becomes `::`, the first one on a tie.
  let bestStart = -1;
  let bestLength = 1;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLength) {
      bestStart = i;
      bestLength = j - i;
    }
    i = j;
  }
  const hex = groups.map((group) => group.toString(16));
  if (bestStart === -1) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLength).join(':')}`;
}

export function formatAddress(family: IpFamily, value: bigint): string {
  return family === 4 ? formatIpv4(value) : formatIpv6(value);
}

/** The shortest exact text: a CIDR when the range is one, else `start-end`. */
export function formatRange(range: IpRange): string {
  const size = range.end - range.start + 1n;
  const isPowerOfTwo = (size & (size - 1n)) === 0n;
  if (isPowerOfTwo && (range.start & (size - 1n)) === 0n) {
    const hostBits = size.toString(2).length - 1;
    const prefix = BITS[range.family] - hostBits;
    if (prefix === BITS[range.family]) return formatAddress(range.family, range.start);
    return `${formatAddress(range.family, range.start)}/${prefix}`;
  }
  return `${formatAddress(range.family, range.start)}-${formatAddress(range.family, range.end)}`;
}
