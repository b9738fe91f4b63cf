import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseJson } from './quiet-json.ts';

/** The message parseJson throws for `text`. */
function failure(text: string): string {
  try {
    parseJson(text);
  } catch (error) {
    return (error as Error).message;
  }
  assert.fail(`parsed: ${text}`);
}

describe('parseJson errors', () => {
  const SECRET = 'tok_ABCDEFGHIJKLMNOP';

  it('never quote the input, whole or cut short by V8', () => {
    const texts = [
      // V8 quotes a short input whole, and a long one cut around the error ("...abc"...).
      `${SECRET}`,
      `{"url": https://${SECRET}@example.com}`,
      `{\n  "integrity": sha512-${SECRET}${'x'.repeat(200)}\n}`,
      `{"a": 1, "b": "${SECRET}" ${SECRET}}`,
      `["${SECRET}" "${SECRET}"]`,
    ];
    for (const text of texts) {
      const message = failure(text);
      assert.match(message, /^invalid JSON: /);
      for (const part of [SECRET.slice(0, 6), SECRET.slice(-6), 'example.com', 'xxxxx'])
        assert.ok(!message.includes(part), `${message} quotes "${part}"`);
    }
  });

  it("keep V8's reason and position when it gives them", () => {
    assert.match(failure(`{"a": 1,}`), /^invalid JSON: .*position 8/);
    assert.match(failure('{"a": '), /^invalid JSON: Unexpected end of JSON input/);
    assert.match(failure(`{"url": https://${SECRET}}`), /^invalid JSON: Unexpected token 'h'$/);
  });
});
