import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fromPointer, toPointer } from './json-patch.ts';

describe('RFC 6901 pointers', () => {
  it('escapes ~ as ~0 and / as ~1, and reads them back', () => {
    assert.equal(
      toPointer(['spec', 'containers', 0, 'securityContext']),
      '/spec/containers/0/securityContext',
    );
    assert.equal(toPointer(['a/b', 'm~n', '~1', '']), '/a~1b/m~0n/~01/');
    assert.deepEqual(fromPointer('/a~1b/m~0n/~01/'), ['a/b', 'm~n', '~1', '']);
    // RFC 6901 section 4: ~01 is ~1 (the ~0 first would give /).
    assert.deepEqual(fromPointer('/~01'), ['~1']);
    assert.deepEqual(fromPointer(''), []);
    assert.deepEqual(fromPointer('/'), ['']);
    assert.throws(() => fromPointer('spec'), /invalid JSON pointer/);
  });

  it('round-trips names with and without escapes', () => {
    const names = ['plain', 'x/y', '~', '~0', '~1', '/~/', 'kubernetes.io/metadata.name', '', '0'];
    for (const a of names) for (const b of names) assert.deepEqual(fromPointer(toPointer([a, b])), [a, b]);
  });
});
