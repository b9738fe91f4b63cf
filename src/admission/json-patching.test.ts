import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { seededRandom } from '../../test/seeded-random.ts';
import type { JsonPatchOperation } from '../core/json-patch.ts';
import { applyPatch } from '../core/json-patch.ts';
import { applyPatchSharing } from './copy-on-write-patch.ts';
import { diffJson, firstOverride, mayOverride } from './json-diff.ts';

const PAIRS: [string, unknown, unknown][] = [
  ['added field', { a: 1 }, { a: 1, b: { c: [1] } }],
  ['removed field', { a: 1, b: 2 }, { a: 1 }],
  ['replaced scalar', { a: { b: true } }, { a: { b: false } }],
  ['appended items', { list: ['NET_RAW'] }, { list: ['NET_RAW', 'ALL'] }],
  ['removed trailing items', { list: [1, 2, 3] }, { list: [1] }],
  ['reordered items', { list: [1, 2] }, { list: [2, 1] }],
  ['nested in a list', { c: [{ name: 'a' }, { name: 'b' }] }, { c: [{ name: 'a', x: 1 }, { name: 'b' }] }],
  ['type change', { a: [1] }, { a: { b: 1 } }],
  ['key needing escapes', { 'a/b~c': 1 }, { 'a/b~c': 2 }],
  ['identical', { a: [1, { b: 2 }] }, { a: [1, { b: 2 }] }],
];

describe('diffJson with applyPatchSharing', () => {
  for (const [name, from, to] of PAIRS)
    it(`turns one document into the other: ${name}`, () => {
      const patch = diffJson(from, to);
      const before = structuredClone(from);
      assert.deepEqual(applyPatchSharing(from, patch), to);
      // The reference implementation agrees, and the input is never changed.
      assert.deepEqual(applyPatch(from, patch), to);
      assert.deepEqual(from, before);
    });

  it('is minimal for a single added field and empty for equal documents', () => {
    assert.deepEqual(diffJson({ a: { b: 1 } }, { a: { b: 1, c: 2 } }), [
      { op: 'add', path: '/a/c', value: 2 },
    ]);
    assert.deepEqual(diffJson({ a: [1] }, { a: [1] }), []);
  });

  it('shares untouched subtrees and rejects paths that do not exist', () => {
    const document = { spec: { big: { x: 1 } }, other: { y: 2 } };
    const result = applyPatchSharing(document, [{ op: 'add', path: '/spec/new', value: 1 }]);
    assert.equal(result.other, document.other);
    assert.equal(result.spec.big, document.spec.big);
    assert.throws(
      () => applyPatchSharing(document, [{ op: 'replace', path: '/missing/x', value: 1 }]),
      /does not exist/,
    );
    assert.throws(
      () => applyPatchSharing({ a: [1] }, [{ op: 'add', path: '/a/5', value: 1 }]),
      /out of range/,
    );
  });

  it('keeps a __proto__ key an own field, on the way and at the end, and never sets the prototype', () => {
    const document = JSON.parse('{"__proto__": {"a": 1}, "b": {}}') as Record<string, unknown>;
    const deeper = applyPatchSharing(document, [{ op: 'replace', path: '/__proto__/a', value: 2 }]);
    assert.equal(Object.getPrototypeOf(deeper), Object.prototype);
    assert.deepEqual(Object.getOwnPropertyDescriptor(deeper, '__proto__')?.value, { a: 2 });
    const added = applyPatchSharing({ b: {} }, [
      { op: 'add', path: '/b/__proto__', value: { polluted: true } },
    ]);
    const b = added.b as Record<string, unknown>;
    assert.equal(Object.getPrototypeOf(b), Object.prototype);
    assert.equal(Object.hasOwn(b, '__proto__'), true);
    assert.equal((b as { polluted?: boolean }).polluted, undefined);
  });

  it('mayOverride is false only where the walk finds no override (random documents and additions)', () => {
    const random = seededRandom(7);
    const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
    const keys = ['a', 'b', 'c', 'securityContext', 'drop'];
    const build = (depth: number): unknown => {
      const roll = random();
      if (depth > 3 || roll < 0.25) return pick([1, 'x', null, true]);
      if (roll < 0.4) return Array.from({ length: Math.floor(random() * 3) }, () => build(depth + 1));
      const object: Record<string, unknown> = {};
      for (const key of keys) if (random() < 0.4) object[key] = build(depth + 1);
      return object;
    };
    let skipped = 0;
    for (let round = 0; round < 3000; round++) {
      const from = { spec: build(0) };
      const operations: JsonPatchOperation[] = [];
      for (let count = 1 + Math.floor(random() * 3); count > 0; count--) {
        const path = ['spec'];
        for (let depth = Math.floor(random() * 3); depth >= 0; depth--) path.push(pick([...keys, '0', '-']));
        operations.push({ op: 'add', path: `/${path.join('/')}`, value: build(2) });
      }
      let to: unknown;
      try {
        to = applyPatchSharing(from, operations);
      } catch {
        continue;
      }
      if (mayOverride(from, operations)) continue;
      skipped++;
      assert.equal(firstOverride(from, to), undefined, JSON.stringify({ from, operations }));
    }
    assert.ok(skipped > 100, `only ${skipped} cases exercised the shortcut`);
  });
});
