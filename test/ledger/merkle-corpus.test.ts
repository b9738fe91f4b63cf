// The RFC 6962 / RFC 9162 vectors of ../shared/corpus/merkle (transparency-dev/merkle): all 518 proof probes
// must get the expected accept/reject answer, and the known leaf, node and root hashes must be reproduced.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, test } from 'node:test';
import { EMPTY_ROOT, hashChildren, hashLeaf } from '../../src/ledger/merkle-hash.ts';
import { MerkleTree } from '../../src/ledger/merkle-tree.ts';
import {
  type ProofResult,
  verifyConsistency,
  verifyInclusion,
  verifySubtreeConsistency,
  verifySubtreeInclusion,
} from '../../src/ledger/proof-verify.ts';
import { sharedPath, skipWithoutShared } from '../shared-corpus.ts';

const skip = skipWithoutShared('corpus', 'merkle');
const root = sharedPath('corpus', 'merkle');

type Probe = Record<string, unknown> & { desc: string; wantErr: boolean };

/** JSON numbers beyond 2^53 (one probe has 2^63 + 2) are kept exact as bigint. */
function parseProbe(text: string): Probe {
  const reviver = (_key: string, value: unknown, context?: { source?: string }) =>
    typeof value === 'number' && !Number.isSafeInteger(value) && context?.source !== undefined
      ? BigInt(context.source)
      : value;
  return JSON.parse(text, reviver as (key: string, value: unknown) => unknown) as Probe;
}

function listJson(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((name) => name.endsWith('.json'))
    .map((name) => join(dir, name))
    .sort();
}

const bytes = (value: unknown): Buffer => Buffer.from(typeof value === 'string' ? value : '', 'base64');
const hashes = (value: unknown): Buffer[] => (Array.isArray(value) ? value.map(bytes) : []);
const size = (value: unknown): number | bigint => {
  if (typeof value === 'number' || typeof value === 'bigint') return value;
  throw new Error(`not a size: ${String(value)}`);
};

const VERIFIERS: Record<string, (probe: Probe) => ProofResult> = {
  inclusion: (p) =>
    verifyInclusion(size(p.leafIdx), size(p.treeSize), bytes(p.leafHash), hashes(p.proof), bytes(p.root)),
  consistency: (p) =>
    verifyConsistency(size(p.size1), size(p.size2), hashes(p.proof), bytes(p.root1), bytes(p.root2)),
  subtreeinclusion: (p) =>
    verifySubtreeInclusion(
      size(p.leafIdx),
      size(p.start),
      size(p.end),
      bytes(p.leafHash),
      hashes(p.proof),
      bytes(p.root),
    ),
  subtreeconsistency: (p) =>
    verifySubtreeConsistency(
      size(p.start),
      size(p.end),
      size(p.size),
      hashes(p.proof),
      bytes(p.root1),
      bytes(p.root2),
    ),
};

