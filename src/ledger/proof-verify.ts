// Proof verifiers, following the algorithms of RFC 9162 §2.1.3.2 (inclusion) and §2.1.4.2 (consistency)
// step by step, plus the subtree proofs of the Merkle Tree Certificates drafts. Sizes are 64-bit, as in
// the RFC, so they are handled as bigint; the result says why a proof was refused.
import { HASH_SIZE, hashChildren } from './merkle-hash.ts';
import { isValidSubtree } from './merkle-tree.ts';

export type ProofResult = { ok: true } | { ok: false; reason: string };

type Size = number | bigint;

const MAX_U64 = (1n << 64n) - 1n;
const ok: ProofResult = { ok: true };
const fail = (reason: string): ProofResult => ({ ok: false, reason });

function toU64(value: Size, name: string): bigint | string {
  if (typeof value === 'number' && !Number.isSafeInteger(value)) return `${name} ${value} is not an integer`;
  const big = BigInt(value);
  if (big < 0n || big > MAX_U64) return `${name} ${value} is outside 0..2^64-1`;
  return big;
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && Buffer.compare(a, b) === 0;
}

function badHashLength(hashes: readonly Uint8Array[], what: string): string | undefined {
  const index = hashes.findIndex((hash) => hash.length !== HASH_SIZE);
  return index < 0 ? undefined : `${what}[${index}] is ${hashes[index]!.length} bytes, not ${HASH_SIZE}`;
}

/** RFC 9162 §2.1.3.2: the root an inclusion proof leads to, or why it leads nowhere. */
export function rootFromInclusionProof(
  leafIndex: Size,
  treeSize: Size,
  leafHash: Uint8Array,
  proof: readonly Uint8Array[],
): { ok: true; root: Buffer } | { ok: false; reason: string } {
  const index = toU64(leafIndex, 'leaf index');
  if (typeof index === 'string') return fail(index) as { ok: false; reason: string };
  const size = toU64(treeSize, 'tree size');
  if (typeof size === 'string') return fail(size) as { ok: false; reason: string };
  // Step 1.
  if (index >= size) return { ok: false, reason: `leaf index ${index} is not below tree size ${size}` };
  if (leafHash.length !== HASH_SIZE)
    return { ok: false, reason: `leaf hash is ${leafHash.length} bytes, not ${HASH_SIZE}` };
  const badElement = badHashLength(proof, 'proof');
  if (badElement) return { ok: false, reason: badElement };
  // Steps 2 and 3.
  let fn = index;
  let sn = size - 1n;
  let r: Buffer = Buffer.from(leafHash);
  // Step 4.
  for (const p of proof) {
    if (sn === 0n) return { ok: false, reason: 'proof is longer than the path to the root' };
    if ((fn & 1n) === 1n || fn === sn) {
      r = hashChildren(p, r);
      if ((fn & 1n) === 0n)
        while ((fn & 1n) === 0n && fn !== 0n) {
          fn >>= 1n;
          sn >>= 1n;
        }
    } else {
      r = hashChildren(r, p);
    }
    fn >>= 1n;
    sn >>= 1n;
  }
  // Step 5.
  if (sn !== 0n) return { ok: false, reason: 'proof is shorter than the path to the root' };
  return { ok: true, root: r };
}

export function verifyInclusion(
  leafIndex: Size,
  treeSize: Size,
  leafHash: Uint8Array,
  proof: readonly Uint8Array[],
  root: Uint8Array,
): ProofResult {
  const computed = rootFromInclusionProof(leafIndex, treeSize, leafHash, proof);
  if (!computed.ok) return computed;
  return sameBytes(computed.root, root) ? ok : fail('the proof leads to a different root hash');
}

/**
 * RFC 9162 §2.1.4.2 for 0 < size1 < size2. Equal sizes need an empty proof and equal roots; a proof from
 * the empty tree is refused as meaningless (every tree extends it), as the reference verifiers do.
 */
