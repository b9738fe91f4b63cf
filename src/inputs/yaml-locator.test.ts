import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { load } from 'js-yaml';
import type { FieldPath } from '../core/kube-object.ts';
import { getPath, isRecord } from '../core/kube-object.ts';
import { createFallbackLocator } from './fallback-locator.ts';
import { YamlLocator } from './yaml-locator.ts';
import { KUBERNETES_YAML_SCHEMA } from './yaml-schema.ts';

/** Every path of a value: collections and leaves. */
function pathsOf(value: unknown, prefix: (string | number)[] = [], out: FieldPath[] = []): FieldPath[] {
  out.push([...prefix]);
  if (Array.isArray(value)) value.forEach((item, i) => void pathsOf(item, [...prefix, i], out));
  else if (isRecord(value)) for (const key of Object.keys(value)) pathsOf(value[key], [...prefix, key], out);
  return out;
}

/** Locates `path` in `text`, checking the answer against the `yaml` package on every path of the document. */
function at(text: string, path: FieldPath, startLine = 1): [number, number, number] {
  const value = load(text, { schema: KUBERNETES_YAML_SCHEMA });
  const exists = (p: FieldPath): boolean => getPath(value, p) !== undefined;
  const fast = new YamlLocator(text, startLine);
  const oracle = createFallbackLocator(text, startLine);
  for (const p of [...pathsOf(value), path]) {
    const got = fast.locate(p, exists);
    const want = oracle(p);
    assert.deepEqual(
      [got.line, got.column, got.path.length],
      [want.line, want.column, want.path.length],
      `path ${JSON.stringify(p)} in:\n${text}`,
    );
  }
  const found = fast.locate(path, exists);
  return [found.line, found.column, found.path.length];
}