describe('transparency-dev/merkle proof probes', { skip }, () => {
  test('every probe gets the expected answer (518 in all)', () => {
    let total = 0;
    const wrong: string[] = [];
    const counts: Record<string, { accept: number; reject: number }> = {};
    for (const [kind, verify] of Object.entries(VERIFIERS)) {
      counts[kind] = { accept: 0, reject: 0 };
      for (const file of listJson(join(root, 'testdata', kind))) {
        const probe = parseProbe(readFileSync(file, 'utf8'));
        const result = verify(probe);
        total += 1;
        counts[kind]![probe.wantErr ? 'reject' : 'accept'] += 1;
        if (result.ok === probe.wantErr)
          wrong.push(`${relative(root, file)} (${probe.desc}): ${result.ok ? 'accepted' : result.reason}`);
      }
    }
    assert.deepEqual(wrong, []);
    assert.equal(total, 518);
    // The README's accept/reject split per directory.
    assert.deepEqual(counts, {
      inclusion: { accept: 6, reject: 92 },
      consistency: { accept: 6, reject: 92 },
      subtreeinclusion: { accept: 12, reject: 192 },
      subtreeconsistency: { accept: 12, reject: 106 },
    });
  });

  test('our own proofs for the happy-path trees equal the probes', () => {
    const vectors = readVectors();
    const tree = new MerkleTree();
    for (const input of vectors.leafInputs) tree.appendData(Buffer.from(input, 'hex'));
    for (const file of listJson(join(root, 'testdata'))) {
      if (!file.endsWith('happy-path.json')) continue;
      const p = parseProbe(readFileSync(file, 'utf8'));
      const expected = hashes(p.proof).map((h) => h.toString('base64'));
      const ours = (proof: Buffer[]) => proof.map((h) => h.toString('base64'));
      if (file.includes('/subtreeconsistency/'))
        assert.deepEqual(
          ours(tree.subtreeConsistencyProof(Number(p.start), Number(p.end), Number(p.size))),
          expected,
          file,
        );
      else if (file.includes('/consistency/'))
        assert.deepEqual(ours(tree.consistencyProof(Number(p.size1), Number(p.size2))), expected, file);
      else if (file.includes('/inclusion/'))
        assert.deepEqual(ours(tree.inclusionProof(Number(p.leafIdx), Number(p.treeSize))), expected, file);
    }
  });
});

interface Vectors {
  leafInputs: string[];
  leafHashes: string[];
  nodeHashes: { levels: string[][] };
  rootHashes: { bySize: string[] };
  compactRanges: { bySize: [number, number][][] };
  hasherVectors: { op: string; input?: string; left?: string; right?: string; want: string }[];
}

function readVectors(): Vectors {
  return JSON.parse(readFileSync(join(root, 'rfc6962-vectors.json'), 'utf8')) as Vectors;
}

describe('rfc6962-vectors.json', { skip }, () => {
  test('hasher vectors', () => {
    for (const vector of readVectors().hasherVectors) {
      const got =
        vector.op === 'emptyRoot'
          ? EMPTY_ROOT
          : vector.op === 'hashLeaf'
            ? hashLeaf(Buffer.from(vector.input ?? '', 'hex'))
            : hashChildren(Buffer.from(vector.left ?? '', 'hex'), Buffer.from(vector.right ?? '', 'hex'));
      assert.equal(got.toString('hex'), vector.want, vector.op);
    }
  });

  test('leaf hashes, every root of sizes 0..8, and the node hashes of the size-8 tree', () => {
    const vectors = readVectors();
    const tree = new MerkleTree();
    assert.equal(tree.root().toString('hex'), vectors.rootHashes.bySize[0]);
    vectors.leafInputs.forEach((input, index) => {
      assert.equal(tree.appendData(Buffer.from(input, 'hex')).toString('hex'), vectors.leafHashes[index]);
      assert.equal(tree.root().toString('hex'), vectors.rootHashes.bySize[index + 1], `size ${index + 1}`);
    });
    // Earlier tree heads are still available after growth.
    for (const [n, want] of vectors.rootHashes.bySize.entries())
      assert.equal(tree.root(n).toString('hex'), want);
    // Folding the compact range of n (its complete subtrees, left to right) gives the root of size n.
    const levels = vectors.nodeHashes.levels;
    vectors.compactRanges.bySize.forEach((range, n) => {
      if (range.length === 0) return;
      const parts = range.map(([level, index]) => Buffer.from(levels[level]![index]!, 'hex'));
      let hash: Buffer = parts.pop()!;
      while (parts.length > 0) hash = hashChildren(parts.pop()!, hash);
      assert.equal(hash.toString('hex'), vectors.rootHashes.bySize[n], `compact range of ${n}`);
    });
    // Every complete subtree: the root of a tree made of just its leaves.
    for (const [height, level] of levels.entries())
      for (const [index, hex] of level.entries()) {
        const subtree = new MerkleTree();
        for (let leaf = index * 2 ** height; leaf < (index + 1) * 2 ** height; leaf += 1)
          subtree.appendLeafHash(tree.leafHash(leaf));
        assert.equal(subtree.root().toString('hex'), hex, `node ${height}/${index}`);
      }
  });
});
