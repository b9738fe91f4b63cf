// U+2028, U+2029 and NEL are line breaks for kubectl (go-yaml, YAML 1.1) in plain and block scalars and comments,
// but not inside quoted scalars: there go-yaml keeps U+2028 and U+2029 and folds NEL to a space. Expected values are
// what `kubectl label --local -f FILE -o json` printed for the same text.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadManifestText } from '../../src/inputs/manifest-loader.ts';

const POD = (note: string): string =>
  `apiVersion: v1\nkind: Pod\nmetadata:\n  name: a\n  annotations:\n    note: ${note}\nspec:\n  hostPID: true\n  containers:\n  - name: c\n    image: nginx\n`;

function load(text: string): { annotations: unknown[]; hostPID: unknown[]; issues: string[] } {
  const result = loadManifestText(text, 'm.yaml');
  const objects = result.entries.map(
    (entry) =>
      entry.object as unknown as { metadata: { annotations?: unknown }; spec: { hostPID?: unknown } },
  );
  return {
    annotations: objects.map((object) => object.metadata.annotations),
    hostPID: objects.map((object) => object.spec.hostPID),
    issues: result.issues.map((issue) => `${issue.severity} ${issue.line}: ${issue.message}`),
  };
}

describe('YAML 1.1 line breaks inside quoted scalars', () => {
  for (const char of ['\u2028', '\u2029']) {
    const name = `U+${char.charCodeAt(0).toString(16).toUpperCase()}`;
    it(`keeps ${name} inside a double-quoted scalar (kubectl: "a${name}b", hostPID true)`, () => {
      assert.deepEqual(load(POD(`"a${char}b"`)), {
        annotations: [{ note: `a${char}b` }],
        hostPID: [true],
        issues: [],
      });
    });

    it(`keeps ${name} inside a single-quoted scalar, past an escaped quote`, () => {
      assert.deepEqual(load(POD(`'it''s${char}b'`)).annotations, [{ note: `it's${char}b` }]);
    });
  }

  it('reads NEL inside a quoted scalar as a space, as go-yaml folds it', () => {
    assert.deepEqual(load(POD('"a\u0085b"')), {
      annotations: [{ note: 'a b' }],
      hostPID: [true],
      issues: [],
    });
  });

  it('keeps them in flow mappings and in multi-line quoted scalars', () => {
    const text = POD('{"x": "a\u2028b", z: \'c\u2029d\'}').replace(
      'note: {',
      'multi: "one\n      two\u2029three"\n    note: {',
    );
    assert.deepEqual(load(text).annotations, [
      { multi: 'one two\u2029three', note: { x: 'a\u2028b', z: 'c\u2029d' } },
    ]);
  });

  it('still breaks lines outside quotes: after a quoted value, in a block scalar, and in a plain scalar', () => {
    // kubectl: the text after the break is a new line, so `other` is a key of the annotations.
    const comment = load(POD('"q" # c\u2029    other: x'));
    assert.deepEqual(comment.annotations, [{ note: 'q', other: 'x' }]);
    assert.match(comment.issues[0] ?? '', /^warning 6: U\+2029 is a line break for Kubernetes/);
    const block = load(POD('|\n      he said "hi\u2028    other: x'));
    assert.deepEqual(block.annotations, [{ note: 'he said "hi\n', other: 'x' }]);
    const plain = load(POD('don\'t "x\u2028    other: y2'));
    assert.deepEqual(plain.annotations, [{ note: 'don\'t "x', other: 'y2' }]);
  });
});
