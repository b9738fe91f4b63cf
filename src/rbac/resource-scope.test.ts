// The two tables of built-in resources agree: a cluster-scoped resource written without its group is asked in it.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CLUSTER_SCOPED, knownApiGroup } from './resource-scope.ts';

describe('built-in resources', () => {
  it('every cluster-scoped built-in resource resolves to its own group', () => {
    // `nodes` is the core group's; metrics.k8s.io's nodes must be written with their group.
    const ambiguous = new Set(['metrics.k8s.io/nodes']);
    const wrong = [...CLUSTER_SCOPED].filter((key) => {
      if (ambiguous.has(key)) return false;
      const slash = key.lastIndexOf('/');
      return knownApiGroup(key.slice(slash + 1)) !== key.slice(0, slash);
    });
    assert.deepEqual(wrong, []);
  });
});
