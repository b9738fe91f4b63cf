import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TurnBatch } from './turn-batch.ts';

describe('TurnBatch', () => {
  it('resumes every caller of a turn together, then runs their writes in order, after the last of them', async () => {
    const batch = new TurnBatch(() => assert.fail('no write throws'));
    const events: string[] = [];
    const request = async (name: string) => {
      await batch.gate();
      events.push(`decide ${name}`);
      batch.write(() => events.push(`write ${name}`));
    };
    assert.equal(batch.gate(), batch.gate(), 'one gate per turn');
    await Promise.all([request('a'), request('b'), request('c')]);
    await new Promise((resolve) => setImmediate(resolve));
    assert.deepEqual(events, ['decide a', 'decide b', 'decide c', 'write a', 'write b', 'write c']);
  });

  it('opens a new gate in a later turn', async () => {
    const batch = new TurnBatch(() => {});
    const first = batch.gate();
    await first;
    assert.notEqual(batch.gate(), first);
  });

  it('reports a write that throws and still runs the others', async () => {
    const errors: unknown[] = [];
    const batch = new TurnBatch((error) => errors.push(error));
    const written: string[] = [];
    await batch.gate();
    batch.write(() => written.push('a'));
    batch.write(() => {
      throw new Error('socket gone');
    });
    batch.write(() => written.push('c'));
    await new Promise((resolve) => process.nextTick(resolve));
    assert.deepEqual(written, ['a', 'c']);
    assert.match(String(errors[0]), /socket gone/);
  });
});