describe('YamlLocator', () => {
  const cases: { name: string; text: string; path: FieldPath; want: [number, number, number] }[] = [
    { name: 'nested keys', text: 'a:\n  b:\n    c: 1\n', path: ['a', 'b', 'c'], want: [3, 5, 3] },
    { name: 'root', text: '# head\n\napiVersion: v1\n', path: [], want: [3, 1, 0] },
    {
      name: 'comments and blank lines',
      text: 'a:\n  # c: 0\n\n  b: 1 # trailing\n  c: 2\n',
      path: ['a', 'c'],
      want: [5, 3, 2],
    },
    {
      name: 'quoted keys',
      text: 'a:\n  "b c": 1\n  \'d\'\'e\': 2\n  "\\u0066": 3\n',
      path: ['a', 'f'],
      want: [4, 3, 2],
    },
    {
      name: 'key with dots and slashes',
      text: 'labels:\n  app.kubernetes.io/name: x\n',
      path: ['labels', 'app.kubernetes.io/name'],
      want: [2, 3, 2],
    },
    {
      name: 'value on the next lines',
      text: 'a:\n  b:\n\n    c:\n      d: 1\n',
      path: ['a', 'b', 'c', 'd'],
      want: [5, 7, 4],
    },
    {
      name: 'sequence at the indentation of its key',
      text: 'containers:\n- name: x\n  image: y\n- name: z\nafter: 1\n',
      path: ['containers', 1, 'name'],
      want: [4, 3, 3],
    },
    {
      name: 'sequence item position is the dash',
      text: 'spec:\n  containers:\n    - name: x\n    -   name: y\n',
      path: ['spec', 'containers', 1],
      want: [4, 5, 3],
    },
    {
      name: 'compact item keys',
      text: 'c:\n  - name: x\n    securityContext:\n      privileged: true\n',
      path: ['c', 0, 'securityContext', 'privileged'],
      want: [4, 7, 4],
    },
    { name: 'nested sequences', text: 'm:\n- - a\n  - b\n- - c\n', path: ['m', 1, 0], want: [4, 3, 3] },
    {
      name: 'item with content on the next line',
      text: 'l:\n  -\n    name: x\n  - # note\n    name: y\n',
      path: ['l', 1, 'name'],
      want: [5, 5, 3],
    },
    {
      name: 'block scalars are skipped',
      text: 'a:\n  s: |\n    b: not a key\n    - not an item\n  t: >-\n    folded\n\n    c: 2\n  c: 3\n',
      path: ['a', 'c'],
      want: [9, 3, 2],
    },
    {
      name: 'block scalar with indentation indicator',
      text: 'a:\n  s: |2\n      x: 1\n  x: 2\n',
      path: ['a', 'x'],
      want: [4, 3, 2],
    },
    {
      name: 'multi-line plain and quoted scalars',
      text: 'a:\n  p: one\n    two three\n  q: "four\n    b: five"\n  b: 6\n',
      path: ['a', 'b'],
      want: [6, 3, 2],
    },
    {
      name: 'anchors and tags on keys and values',
      text: 'a: &x\n  b: !!str 1\n&k c: !!map\n  d: 2\n',
      path: ['c', 'd'],
      want: [4, 3, 2],
    },
    {
      name: 'flow sequence on a line',
      text: 'args: [a, "b,c", {d: 1}]\n',
      path: ['args', 2, 'd'],
      want: [1, 19, 3],
    },
    {
      name: 'flow mapping on a line',
      text: 'r: {limits: {cpu: 1}, requests: {}}\n',
      path: ['r', 'requests'],
      want: [1, 23, 2],
    },
    { name: 'empty flow mapping', text: 'sc: {}\n', path: ['sc', 'privileged'], want: [1, 1, 1] },
    {
      name: 'JSON document',
      text: '{\n  "kind": "Pod",\n  "spec": {\n    "containers": [\n      {"name": "a"},\n      {"name": "b"}\n    ]\n  }\n}\n',
      path: ['spec', 'containers', 1, 'name'],
      want: [6, 8, 4],
    },
    {
      name: 'flow sequence spanning lines (fallback)',
      text: 'a:\n  args: [\n    "x",\n    "y"]\n  b: 1\n',
      path: ['a', 'args', 1],
      want: [4, 5, 3],
    },
    { name: 'complex key (fallback)', text: '? a\n: 1\nb:\n  c: 2\n', path: ['b', 'c'], want: [4, 3, 2] },
    {
      name: 'alias on the path (fallback)',
      text: 'base: &b\n  x: 1\nuse: *b\n',
      path: ['use', 'x'],
      want: [2, 3, 2],
    },
    {
      name: 'merge key (fallback)',
      text: 'base: &b\n  x: 1\nuse:\n  <<: *b\n  y: 2\n',
      path: ['use', 'x'],
      want: [2, 3, 2],
    },
    {
      name: 'directives and marker',
      text: '%YAML 1.2\n---\na:\n  b: 1\n',
      path: ['a', 'b'],
      want: [4, 3, 2],
    },
    { name: 'content after the marker', text: '--- {a: 1}\n', path: ['a'], want: [1, 6, 1] },
    { name: 'document end marker', text: 'a: 1\n...\n', path: ['a'], want: [1, 1, 1] },
    {
      name: 'CRLF line endings',
      text: 'a:\r\n  b:\r\n  - c: 1\r\n',
      path: ['a', 'b', 0, 'c'],
      want: [3, 5, 4],
    },
    {
      name: 'CR-only line endings (a lone CR is a YAML line break)',
      text: 'a:\r  b:\r  - c: 1\r',
      path: ['a', 'b', 0, 'c'],
      want: [3, 5, 4],
    },
    {
      name: 'CR-only line endings in a flow collection (fallback)',
      text: 'a:\r  args: [\r    "x",\r    "y"]\r  b: 1\r',
      path: ['a', 'args', 1],
      want: [4, 5, 3],
    },
    {
      name: 'numeric and boolean keys',
      text: 'm:\n  80: a\n  0x10: b\n  yes: c\n',
      path: ['m', '16'],
      want: [3, 3, 2],
    },
    {
      name: 'missing field: deepest existing node',
      text: 'a:\n  b:\n    c: 1\n',
      path: ['a', 'b', 'x', 'y'],
      want: [2, 3, 2],
    },
    { name: 'index past the end', text: 'l:\n- 1\n', path: ['l', 3], want: [1, 1, 1] },
  ];
  for (const { name, text, path, want } of cases) it(name, () => assert.deepEqual(at(text, path), want));

  it('adds the start line of the document in its file', () => {
    assert.deepEqual(at('---\nkind: Pod\nspec:\n  x: 1\n', ['spec', 'x'], 10), [13, 3, 2]);
  });

  it('falls back when the scan misses a field the parsed value has', () => {
    const text = 'a: 1\n';
    const locator = new YamlLocator(text, 1);
    // A field the scan cannot see but the value claims: the fallback is asked, and answers what exists.
    const found = locator.locate(['b'], () => true);
    assert.equal(locator.fallbacks, 1);
    assert.deepEqual([found.line, found.column, found.path.length], [1, 1, 0]);
  });

  it('indexes each collection once, so many lookups in a big document stay cheap', () => {
    const items = Array.from({ length: 5000 }, (_, i) => `- name: c${i}\n  image: i${i}\n`).join('');
    const text = `items:\n${items}`;
    const locator = new YamlLocator(text, 1);
    for (let i = 0; i < 5000; i++) assert.equal(locator.locate(['items', i, 'image']).line, 2 * i + 3);
    assert.equal(locator.fallbacks, 0);
  });
});
