// Manifests that kubectl (v1.32: sigs.k8s.io/yaml on go-yaml v2, and its JSON stream decoder) reads differently
// from js-yaml. Each expected value is what `kubectl label --local -f FILE x=y -o json` printed for the same text;
// kubectl is not needed to run these tests.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { LoadIssue } from '../../src/core/errors.ts';
import { loadManifestText } from '../../src/inputs/manifest-loader.ts';

const POD_HEAD = 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n';

function load(text: string, file = 'm.yaml'): { objects: unknown[]; issues: LoadIssue[] } {
  const result = loadManifestText(text, file);
  return { objects: result.entries.map((entry) => entry.object), issues: result.issues };
}

function securityContext(text: string): unknown {
  const [pod] = load(text).objects as Array<{ spec: { containers: Array<{ securityContext?: unknown }> } }>;
  return pod?.spec.containers[0]?.securityContext;
}

const warnings = (issues: LoadIssue[]): string[] =>
  issues.filter((issue) => issue.severity === 'warning').map((issue) => `${issue.line}: ${issue.message}`);

describe('kubectl parity: YAML 1.1 line breaks', () => {
  for (const [name, char] of [
    ['U+2028', '\u2028'],
    ['U+2029', '\u2029'],
    ['U+0085', '\u0085'],
  ] as const) {
    it(`reads ${name} as a line break, and says so`, () => {
      // kubectl: {"privileged": true, "runAsUser": 1000}
      const text = `${POD_HEAD}  containers:\n  - name: c\n    image: nginx\n    securityContext:\n      runAsUser: 1000 # harmless${char}      privileged: true\n`;
      assert.deepEqual(securityContext(text), { runAsUser: 1000, privileged: true });
      const [warning] = warnings(load(text).issues);
      assert.match(
        warning ?? '',
        new RegExp(`^10: ${name.replace('+', '\\+')} is a line break for Kubernetes`),
      );
    });
  }

  it('reads a line break inside a value as ending it (structure after it is real)', () => {
    // kubectl: metadata.annotations {"note": "hello"}, spec.hostPID true
    const text =
      'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  annotations:\n    note: hello\u2028spec:\n  hostPID: true\n  containers:\n  - name: c\n    image: nginx\n';
    const [pod] = load(text).objects as Array<{ metadata: unknown; spec: { hostPID?: boolean } }>;
    assert.deepEqual(pod?.metadata, { name: 'p', annotations: { note: 'hello' } });
    assert.equal(pod?.spec.hostPID, true);
  });
});

describe('kubectl parity: merge keys in document order', () => {
  it('lets a later merge override an explicit key, and warns', () => {
    // kubectl: securityContext {"privileged": true}
    const text = `${POD_HEAD}  containers:\n  - name: c\n    image: nginx\n    securityContext:\n      privileged: false\n      <<: {privileged: true}\n`;
    assert.deepEqual(securityContext(text), { privileged: true });
    assert.match(
      warnings(load(text).issues)[0] ?? '',
      /^11: a merge key \(<<\) overrides explicit keys before it \(privileged\)/,
    );
  });

  it('overrides explicit keys with flow mappings holding containers (merge2)', () => {
    // kubectl: hostPID true, containers [evil]
    const text = `${POD_HEAD}  hostPID: false\n  containers:\n  - name: ok\n    image: nginx\n  <<: {hostPID: true, containers: [{name: evil, image: nginx, securityContext: {privileged: true}}]}\n`;
    const [pod] = load(text).objects as Array<{
      spec: { hostPID: boolean; containers: Array<{ name: string }> };
    }>;
    assert.equal(pod?.spec.hostPID, true);
    assert.deepEqual(
      pod?.spec.containers.map((c) => c.name),
      ['evil'],
    );
  });

  it('applies the merge after duplicate keys too (merge3)', () => {
    // kubectl: hostPID true
    const text = `${POD_HEAD}  hostPID: false\n  hostPID: false\n  <<: {hostPID: true}\n  containers:\n  - name: ok\n    image: nginx\n`;
    const [pod] = load(text).objects as Array<{ spec: { hostPID: boolean } }>;
    assert.equal(pod?.spec.hostPID, true);
  });

  it('keeps the earlier mapping of a merge sequence, the later of two merge keys, and later explicit keys', () => {
    const text =
      'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: m\ndata:\n  a: &a {x: "1", w: "a"}\n  b: &b {x: "2", z: "b"}\n  c:\n    <<: [*a, *b]\n  d:\n    <<: *a\n    <<: *b\n  e:\n    x: "0"\n    <<: *a\n    w: "e"\n';
    const [map] = load(text).objects as Array<{ data: unknown }>;
    // kubectl's output, key for key.
    assert.deepEqual(map?.data, {
      a: { w: 'a', x: '1' },
      b: { x: '2', z: 'b' },
      c: { w: 'a', x: '1', z: 'b' },
      d: { w: 'a', x: '2', z: 'b' },
      e: { w: 'e', x: '1' },
    });
  });
});

describe('kubectl parity: byte order marks', () => {
  it('strips a byte order mark at the start of a later document', () => {
    // kubectl: ConfigMap cm, then Pod p (privileged)
    const text = `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm\n---\n\uFEFF${POD_HEAD}  containers:\n  - name: c\n    image: nginx\n    securityContext:\n      privileged: true\n`;
    const { objects, issues } = load(text);
    assert.equal(objects.length, 2);
    assert.deepEqual((objects[1] as { spec: unknown }).spec, {
      containers: [{ name: 'c', image: 'nginx', securityContext: { privileged: true } }],
    });
    assert.deepEqual(
      issues.filter((issue) => issue.severity === 'error'),
      [],
    );
  });

  it('strips one after blank lines too', () => {
    // kubectl: ConfigMaps cm and b
    const text =
      'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm\n---\n\n\uFEFFapiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: b\n';
    assert.deepEqual(
      load(text).objects.map((o) => (o as { metadata: { name: string } }).metadata.name),
      ['cm', 'b'],
    );
  });
});

