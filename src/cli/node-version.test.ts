import assert from 'node:assert/strict';
import { test } from 'node:test';
import { nodeTooOld } from './node-version.ts';

test('Node.js below 22.15 is refused with one sentence naming both versions; 22.15 and later run', () => {
  for (const old of ['v20.20.2', 'v22.14.0', 'v18.0.0'])
    assert.equal(
      nodeTooOld(old),
      `palisade needs Node.js 22.15 or newer (for node:sqlite and zstd); this is Node.js ${old}`,
    );
  for (const supported of ['v22.15.0', 'v22.20.1', 'v24.21.0', 'v25.0.0'])
    assert.equal(nodeTooOld(supported), undefined);
});
