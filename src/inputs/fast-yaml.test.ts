import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { load } from 'js-yaml';
import { FALLBACK, parseFastYaml } from './fast-yaml.ts';
import { KUBERNETES_YAML_SCHEMA } from './yaml-schema.ts';

const MAX_DEPTH = 100;

function expectSame(text: string): void {
  const fast = parseFastYaml(text, MAX_DEPTH);
  assert.notEqual(fast, FALLBACK, `expected the fast path to read:\n${text}`);
  assert.deepEqual(fast, load(text, { schema: KUBERNETES_YAML_SCHEMA }), text);
}

function expectFallback(text: string): void {
  assert.equal(parseFastYaml(text, MAX_DEPTH), FALLBACK, `expected a fallback for:\n${text}`);
}

describe('fast YAML path', () => {
  it('reads block mappings and sequences, compact and indented, exactly as js-yaml', () => {
    expectSame('a: 1\nb:\n  c: d\n  e: [1, "two", three]\n');
    expectSame(
      'spec:\n  containers:\n  - name: app\n    image: nginx:1.27\n    ports:\n    - containerPort: 80\n  - name: b\n',
    );
    expectSame('items:\n  - a\n  -   b\n  -\n    c: 1\nnext: x\n');
    expectSame(
      '---\n# comment\napiVersion: v1   # trailing comment\nkind: "Pod"\nmetadata: {name: p, labels: {}}\n',
    );
    expectSame('- a\n- b: 1\n  c: 2\n');
    expectSame('empty:\nafter: 1\n');
  });

  it('resolves plain scalars with the YAML 1.1 schema Kubernetes uses', () => {
    expectSame(
      'a: yes\nb: off\nc: 0644\nd: 0x1F\ne: 1_000\nf: .5\ng: ~\nh: null\ni: -1\nj: 1e3\nk: .inf\nl: 2024-01-01\n',
    );
    expectSame("url: http://example.com:8080/x\ntime: 12:30\nport: \"8080\"\nq: 'it''s'\n");
  });

  it('resolves every spelling of the schema words, as keys, values and flow items, and keeps near misses strings', () => {
    // The shortcut that takes letter-initial scalars as strings must still hand these to the schema.
    const words =
      'null Null NULL true True TRUE false False FALSE yes Yes YES no No NO on On ON off Off OFF'.split(' ');
    words.push('y', 'Y', 'n', 'N');
    const nearMisses = 'nulls tru falsey Falsee yess onn o t f offset nothing'.split(' ');
    for (const word of [...words, ...nearMisses]) {
      expectSame(`value: ${word}\nlist:\n- ${word}\nflow: [${word}, x]\n`);
      const asKey = parseFastYaml(`${word}: 1\n`, MAX_DEPTH);
      // Keys that are not strings are left to js-yaml; string keys must come out as js-yaml reads them.
      if (asKey !== FALLBACK)
        assert.deepEqual(asKey, load(`${word}: 1\n`, { schema: KUBERNETES_YAML_SCHEMA }));
      else assert.ok(words.includes(word), `"${word}" as a key should stay on the fast path`);
    }
  });

  it('reads a document of thousands of lines, and a short one after it', () => {
    const items = Array.from({ length: 3000 }, (_, i) => `  - name: item-${i}\n    value: ${i}`);
    expectSame(`items:\n${items.join('\n')}\nlast: true\n`);
    expectSame('a: 1\n');
  });

  it('ends plain values at comments and keeps colons and hashes that are part of them', () => {
    expectSame('a: b #c: d\nb: x#y\nc: b:c\nd: http://h:1/p # port\ne: "q" # c\n');
    expectFallback('a: b: c\n');
    expectFallback('a: b:\tc\n');
    expectFallback('a: b\t# comment\n');
  });

  it('leaves a lone -, ? or : before a line end or a flow indicator to js-yaml', () => {
    for (const text of [
      'k: -\n',
      'k: ?\n',
      'k: :\n',
      'k: [-]\n',
      'k: [a, -]\n',
      'k: [?]\n',
      'k: {a: ?}\n',
      '- ?\n',
    ])
      expectFallback(text);
    expectSame('k: -1\nl: ?x\nm: -a\np: [-1, -x]\n');
  });

  it('decodes double-quoted escapes', () => {
    expectSame('a: "tab\\there \\u00e9 \\x41 \\\\ \\" \\/ \\N"\n');
  });

  it('reads literal block scalars with every chomping', () => {
    expectSame('a: |\n  line 1\n\n    indented\n  # not a comment\nb: |-\n  x\n\n\nc: |+\n  y\n\n\nd: 1\n');
    expectSame('list:\n- |\n  one\n- two\n');
    expectSame('a: |\n\n  after blank\n');
    expectSame('a: |\nb: 1\n');
    expectSame('a: |\n  x\n   \n  y\n');
  });

  it('leaves everything outside its subset to js-yaml', () => {
    for (const text of [
      'a: &x 1\nb: *x\n', // anchors and aliases
      'a: !!str 1\n', // tags
      'a: >\n  folded\n', // folded scalars
      'a: |2\n   x\n', // indentation indicators
      'a: multi\n  line plain\n', // multi-line plain scalars
      'a: "multi\n  line"\n', // multi-line quoted scalars
      'a: 1\na: 2\n', // duplicate keys
      '<<: {a: 1}\nb: 2\n', // merge keys
      'a:\n\tb: 1\n', // tabs in indentation
      'a: 1\r\nb: 2\r\n', // carriage returns
      '\uFEFFa: 1\n', // byte order mark
      '%YAML 1.1\n---\na: 1\n', // directives
      'a: 1\n...\n', // document end marker
      '- - a\n', // nested compact sequences
      'a: [1, 2,]\n', // trailing commas
      'a: [1,\n  2]\n', // multi-line flow collections
      '? complex\n: key\n', // complex keys
      '1: one\n', // non-string keys
      'true: x\n',
      'just a scalar\n', // scalar documents
      '  a: 1\n', // indented root
      'a: 1\n b: 2\n', // bad indentation
      'a: b: c\n', // nested compact mapping after a key
      'a: "bad \\q escape"\n',
      'a: \u0007bell\n', // non-printable characters
      '__proto__: x\n',
    ])
      expectFallback(text);
  });

  it('falls back near the depth limit so that js-yaml gives the verdict', () => {
    let text = '';
    for (let depth = 0; depth < 120; depth++) text += `${' '.repeat(depth * 2)}k${depth}:\n`;
    text += `${' '.repeat(240)}v: 1\n`;
    expectFallback(text);
  });

  it('reads numbers as go-yaml (kubectl) does, agreeing with js-yaml: 0o and 0b prefixes, _ anywhere, no base 60', () => {
    const text = 'a: 0o10\nb: 0B11\nc: +_0\nd: 0_8\ne: 1:0\nf: "0o7"\ng: [0X1F, +.5, ._5, 1e400]\n';
    expectSame(text);
    assert.deepEqual(parseFastYaml(text, MAX_DEPTH), {
      a: 8,
      b: 3,
      c: 0,
      d: 8,
      e: '1:0',
      f: '0o7',
      g: [31, 0.5, '._5', '1e400'],
    });
  });
});
