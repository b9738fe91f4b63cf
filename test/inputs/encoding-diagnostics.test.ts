// kubectl reads invalid UTF-8 with bad bytes as U+FFFD and applies the file (a warning here), but refuses a
// document holding a control character, even in a comment (an error here; its objects are still scanned).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadInputTexts } from '../../src/inputs/manifest-loader.ts';

const POD =
  'apiVersion: v1\nkind: Pod\nmetadata:\n  name: a # note\nspec:\n  hostPID: true\n  containers: [{name: c}]\n';

describe('encoding diagnostics as kubectl decides them', () => {
  it('warns about invalid UTF-8 (read as U+FFFD, as kubectl does), no error', () => {
    const result = loadInputTexts([
      {
        type: 'text',
        name: 'latin1.yaml',
        text: POD.replace('name: a', 'name: caf\ufffd'),
        bytes: 80,
        encoding:
          'not valid UTF-8 (first bad byte 0xe9 at line 4, byte offset 46); bad bytes were read as U+FFFD',
      },
    ]);
    assert.equal(result.entries.length, 1);
    assert.deepEqual(
      result.issues.map((issue) => `${issue.severity} ${issue.message}`),
      [
        'warning latin1.yaml: not valid UTF-8 (first bad byte 0xe9 at line 4, byte offset 46); bad bytes were read as U+FFFD, as kubectl reads them',
      ],
    );
  });

  it('reports a control character in a comment as an error of the file, and still scans its objects', () => {
    const result = loadInputTexts([
      { type: 'text', name: 'ctl.yaml', text: POD.replace('# note', '# \u0001 note'), bytes: 80 },
    ]);
    assert.equal(result.entries.length, 1);
    assert.deepEqual(
      result.issues.map(
        (issue) => `${issue.severity} ${issue.line}:${issue.column} ${issue.message.slice(0, 60)}`,
      ),
      ['error 4:13 control character U+0001: kubectl refuses the document holdi'],
    );
  });
});
