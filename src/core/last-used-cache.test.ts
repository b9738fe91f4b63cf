import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LastUsedCache } from './last-used-cache.ts';

describe('LastUsedCache', () => {
  it('computes once per key while the key is among the most recent', () => {
    const cache = new LastUsedCache<object, number>(2);
    const a = {};
    const b = {};
    let calls = 0;
    const compute = (): number => ++calls;
    assert.equal(cache.get(a, compute), 1);
    assert.equal(cache.get(b, compute), 2);
    assert.equal(cache.get(a, compute), 1);
    assert.equal(cache.get(b, compute), 2);
    assert.equal(calls, 2);
  });

  it('forgets the oldest key and computes it again', () => {
    const cache = new LastUsedCache<object, string>(2);
    const [a, b, c] = [{}, {}, {}];
    const seen: object[] = [];
    const compute = (key: object): string => {
      seen.push(key);
      return String(seen.length);
    };
    cache.get(a, compute);
    cache.get(b, compute);
    cache.get(c, compute);
    assert.equal(cache.get(a, compute), '4');
    assert.deepEqual(seen, [a, b, c, a]);
  });

  it('caches undefined answers too', () => {
    const cache = new LastUsedCache<object, undefined>(1);
    const key = {};
    let calls = 0;
    cache.get(key, () => {
      calls++;
      return undefined;
    });
    cache.get(key, () => {
      calls++;
      return undefined;
    });
    assert.equal(calls, 1);
  });
});