describe('kubectl parity: integers and floats as go-yaml resolves them', () => {
  // `kubectl label --local` on `data: {kN: VALUE}` for each value (scal_kubectl.json).
  const cases: Array<[string, unknown]> = [
    ['0o0', 0],
    ['0O0', 0],
    ['0X0', 0],
    ['0B0', 0],
    ['+0o0', 0],
    ['0o_0', 0],
    ['+_0', 0],
    ['0_8', 8],
    ['_0', '_0'],
    ['0:0', '0:0'],
    ['1:0', '1:0'],
    ['0:1', '0:1'],
    ['010', 8],
    ['08', 8],
    ['0x1_0', 16],
    ['0b1_0', 2],
    ['-0b1', -1],
    ['1_0', 10],
    ['0.', 0],
    ['.0', 0],
    ['+.0', 0],
    ['1e0', 1],
    ['1e', '1e'],
    ['e1', 'e1'],
    ['0x', '0x'],
    ['0b', '0b'],
    ['0o', '0o'],
  ];
  for (const [source, expected] of cases) {
    it(`reads ${source} as ${JSON.stringify(expected)}`, () => {
      const [map] = load(`apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: m\ndata:\n  k: ${source}\n`)
        .objects as Array<{ data: { k: unknown } }>;
      assert.deepEqual(map?.data.k, expected);
    });
  }

  it('reads runAsUser: 0o0 as root, not as a string', () => {
    const text = `${POD_HEAD}  containers:\n  - name: c\n    image: nginx\n    securityContext:\n      runAsUser: 0o0\n`;
    assert.deepEqual(securityContext(text), { runAsUser: 0 });
    assert.deepEqual(
      load(text).issues.filter((issue) => issue.code === 'invalid-field-type'),
      [],
    );
  });
});

describe('kubectl parity: JSON streams', () => {
  const a =
    '{"apiVersion":"v1","kind":"Pod","metadata":{"name":"a"},"spec":{"containers":[{"name":"c","image":"nginx"}]}}';
  const b =
    '{"apiVersion":"v1","kind":"Pod","metadata":{"name":"b"},"spec":{"containers":[{"name":"c","image":"nginx","securityContext":{"privileged":true}}]}}';
  const names = (objects: unknown[]): string[] =>
    objects.map((o) => (o as { metadata: { name: string } }).metadata.name);

  it('reads objects one per line (kubectl: Pods a and b)', () => {
    const { objects, issues } = load(`${a}\n${b}\n`, 'stream.json');
    assert.deepEqual(names(objects), ['a', 'b']);
    assert.deepEqual(issues, []);
  });

  it('reads objects back to back, with positions on the shared line', () => {
    const result = loadManifestText(`${a}${b}`, 'stream.yaml');
    assert.deepEqual(
      result.entries.map((entry) => entry.object.metadata?.name),
      ['a', 'b'],
    );
    const source = result.entries[1]?.source;
    assert.equal(source?.type, 'file');
    if (source?.type !== 'file') return;
    assert.equal(source.line, 1);
    const at = source.locate(['spec', 'containers', 0, 'securityContext', 'privileged']);
    assert.deepEqual([at.line, at.column], [1, a.length + b.indexOf('"privileged"') + 1]);
  });

  it('reads the objects before a broken one and reports the rest (kubectl: Pod a, then an error)', () => {
    const { objects, issues } = load(`${a}\n---\n${b}\n`, 'jdash.yaml');
    assert.deepEqual(names(objects), ['a']);
    assert.deepEqual(
      issues.map((issue) => `${issue.severity} ${issue.line}:${issue.column}`),
      ['error 2:1'],
    );
  });
});

describe('kubectl parity: document end markers and control characters', () => {
  it('ignores content after ... with no --- before it, as kubectl does, and says so', () => {
    // kubectl: ConfigMap cm only
    const text = `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm\n...\n${POD_HEAD}  containers:\n  - name: c\n    image: nginx\n`;
    const { objects, issues } = load(text);
    assert.deepEqual(
      objects.map((o) => (o as { kind: string }).kind),
      ['ConfigMap'],
    );
    assert.match(warnings(issues)[0] ?? '', /^6: content after a document end marker/);
  });

  it('still reads a document after ... and ---', () => {
    // kubectl: ConfigMaps a and b
    const text =
      'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n...\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: b\n';
    assert.equal(load(text).objects.length, 2);
    assert.deepEqual(load(text).issues, []);
  });

  for (const [name, char] of [
    ['U+000B', '\v'],
    ['U+000C', '\f'],
  ] as const) {
    it(`reports ${name} in a comment as an error (kubectl: "control characters are not allowed")`, () => {
      const text = `${POD_HEAD}  containers:\n  - name: c\n    image: nginx\n    securityContext:\n      runAsUser: 1000 # x${char}      privileged: true\n`;
      const errors = load(text).issues.filter((issue) => issue.severity === 'error');
      assert.match(
        errors.map((issue) => `${issue.line}: ${issue.message}`)[0] ?? '',
        new RegExp(`^10: control character ${name.replace('+', '\\+')}`),
      );
    });
  }
});
