import assert from 'node:assert/strict';
import { test } from 'node:test';
import { jsonText, jsonTextIterative } from './json-text.ts';

test('the iterative writer gives JSON.stringify text for JSON values', () => {
  const values: unknown[] = [
    null,
    true,
    0,
    -1.5e300,
    'a "quoted" \\ line\nbreak \u2028 \ud83d\ude00',
    [],
    {},
    [1, [2, [3, {}]], { a: [], b: { c: null } }],
    { z: 1, a: 2, '10': 3, '': 'empty key', 'k"ey': [true, false] },
    { skipped: undefined, kept: 1 },
    [undefined, 2],
  ];
  for (const value of values) {
    assert.equal(jsonTextIterative(value), JSON.stringify(value));
    assert.equal(jsonTextIterative(value, 2), JSON.stringify(value, null, 2));
  }
  assert.equal(jsonTextIterative({ only: undefined }, 2), '{}');
});

test('a value too deep for JSON.stringify is still written, and reads back the same', () => {
  let deep: unknown = { leaf: 'x' };
  for (let i = 0; i < 100_000; i++) deep = i % 2 === 0 ? { n: deep } : [deep];
  assert.throws(() => JSON.stringify(deep), RangeError);
  const text = jsonText(deep);
  assert.ok(text.startsWith('[{"n":[{"n":'));
  assert.ok(text.includes('{"n":{"leaf":"x"}}]}') && text.endsWith('}]}]'));
  assert.equal(jsonText(JSON.parse(text)), text);
  // Indented, it would need 10^10 characters: the compact text stands in.
  assert.equal(jsonText(deep, 2), text);
});

test("indented text is JSON.stringify's, whatever the depth, while it stays within eight times the compact size", () => {
  let nested: unknown = { leaf: [1, 'x'] };
  for (let i = 0; i < 50; i++) nested = { n: nested, list: [i] };
  assert.equal(jsonText(nested, 2), JSON.stringify(nested, null, 2));
  let deeper: unknown = { leaf: 'x' };
  for (let i = 0; i < 20_000; i++) deeper = [deeper];
  const text = jsonText(deeper, 2);
  assert.equal(text, jsonText(deeper));
});
