// The fast YAML path against js-yaml on real documents and on mutations of them: every document the fast path
// reads must give js-yaml's value exactly, and every document js-yaml refuses must be left to js-yaml.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isDeepStrictEqual } from 'node:util';
import { load } from 'js-yaml';
import { compareDocuments, yamlFilesUnder } from '../../bench/fast-yaml-oracle.ts';
import { generateCorpus } from '../../bench/generate-corpus.ts';
import { splitDocuments } from '../../src/inputs/document-splitter.ts';
import { FALLBACK, parseFastYaml } from '../../src/inputs/fast-yaml.ts';
import { KUBERNETES_YAML_SCHEMA } from '../../src/inputs/yaml-schema.ts';
import { sharedPath, skipWithoutShared } from '../shared-corpus.ts';

const skip = skipWithoutShared('corpus', 'realworld-manifests');

describe('fast YAML path oracle', () => {
  for (const set of ['realworld-manifests', 'psa-fixtures', 'helm-kustomize'])
    it(`agrees with js-yaml on every document of ${set}`, { skip }, () => {
      const result = compareDocuments(yamlFilesUnder([sharedPath('corpus', set)]));
      assert.deepEqual(result.mismatches, []);
      assert.ok(result.fast > 0, 'the fast path read some documents');
    });

  it('agrees with js-yaml on the generated benchmark corpus', () => {
    const result = compareDocuments(generateCorpus(2000));
    assert.deepEqual(result.mismatches, []);
    assert.equal(result.fast, result.documents);
  });

  it('never accepts what js-yaml refuses, nor reads a mutated document differently', { skip }, () => {
    const documents: string[] = [];
    for (const { text } of yamlFilesUnder([sharedPath('corpus', 'realworld-manifests')]))
      for (const segment of splitDocuments(text))
        if (!segment.empty && segment.text.length < 8000) documents.push(segment.text);
    const pieces = [
      ':',
      ': ',
      ' #',
      '"',
      "'",
      '- ',
      '|',
      '|-',
      '>',
      '\t',
      ' ',
      '  ',
      '\n',
      '\n  ',
      '[',
      ']',
      '{',
      '}',
      ',',
      '&a ',
      '*a',
      '!',
      '? ',
      '\\',
      '~',
      'yes',
      '0x1F',
      '<<: ',
      '%',
      '\r',
    ];
    let seed = 20261122;
    const random = (): number => {
      seed = (Math.imul(seed, 1103515245) + 12345) & 0x7fffffff;
      return seed / 0x7fffffff;
    };
    let read = 0;
    for (let n = 0; n < 4000; n++) {
      let text = documents[Math.floor(random() * documents.length)] as string;
      for (let edit = 0; edit < 2; edit++) {
        const at = Math.floor(random() * text.length);
        text =
          random() < 0.6
            ? text.slice(0, at) + pieces[Math.floor(random() * pieces.length)] + text.slice(at)
            : text.slice(0, at) + text.slice(at + 1 + Math.floor(random() * 3));
      }
      const fast = parseFastYaml(text, 100);
      if (fast === FALLBACK) continue;
      read++;
      let expected: unknown;
      assert.doesNotThrow(() => {
        expected = load(text, { schema: KUBERNETES_YAML_SCHEMA, maxDepth: 100 });
      }, `the fast path accepted a document js-yaml refuses:\n${text}`);
      assert.ok(isDeepStrictEqual(fast, expected), `values differ for:\n${text}`);
    }
    assert.ok(read > 1000, `only ${read} mutated documents stayed on the fast path`);
  });
});
