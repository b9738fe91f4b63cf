// An append-only Merkle tree (RFC 9162 §2.1.1) that keeps every complete subtree hash, so that any tree
// head, inclusion proof (§2.1.3.1) or consistency proof (§2.1.4.1) of an earlier size costs O(log² n).
import { HashList } from './hash-list.ts';
import { EMPTY_ROOT, hashChildren, hashLeaf } from './merkle-hash.ts';

/** The largest power of two strictly smaller than n (n >= 2), as RFC 9162 §2.1.1 splits trees. */
export function largestPowerOfTwoBelow(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

export class MerkleTree {
  /** levels[h][i] = hash of the complete subtree of 2^h leaves starting at leaf i·2^h. */
  readonly #levels: HashList[] = [new HashList()];

  get size(): number {
    return this.#levels[0]!.length;
  }

  appendData(data: Uint8Array): Buffer {
    const leaf = hashLeaf(data);
    this.appendLeafHash(leaf);
    return leaf;
  }

  appendLeafHash(leafHash: Uint8Array): void {
    this.#levels[0]!.push(leafHash);
    // Complete every subtree this leaf closes (one per trailing one-bit of the new size).
    let level = 0;
    let count = this.#levels[0]!.length;
    while (count % 2 === 0) {
      const below = this.#levels[level]!;
      const node = hashChildren(below.at(count - 2), below.at(count - 1));
      level += 1;
      if (this.#levels[level] === undefined) this.#levels[level] = new HashList(16);
      this.#levels[level]!.push(node);
      count = this.#levels[level]!.length;
    }
  }

  leafHash(index: number): Buffer {
    this.#checkRange(index, index + 1);
    return this.#levels[0]!.at(index);
  }

  /** The leaf hashes as one flat buffer (32 bytes each). */
  leafHashBytes(): Buffer {
    return this.#levels[0]!.bytes();
  }

  /** MTH(D[0:size]): the tree head of an earlier (or the current) size. */
  root(size = this.size): Buffer {
    this.#checkRange(0, size);
    return size === 0 ? Buffer.from(EMPTY_ROOT) : this.#rangeHash(0, size);
  }

  /** PATH(m, D[n]) of RFC 9162 §2.1.3.1, ordered from the leaf upward. */
  inclusionProof(index: number, size = this.size): Buffer[] {
    this.#checkRange(0, size);
    if (!Number.isInteger(index) || index < 0 || index >= size)
      throw new RangeError(`leaf index ${index} is not below tree size ${size}`);
    const proof: Buffer[] = [];
    let start = 0;
    let end = size;
    while (end - start > 1) {
      const k = largestPowerOfTwoBelow(end - start);
      if (index < start + k) {
        proof.push(this.#rangeHash(start + k, end));
        end = start + k;
      } else {
        proof.push(this.#rangeHash(start, start + k));
        start += k;
      }
    }
    return proof.reverse();
  }

  /** PROOF(m, D[n]) of RFC 9162 §2.1.4.1 for 0 < size1 <= size2; empty when the sizes are equal. */
  consistencyProof(size1: number, size2 = this.size): Buffer[] {
    if (!Number.isInteger(size1) || size1 <= 0) throw new RangeError(`size1 must be positive, got ${size1}`);
    return this.subtreeConsistencyProof(0, size1, size2);
  }

  /**
   * Consistency of the subtree [start, end) with the tree of `size` (the Merkle Tree Certificates
   * generalisation of SUBPROOF; start = 0 gives the RFC 9162 proof). Requires a valid subtree.
   */
  subtreeConsistencyProof(start: number, end: number, size = this.size): Buffer[] {
    this.#checkRange(0, size);
    if (!isValidSubtree(start, end) || end > size)
      throw new RangeError(`[${start}, ${end}) is not a subtree of a tree of size ${size}`);
    const proof: Buffer[] = [];
    let lo = 0;
    let hi = size;
    let known = true;
    // Walk down as SUBPROOF recurses; each level contributes the hash of the side it does not descend into.
    while (!(start === lo && end === hi)) {
      const k = largestPowerOfTwoBelow(hi - lo);
      if (end <= lo + k) {
        proof.push(this.#rangeHash(lo + k, hi));
        hi = lo + k;
      } else if (start >= lo + k) {
        proof.push(this.#rangeHash(lo, lo + k));
        lo += k;
      } else {
        // The subtree straddles the split, which alignment allows only when it starts at lo.
        proof.push(this.#rangeHash(lo, lo + k));
        lo += k;
        start = lo;
        known = false;
      }
    }
    if (!known) proof.push(this.#rangeHash(lo, hi));
    return proof.reverse();
  }

  /** MTH of leaves [start, end) when that range is a subtree of the tree's recursive structure. */
  #rangeHash(start: number, end: number): Buffer {
    // Split into complete subtrees, largest first, then fold from the right as MTH's recursion does.
    const parts: Buffer[] = [];
    let position = start;
    while (position < end) {
      let level = 0;
      while (position % 2 ** (level + 1) === 0 && position + 2 ** (level + 1) <= end) level += 1;
      parts.push(this.#levels[level]!.at(position / 2 ** level));
      position += 2 ** level;
    }
    let hash = parts.pop()!;
    while (parts.length > 0) hash = hashChildren(parts.pop()!, hash);
    return hash;
  }

  #checkRange(start: number, end: number): void {
    if (!Number.isInteger(start) || !Number.isInteger(end) || start < 0 || end > this.size || start > end)
      throw new RangeError(`range [${start}, ${end}) is outside the tree of size ${this.size}`);
  }
}

/** A subtree [start, end): non-empty, and start is a multiple of the smallest power of two >= end - start. */
export function isValidSubtree(start: number, end: number): boolean {
  if (!Number.isSafeInteger(start) || !Number.isSafeInteger(end) || start < 0 || end <= start) return false;
  let width = 1;
  while (width < end - start) width *= 2;
  return start % width === 0;
}
