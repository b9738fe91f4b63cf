// A merge key (`<<`) after an explicit key overrides it for kubectl (go-yaml v2 merges in document order): the
// location must point where the value used comes from, so that location and value always agree.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { FieldPath } from '../../src/core/kube-object.ts';
import { loadManifestText } from '../../src/inputs/manifest-loader.ts';

const HEAD = 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: a\n';

function load(spec: string): { hostPID: unknown; at: (path: FieldPath) => string } {
  const [entry] = loadManifestText(`${HEAD}${spec}`, 'm.yaml').entries;
  return {
    hostPID: (entry?.object as { spec?: { hostPID?: unknown } } | undefined)?.spec?.hostPID,
    at: (path) => {
      if (entry?.source.type !== 'file') return '';
      const { line, column } = entry.source.locate(path);
      return `${line}:${column}`;
    },
  };
}

describe('merge keys: location follows the value used', () => {
  it('points into the merge source when a later merge overrides the explicit key', () => {
    const { hostPID, at } = load('spec:\n  hostPID: false\n  <<: {hostPID: true}\n');
    assert.equal(hostPID, true);
    assert.equal(at(['spec', 'hostPID']), '7:8');
  });

  it('points into an anchored block mapping merged later', () => {
    const { hostPID, at } = load('x: &base\n  hostPID: true\nspec:\n  hostPID: false\n  <<: *base\n');
    assert.equal(hostPID, true);
    assert.equal(at(['spec', 'hostPID']), '6:3');
  });

  it('keeps the earlier mapping of a merge sequence', () => {
    const { hostPID, at } = load(
      'a: &a {hostPID: true}\nb: &b {hostPID: false}\nspec:\n  hostPID: false\n  <<: [*a, *b]\n',
    );
    assert.equal(hostPID, true);
    assert.equal(at(['spec', 'hostPID']), '5:8');
  });

  it('points at an explicit key after the merge, or one the merge does not set', () => {
    const after = load('spec:\n  <<: {hostPID: true}\n  hostPID: false\n');
    assert.equal(after.hostPID, false);
    assert.equal(after.at(['spec', 'hostPID']), '7:3');
    const other = load('spec:\n  hostPID: false\n  <<: {hostIPC: true}\n');
    assert.equal(other.hostPID, false);
    assert.equal(other.at(['spec', 'hostPID']), '6:3');
  });

  it('does the same in a flow mapping', () => {
    const { hostPID, at } = load('spec: {hostPID: false, <<: {hostPID: true}}\n');
    assert.equal(hostPID, true);
    assert.equal(at(['spec', 'hostPID']), '5:29');
  });
});