export function verifyConsistency(
  size1: Size,
  size2: Size,
  proof: readonly Uint8Array[],
  root1: Uint8Array,
  root2: Uint8Array,
): ProofResult {
  const first = toU64(size1, 'size1');
  if (typeof first === 'string') return fail(first);
  const second = toU64(size2, 'size2');
  if (typeof second === 'string') return fail(second);
  if (second < first) return fail(`size2 ${second} is smaller than size1 ${first}`);
  if (first === 0n) return fail('a consistency proof from the empty tree is meaningless');
  if (first === second) {
    if (proof.length > 0) return fail('the sizes are equal but the proof is not empty');
    return sameBytes(root1, root2) ? ok : fail('the sizes are equal but the root hashes differ');
  }
  if (root1.length !== HASH_SIZE || root2.length !== HASH_SIZE)
    return fail(`root hashes must be ${HASH_SIZE} bytes`);
  const badElement = badHashLength(proof, 'proof');
  if (badElement) return fail(badElement);
  // Step 1.
  if (proof.length === 0) return fail('the proof is empty');
  // Step 2.
  const path = (first & (first - 1n)) === 0n ? [root1, ...proof] : [...proof];
  // Step 3.
  let fn = first - 1n;
  let sn = second - 1n;
  // Step 4.
  while ((fn & 1n) === 1n) {
    fn >>= 1n;
    sn >>= 1n;
  }
  // Step 5.
  let fr: Buffer = Buffer.from(path[0]!);
  let sr: Buffer = Buffer.from(path[0]!);
  // Step 6.
  for (const c of path.slice(1)) {
    if (sn === 0n) return fail('proof is longer than the path to the root');
    if ((fn & 1n) === 1n || fn === sn) {
      fr = hashChildren(c, fr);
      sr = hashChildren(c, sr);
      if ((fn & 1n) === 0n)
        while ((fn & 1n) === 0n && fn !== 0n) {
          fn >>= 1n;
          sn >>= 1n;
        }
    } else {
      sr = hashChildren(sr, c);
    }
    fn >>= 1n;
    sn >>= 1n;
  }
  // Step 7.
  if (sn !== 0n) return fail('proof is shorter than the path to the root');
  if (!sameBytes(fr, root1)) return fail('the proof does not lead to the first root hash');
  if (!sameBytes(sr, root2)) return fail('the proof does not lead to the second root hash');
  return ok;
}

function subtreeBounds(start: Size, end: Size): { start: number; end: number } | string {
  const s = toU64(start, 'start');
  if (typeof s === 'string') return s;
  const e = toU64(end, 'end');
  if (typeof e === 'string') return e;
  if (e > BigInt(Number.MAX_SAFE_INTEGER)) return `subtree end ${e} is beyond 2^53`;
  const valid = isValidSubtree(Number(s), Number(e));
  return valid ? { start: Number(s), end: Number(e) } : `[${s}, ${e}) is not a valid subtree`;
}

/** Inclusion of a leaf in the subtree [start, end): the subtree is a Merkle tree of its own leaves. */
export function verifySubtreeInclusion(
  leafIndex: Size,
  start: Size,
  end: Size,
  leafHash: Uint8Array,
  proof: readonly Uint8Array[],
  subtreeRoot: Uint8Array,
): ProofResult {
  const bounds = subtreeBounds(start, end);
  if (typeof bounds === 'string') return fail(bounds);
  const index = toU64(leafIndex, 'leaf index');
  if (typeof index === 'string') return fail(index);
  if (index < BigInt(bounds.start) || index >= BigInt(bounds.end))
    return fail(`leaf index ${index} is outside the subtree [${bounds.start}, ${bounds.end})`);
  return verifyInclusion(
    index - BigInt(bounds.start),
    bounds.end - bounds.start,
    leafHash,
    proof,
    subtreeRoot,
  );
}

