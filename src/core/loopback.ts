// Whether a host name or address (IPv6 with or without brackets) stays on this machine.
import { isIPv6 } from 'node:net';

export function isLoopback(host: string): boolean {
  const bare = host.replace(/^\[|\]$/g, '');
  if (bare === 'localhost' || /^127\.\d+\.\d+\.\d+$/.test(bare)) return true;
  if (!isIPv6(bare) || bare.includes('%')) return false;
  // The URL parser writes IPv6 in its shortest form: 0:0:0:0:0:0:0:1 is ::1, ::ffff:127.0.0.1 is ::ffff:7f00:1 (an
  // IPv4-mapped loopback address, which Go's IsLoopback accepts too).
  const canonical = new URL(`http://[${bare}]/`).hostname.slice(1, -1);
  return canonical === '::1' || /^::ffff:7f[0-9a-f]{2}:[0-9a-f]{1,4}$/.test(canonical);
}
