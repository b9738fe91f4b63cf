// Of duplicate mapping keys kubectl (go-yaml v2, JSON) uses the last: the finding's location must point at that one,
// and every duplicate is reported, in YAML and in JSON.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Alias } from 'yaml';
import type { FieldPath } from '../../src/core/kube-object.ts';
import { createFallbackLocator } from '../../src/inputs/fallback-locator.ts';
import { loadManifestText } from '../../src/inputs/manifest-loader.ts';

function load(text: string, file = 'm.yaml') {
  const result = loadManifestText(text, file);
  const entry = result.entries[0];
  return {
    value: entry?.object as unknown,
    at: (path: FieldPath): string => {
      if (entry?.source.type !== 'file') return '';
      const { line, column } = entry.source.locate(path);
      return `${line}:${column}`;
    },
    warnings: result.issues
      .filter((issue) => issue.severity === 'warning')
      .map((issue) => `${issue.line}:${issue.column} ${issue.message}`),
  };
}

const HEAD = 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: a\n';

describe('duplicate keys: location of the value used, and a warning for each', () => {
  it('locates the last of duplicate block keys, and warns at every repeat', () => {
    const { value, at, warnings } = load(
      `${HEAD}spec:\n  hostPID: false\n  containers: [{name: c}]\n  hostPID: true\n  hostIPC: true\n  hostIPC: false\n`,
    );
    assert.deepEqual((value as { spec: unknown }).spec, {
      hostPID: true,
      containers: [{ name: 'c' }],
      hostIPC: false,
    });
    assert.equal(at(['spec', 'hostPID']), '8:3');
    assert.equal(at(['spec', 'hostIPC']), '10:3');
    assert.deepEqual(
      warnings.map((warning) => warning.slice(0, 28)),
      ['8:3 duplicated mapping key: ', '10:3 duplicated mapping key:'],
    );
  });

  it('counts the duplicates past the tenth', () => {
    const keys = Array.from({ length: 13 }, (_, i) => `  k${i}: a\n  k${i}: b\n`).join('');
    const { warnings } = load(`${HEAD}  annotations:\n${keys}`);
    assert.equal(warnings.length, 10);
    assert.match(warnings[9] ?? '', /; 3 more duplicated keys in this document$/);
  });

  it('locates the last of duplicate keys in a flow mapping', () => {
    const { at } = load(`${HEAD}spec: {hostPID: false, hostPID: true}\n`);
    assert.equal(at(['spec', 'hostPID']), '5:24');
  });

  it('locates the last of duplicate keys in JSON, and warns (JSON.parse keeps it silently)', () => {
    const text =
      '{"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "a"},\n "spec": {"containers": [{"name": "c"}], "hostPID": false,\n  "hostPID": true}}\n';
    const { value, at, warnings } = load(text, 'm.json');
    assert.equal((value as { spec: { hostPID: boolean } }).spec.hostPID, true);
    assert.equal(at(['spec', 'hostPID']), '3:3');
    assert.deepEqual(
      warnings.map((warning) => warning.slice(0, 35)),
      ['3:3 duplicated key in a JSON object'],
    );
    // Colons inside strings are not keys: no warning without a duplicate.
    assert.deepEqual(
      load('{"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "a:b"}}', 'm.json').warnings,
      [],
    );
  });

  it('has the fallback locator point at the last duplicate too', () => {
    const locate = createFallbackLocator('a: &x 1\nb:\n  c: 1\n  c: *x\n', 1);
    assert.deepEqual(locate(['b', 'c']), { line: 4, column: 3, path: ['b', 'c'] });
  });
});

describe('aliases on the path', () => {
  it('resolves each alias to the latest anchor of its name, in one walk of the document (not one per lookup)', (t) => {
    const containers = Array.from({ length: 2000 }, () => '  - *c').join('\n');
    const text = `${HEAD}spec:\n  containers:\n  - &c {name: a, image: "x:1"}\n${containers}\n  - &c {name: b, image: "y:1"}\n  - *c\n`;
    // The package's own resolve walks the whole document at each call: 2,000 aliases located made that quadratic
    // (a 350 KB file held a scan for hours). It must not be called while locating.
    t.mock.method(Alias.prototype, 'resolve', () => {
      throw new Error('Alias.resolve walks the whole document');
    });
    const locate = createFallbackLocator(text, 1);
    assert.deepEqual(locate(['spec', 'containers', 1500, 'image']), {
      line: 7,
      column: 18,
      path: ['spec', 'containers', 1500, 'image'],
    });
    // A reused anchor name: the later alias names the later node.
    assert.equal(locate(['spec', 'containers', 2002, 'name']).line, 2008);
  });
});
