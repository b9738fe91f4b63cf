import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sharedPath, skipWithoutShared } from '../shared-corpus.ts';
import { runPsaConformance } from './psa-conformance-run.ts';

test('palisade scan agrees with Pod Security Admission on all of its fixtures', {
  skip: skipWithoutShared('corpus', 'psa-fixtures'),
}, async () => {
  const result = await runPsaConformance(sharedPath('corpus', 'psa-fixtures'));
  assert.deepEqual(result.disagreements.slice(0, 20), []);
  assert.equal(result.total, 4537);
  assert.equal(result.agree, 4537);
});
