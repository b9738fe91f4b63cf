import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { seededRandom } from '../../test/seeded-random.ts';
import { jsonNestsDeeperThan, valueNestsDeeperThan } from './json-nesting.ts';

/** A random JSON value with nested arrays, objects, and strings holding brackets, quotes and backslashes. */
function randomValue(random: () => number, depth: number): unknown {
  const pick = random();
  if (depth > 12 || pick < 0.3) {
    const strings = ['plain', '[{', '}]', 'a"b', 'back\\\\', '\\"[', 'é中'];
    return random() < 0.5 ? strings[Math.floor(random() * strings.length)] : Math.floor(random() * 100);
  }
  const size = Math.floor(random() * 4);
  if (pick < 0.65) return Array.from({ length: size }, () => randomValue(random, depth + 1));
  const object: Record<string, unknown> = {};
  for (let i = 0; i < size; i++) object[`k${i}[`] = randomValue(random, depth + 1);
  return object;
}

describe('valueNestsDeeperThan', () => {
  it('gives the verdict of the byte scan on the same value, at every limit', () => {
    const random = seededRandom(20261123);
    for (let round = 0; round < 300; round++) {
      const value = randomValue(random, 0);
      const bytes = Buffer.from(JSON.stringify(value));
      for (let limit = 0; limit <= 14; limit++)
        assert.equal(
          valueNestsDeeperThan(value, limit),
          jsonNestsDeeperThan(bytes, limit),
          `round ${round}, limit ${limit}: ${JSON.stringify(value)}`,
        );
    }
  });

  it('counts each array and object as one level, and scalars as none', () => {
    assert.equal(valueNestsDeeperThan('text', 0), false);
    assert.equal(valueNestsDeeperThan({}, 0), true);
    assert.equal(valueNestsDeeperThan({}, 1), false);
    assert.equal(valueNestsDeeperThan({ a: [[1]] }, 2), true);
    assert.equal(valueNestsDeeperThan({ a: [[1]] }, 3), false);
  });

  it('measures a value far deeper than the call stack allows, without recursion', () => {
    const deep = JSON.parse(`${'['.repeat(200_000)}${']'.repeat(200_000)}`);
    assert.equal(valueNestsDeeperThan(deep, 200), true);
    assert.equal(valueNestsDeeperThan(deep, 200_000), false);
  });

  it('walks own fields only, so a polluted prototype neither loops nor counts', () => {
    const proto = Object.prototype as Record<string, unknown>;
    proto.polluted = { nested: {} };
    try {
      assert.equal(valueNestsDeeperThan({ a: {} }, 2), false);
    } finally {
      delete proto.polluted;
    }
  });
});
