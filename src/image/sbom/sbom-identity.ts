// Stable identifiers for SBOM documents: derived from the content and the injected clock, so the same scan
// gives byte-identical output (golden tests, reproducible builds).
import { createHash } from 'node:crypto';

/** An RFC 4122 version-4-shaped UUID derived from a hash of `seed`. */
export function uuidFrom(seed: string): string {
  const hex = createHash('sha256').update(seed).digest('hex');
  const variant = ((Number.parseInt(hex[16]!, 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

export function shortHash(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 16);
}
