// RFC 6962 / RFC 9162 §2.1.1 hashing with SHA-256: domain-separated leaves (0x00) and interior nodes (0x01),
// so that a leaf can never be passed off as a node (second-preimage defence).
import { createHash } from 'node:crypto';

export const HASH_SIZE = 32;

export const LEAF_PREFIX = Buffer.from([0x00]);
const NODE_PREFIX = Buffer.from([0x01]);

/** MTH({}) = SHA-256 of the empty string. */
export const EMPTY_ROOT: Buffer = createHash('sha256').digest();

export function hashLeaf(data: Uint8Array): Buffer {
  return createHash('sha256').update(LEAF_PREFIX).update(data).digest();
}

export function hashChildren(left: Uint8Array, right: Uint8Array): Buffer {
  return createHash('sha256').update(NODE_PREFIX).update(left).update(right).digest();
}
