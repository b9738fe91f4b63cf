// Our own vectors: the tree against a direct transcription of MTH (RFC 9162 §2.1.1), and every proof the
// tree makes for small sizes accepted by the verifiers, while every single-bit or shape change is refused.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { test } from 'node:test';
import { EMPTY_ROOT, hashChildren, hashLeaf } from './merkle-hash.ts';
import { isValidSubtree, largestPowerOfTwoBelow, MerkleTree } from './merkle-tree.ts';
import {
  verifyConsistency,
  verifyInclusion,
  verifySubtreeConsistency,
  verifySubtreeInclusion,
} from './proof-verify.ts';

const leafData = (i: number) => Buffer.from(`entry-${i}`);

/** MTH(D[n]) exactly as the RFC defines it, recursively over the data. */
function referenceRoot(data: Buffer[]): Buffer {
  if (data.length === 0) return createHash('sha256').digest();
  if (data.length === 1) return hashLeaf(data[0]!);
  const k = largestPowerOfTwoBelow(data.length);
  return hashChildren(referenceRoot(data.slice(0, k)), referenceRoot(data.slice(k)));
}

function treeOf(n: number): MerkleTree {
  const tree = new MerkleTree();
  for (let i = 0; i < n; i += 1) tree.appendData(leafData(i));
  return tree;
}

function flipped(proof: Buffer[], element: number): Buffer[] {
  return proof.map((hash, i) => {
    if (i !== element) return hash;
    const copy = Buffer.from(hash);
    copy[7]! ^= 0x10;
    return copy;
  });
}

test('hash prefixes: a leaf is SHA-256(0x00 || d), a node SHA-256(0x01 || l || r), the empty tree SHA-256("")', () => {
  const sha = (...parts: Buffer[]) => createHash('sha256').update(Buffer.concat(parts)).digest();
  assert.deepEqual(hashLeaf(Buffer.from('abc')), sha(Buffer.from([0]), Buffer.from('abc')));
  const l = Buffer.alloc(32, 1);
  const r = Buffer.alloc(32, 2);
  assert.deepEqual(hashChildren(l, r), sha(Buffer.from([1]), l, r));
  assert.equal(
    EMPTY_ROOT.toString('hex'),
    'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
  );
});

test('every tree head of sizes 0..70 equals the recursive definition, also read back at earlier sizes', () => {
  const data = Array.from({ length: 70 }, (_, i) => leafData(i));
  const tree = treeOf(70);
  for (let n = 0; n <= 70; n += 1)
    assert.deepEqual(tree.root(n), referenceRoot(data.slice(0, n)), `size ${n}`);
});

test('inclusion proofs for every leaf of sizes 1..33 verify, and any change is refused', () => {
  const tree = treeOf(33);
  for (let n = 1; n <= 33; n += 1)
    for (let i = 0; i < n; i += 1) {
      const proof = tree.inclusionProof(i, n);
      const root = tree.root(n);
      const leaf = tree.leafHash(i);
      assert.equal(verifyInclusion(i, n, leaf, proof, root).ok, true, `${i} in ${n}`);
      for (let e = 0; e < proof.length; e += 1)
        assert.equal(verifyInclusion(i, n, leaf, flipped(proof, e), root).ok, false);
      assert.equal(verifyInclusion(i, n, leaf, [...proof, leaf], root).ok, false, 'longer proof');
      if (proof.length > 0) assert.equal(verifyInclusion(i, n, leaf, proof.slice(1), root).ok, false);
      if (n > 1) assert.equal(verifyInclusion((i + 1) % n, n, leaf, proof, root).ok, false, 'other index');
    }
});

test('consistency proofs for every 1 <= m <= n <= 33 verify, and any change is refused', () => {
  const tree = treeOf(33);
  for (let n = 1; n <= 33; n += 1)
    for (let m = 1; m <= n; m += 1) {
      const proof = tree.consistencyProof(m, n);
      const [r1, r2] = [tree.root(m), tree.root(n)];
      assert.equal(verifyConsistency(m, n, proof, r1, r2).ok, true, `${m} -> ${n}`);
      if (m === n) continue;
      for (let e = 0; e < proof.length; e += 1)
        assert.equal(verifyConsistency(m, n, flipped(proof, e), r1, r2).ok, false);
      assert.equal(verifyConsistency(m, n, proof, r2, r1).ok, false, 'swapped roots');
      assert.equal(verifyConsistency(m, n, [...proof, r1], r1, r2).ok, false, 'trailing element');
      assert.equal(verifyConsistency(m, n, proof.slice(0, -1), r1, r2).ok, false, 'truncated');
      if (m + 1 < n) assert.equal(verifyConsistency(m + 1, n, proof, r1, r2).ok, false, 'other size1');
    }
});

test('subtree proofs for every valid subtree of trees up to 20 leaves verify', () => {
  const tree = treeOf(20);
  let checked = 0;
  for (let n = 1; n <= 20; n += 1)
    for (let start = 0; start < n; start += 1)
      for (let end = start + 1; end <= n; end += 1) {
        if (!isValidSubtree(start, end)) continue;
        const sub = new MerkleTree();
        for (let i = start; i < end; i += 1) sub.appendLeafHash(tree.leafHash(i));
        const proof = tree.subtreeConsistencyProof(start, end, n);
        assert.equal(
          verifySubtreeConsistency(start, end, n, proof, sub.root(), tree.root(n)).ok,
          true,
          `[${start},${end}) in ${n}`,
        );
        assert.equal(
          verifySubtreeConsistency(start, end, n, proof, tree.root(n), sub.root()).ok,
          start === 0 && end === n,
        );
        const inclusion = sub.inclusionProof(end - start - 1);
        assert.equal(
          verifySubtreeInclusion(end - 1, start, end, tree.leafHash(end - 1), inclusion, sub.root()).ok,
          true,
        );
        checked += 1;
      }
  assert.ok(checked > 100);
});

test('sizes beyond 2^53 and malformed inputs are refused with a reason, never thrown', () => {
  const leaf = hashLeaf(Buffer.from('x'));
  assert.match(String(Object(verifyInclusion(2n ** 64n, 2n ** 64n + 1n, leaf, [], leaf)).reason), /outside/);
  assert.equal(verifyInclusion(0, 1, leaf.subarray(0, 31), [], leaf).ok, false);
  assert.equal(verifyInclusion(-1, 1, leaf, [], leaf).ok, false);
  assert.equal(verifyInclusion(0.5, 1, leaf, [], leaf).ok, false);
  assert.equal(verifyConsistency(1, 2, [Buffer.alloc(31)], leaf, leaf).ok, false);
  assert.equal(verifySubtreeInclusion(1, 1, 2n ** 63n + 2n, leaf, [], leaf).ok, false);
  assert.throws(() => treeOf(3).inclusionProof(3, 3), RangeError);
  assert.throws(() => treeOf(3).root(4), RangeError);
});
