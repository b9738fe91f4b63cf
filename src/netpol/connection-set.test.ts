import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  ALL_CONNECTIONS,
  contains,
  formatConnections,
  intersect,
  isAll,
  isEmpty,
  NO_CONNECTIONS,
  portsOf,
  union,
} from './connection-set.ts';

describe('connection sets', () => {
  it('unites adjacent and overlapping ranges per protocol', () => {
    const set = union(
      portsOf('TCP', 80),
      portsOf('TCP', 81, 90),
      portsOf('TCP', 85, 100),
      portsOf('UDP', 53),
    );
    assert.equal(formatConnections(set), 'TCP 80-100; UDP 53');
    assert.ok(contains(set, 'TCP', 99));
    assert.ok(!contains(set, 'UDP', 80));
  });

  it('intersects', () => {
    const a = union(portsOf('TCP', 1, 100), portsOf('TCP', 200, 300));
    const b = union(portsOf('TCP', 50, 250), portsOf('SCTP', 1));
    assert.equal(formatConnections(intersect(a, b)), 'TCP 50-100,200-250');
    assert.ok(isEmpty(intersect(portsOf('UDP', 53), portsOf('TCP', 53))));
  });

  it('knows all and none, and clamps ports', () => {
    assert.ok(isAll(union(portsOf('TCP', 1, 65535), portsOf('UDP', 0, 70000), portsOf('SCTP', 1, 65535))));
    assert.equal(formatConnections(ALL_CONNECTIONS), 'all');
    assert.equal(formatConnections(NO_CONNECTIONS), 'none');
    assert.equal(formatConnections(portsOf('TCP', 1, 65535)), 'TCP (all ports)');
    assert.ok(isEmpty(portsOf('TCP', 10, 5)));
  });
});
