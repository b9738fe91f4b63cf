import assert from 'node:assert/strict';
import { it } from 'node:test';
import { wellFormedJson } from './well-formed-json.ts';

it('replaces lone surrogates with U+FFFD, and leaves pairs and escaped backslashes alone', () => {
  const text = JSON.stringify({ lone: 'p\ud800x\udc00y', pair: 'a\ud83d\ude00b', literal: 'c\\ud800d' });
  const fixed = wellFormedJson(text);
  assert.deepEqual(JSON.parse(fixed), {
    lone: 'p\ufffdx\ufffdy',
    pair: 'a\ud83d\ude00b',
    literal: 'c\\ud800d',
  });
  assert.equal(wellFormedJson('{"a":"plain"}'), '{"a":"plain"}');
});