/**
 * Consistency of the subtree [start, end) (hash `subtreeRoot`) with the tree of `size` (hash `root`).
 * An empty subtree is consistent with every tree when its hash is the empty-tree hash and the proof is
 * empty. Otherwise the proof is consumed from its end while descending the tree as the proof was built.
 */
export function verifySubtreeConsistency(
  start: Size,
  end: Size,
  size: Size,
  proof: readonly Uint8Array[],
  subtreeRoot: Uint8Array,
  root: Uint8Array,
): ProofResult {
  const s = toU64(start, 'start');
  if (typeof s === 'string') return fail(s);
  const e = toU64(end, 'end');
  if (typeof e === 'string') return fail(e);
  const n = toU64(size, 'size');
  if (typeof n === 'string') return fail(n);
  if (e > n) return fail(`subtree end ${e} is beyond tree size ${n}`);
  if (s === e) {
    if (s > n) return fail(`subtree start ${s} is beyond tree size ${n}`);
    if (proof.length > 0) return fail('the subtree is empty but the proof is not');
    return sameBytes(subtreeRoot, emptyTreeHash())
      ? ok
      : fail('an empty subtree must have the empty-tree hash');
  }
  const bounds = subtreeBounds(s, e);
  if (typeof bounds === 'string') return fail(bounds);
  if (n > BigInt(Number.MAX_SAFE_INTEGER)) return fail(`tree size ${n} is beyond 2^53`);
  const badElement = badHashLength(proof, 'proof');
  if (badElement) return fail(badElement);
  const result = descend(bounds.start, bounds.end, 0, Number(n), true, [...proof], subtreeRoot);
  if (typeof result === 'string') return fail(result);
  if (!sameBytes(result.subtree, subtreeRoot)) return fail('the proof does not lead to the subtree hash');
  if (!sameBytes(result.tree, root)) return fail('the proof does not lead to the tree hash');
  return ok;
}

let emptyHash: Buffer | undefined;
function emptyTreeHash(): Buffer {
  emptyHash ??= Buffer.from('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855', 'hex');
  return emptyHash;
}

/** Rebuilds (subtree hash, tree hash) for [lo, hi), taking this level's sibling from the end of `proof`. */
function descend(
  start: number,
  end: number,
  lo: number,
  hi: number,
  known: boolean,
  proof: Uint8Array[],
  subtreeRoot: Uint8Array,
): { subtree: Buffer; tree: Buffer } | string {
  if (start === lo && end === hi) {
    if (known) {
      if (proof.length > 0) return `the proof has ${proof.length} element(s) too many`;
      return { subtree: Buffer.from(subtreeRoot), tree: Buffer.from(subtreeRoot) };
    }
    if (proof.length !== 1) return proof.length === 0 ? 'the proof is too short' : 'the proof is too long';
    const own = Buffer.from(proof[0]!);
    return { subtree: own, tree: own };
  }
  const sibling = proof.pop();
  if (sibling === undefined) return 'the proof is too short';
  let k = 1;
  while (k * 2 < hi - lo) k *= 2;
  if (end <= lo + k) {
    const below = descend(start, end, lo, lo + k, known, proof, subtreeRoot);
    if (typeof below === 'string') return below;
    return { subtree: below.subtree, tree: hashChildren(below.tree, sibling) };
  }
  if (start >= lo + k) {
    const below = descend(start, end, lo + k, hi, known, proof, subtreeRoot);
    if (typeof below === 'string') return below;
    return { subtree: below.subtree, tree: hashChildren(sibling, below.tree) };
  }
  // The subtree starts at lo and straddles the split: its left part is the sibling itself.
  const below = descend(lo + k, end, lo + k, hi, false, proof, subtreeRoot);
  if (typeof below === 'string') return below;
  return { subtree: hashChildren(sibling, below.subtree), tree: hashChildren(sibling, below.tree) };
}
