import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { splitDocuments } from './document-splitter.ts';

const summary = (text: string): string[] =>
  splitDocuments(text).map(
    (segment) =>
      `${segment.index}@${segment.startLine}/${segment.contentLine}${segment.empty ? ' empty' : ''}: ${JSON.stringify(segment.text)}`,
  );

describe('splitDocuments', () => {
  it('splits at --- and keeps leading comments with the first document', () => {
    assert.deepEqual(summary('# c\n---\na: 1\n---\nb: 2\n'), [
      '0@1/3: "# c\\n---\\na: 1\\n"',
      '1@4/5: "---\\nb: 2\\n"',
    ]);
  });

  it('counts empty documents as loadAll does, and marks them', () => {
    assert.deepEqual(summary('---\n# Source: x\n---\na: 1\n'), [
      '0@1/1 empty: "---\\n# Source: x\\n"',
      '1@3/4: "---\\na: 1\\n"',
    ]);
  });

  it('ends a document at ... and keeps directives with the next one', () => {
    assert.deepEqual(summary('a: 1\n...\n%YAML 1.2\n---\nb: 2\n'), [
      '0@1/1: "a: 1\\n...\\n"',
      '1@3/5: "%YAML 1.2\\n---\\nb: 2\\n"',
    ]);
  });

  it('reads content after a marker, and ignores a comment after it', () => {
    assert.deepEqual(summary('--- {a: 1}\n--- # note\nb: 2\n'), [
      '0@1/1: "--- {a: 1}\\n"',
      '1@2/3: "--- # note\\nb: 2\\n"',
    ]);
  });

  it('splits at --- glued to text, as kubectl and Helm do, the text starting the next document', () => {
    assert.deepEqual(summary('a: 1\n---b: 2\nc: 3\n---# note\nd: 4\n----\n'), [
      '0@1/1: "a: 1\\n"',
      '1@2/2: "b: 2\\nc: 3\\n"',
      '2@4/5: "# note\\nd: 4\\n"',
      '3@6/6: "-\\n"',
    ]);
    const [, glued, comment] = splitDocuments('a: 1\n---b: 2\n---# note\nd: 4\n');
    assert.equal(glued?.column, 3);
    assert.deepEqual(glued?.separatorContent, { offset: 0, line: 2, column: 3 });
    // A comment after the dashes is a separator kubectl accepts.
    assert.equal(comment?.separatorContent, undefined);
  });

  it('notes content after `--- ` (kubectl refuses that separator) with where it starts', () => {
    const [segment] = splitDocuments('# c\n---  !!map\na: 1\n');
    assert.deepEqual(segment?.separatorContent, { offset: 9, line: 2, column: 5 });
    assert.equal(segment?.column, undefined);
  });

  it('recognises markers before CRLF line endings, and not inside indented text', () => {
    assert.deepEqual(summary('a: |\n  ---\n---\r\nb: 2'), [
      '0@1/1: "a: |\\n  ---\\n"',
      '1@3/4: "---\\r\\nb: 2"',
    ]);
  });

  it('returns nothing for a text of comments only', () => {
    assert.deepEqual(summary('# nothing\n\n'), []);
  });

  it('marks content after ... with no --- before it: kubectl never reads it', () => {
    const segments = splitDocuments('a: 1\n...\nb: 2\n---\nc: 3\n');
    assert.deepEqual(
      segments.map((segment) => [segment.startLine, segment.afterEnd === true]),
      [
        [1, false],
        [3, true],
        [4, false],
      ],
    );
  });
});
