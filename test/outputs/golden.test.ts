import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { lineDiff } from './golden.ts';

describe('golden diff', () => {
  it('shows the changed lines with context and makes invisible characters visible', () => {
    const expected = ['a', 'b', 'c', 'd', 'e', 'f'].join('\n');
    const actual = ['a', 'b', 'c', 'D\u001b', 'e', 'f'].join('\n');
    assert.equal(
      lineDiff(expected, actual),
      ['@@ line 4 @@', '  a', '  b', '  c', '- d', '+ D\\u001b', '  e', '  f'].join('\n'),
    );
  });
});
