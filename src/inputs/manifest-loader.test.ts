import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import type { LoadIssue } from '../core/errors.ts';
import { formatRef } from '../core/kube-object.ts';
import { readStream } from './input-files.ts';
import { type LoadResult, loadManifests, loadManifestText } from './manifest-loader.ts';

const POD = `apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  containers:
  - name: app
    image: nginx
    securityContext:
      privileged: true
`;

const names = (result: LoadResult): string[] => result.entries.map((entry) => formatRef(entry.ref));
const brief = (issue: LoadIssue): string => `${issue.code} ${issue.severity} ${issue.line}:${issue.column}`;

function locate(result: LoadResult, index: number, path: (string | number)[]): [number, number] {
  const source = result.entries[index]?.source;
  assert.equal(source?.type, 'file');
  if (source?.type !== 'file') return [0, 0];
  const found = source.locate(path);
  return [found.line, found.column];
}

describe('loadManifestText: documents', () => {
  it('loads a multi-document stream with positions in the file', () => {
    const text = `# leading comment\n---\n${POD}---\n\n${POD.replace('web', 'api')}`;
    const result = loadManifestText(text, 'pods.yaml');
    assert.deepEqual(names(result), ['Pod/web', 'Pod/api']);
    assert.deepEqual(result.issues, []);
    const [first, second] = result.entries;
    assert.deepEqual(
      [
        first?.source.type === 'file' && first.source.documentIndex,
        second?.source.type === 'file' && second.source.documentIndex,
      ],
      [0, 1],
    );
    assert.deepEqual(
      [
        first?.source.type === 'file' && first.source.line,
        second?.source.type === 'file' && second.source.line,
      ],
      [3, 15],
    );
    assert.deepEqual(locate(result, 1, ['spec', 'containers', 0, 'securityContext', 'privileged']), [24, 7]);
    assert.equal(result.documents, 2);
  });

  it('reports invalid YAML in the middle of a stream at its file line, and loads the other documents', () => {
    const text = `${POD}---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: broken\n   bad: indentation\n---\n${POD.replace('web', 'last')}`;
    const result = loadManifestText(text, 'mixed.yaml');
    assert.deepEqual(names(result), ['Pod/web', 'Pod/last']);
    assert.equal(result.issues.length, 1);
    const [issue] = result.issues;
    assert.equal(issue?.code, 'yaml-syntax');
    assert.equal(issue?.severity, 'error');
    assert.equal(issue?.file, 'mixed.yaml');
    assert.equal(issue?.line, 16);
    assert.ok((issue?.column ?? 0) > 1);
  });

  it('refuses a value its explicit tag cannot read (`image: !!int nginx`), as kubectl does, and loads the rest', () => {
    for (const value of ['!!int nginx', '!!bool abc', '!!null x', '!!float y']) {
      const text = `${POD}---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: tagged\ndata:\n  a: ${value}\n`;
      const result = loadManifestText(text, 'tags.yaml');
      assert.deepEqual(names(result), ['Pod/web'], value);
      const tag = value.split(' ')[0];
      assert.deepEqual(
        result.issues.map((issue) => [issue.code, issue.severity, issue.line, issue.message]),
        [
          [
            'yaml-syntax',
            'error',
            17,
            `invalid YAML: the value cannot be read as its explicit tag ${tag} (kubectl refuses it too)`,
          ],
        ],
        value,
      );
    }
    // A tag the value fits is read as kubectl reads it.
    const fits = loadManifestText(
      `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n  a: !!str 12\n`,
      'ok.yaml',
    );
    assert.deepEqual(fits.issues, []);
    assert.deepEqual(fits.entries[0]?.object.data, { a: '12' });
  });

  it('handles directives, document end markers, empty documents and helm template output', () => {
    const text = [
      '%YAML 1.2',
      '---',
      '# Source: chart/templates/empty.yaml',
      '---',
      '# Source: chart/templates/pod.yaml',
      POD.trimEnd(),
      '...',
      '---',
      '',
      '---',
      `apiVersion: v1\nkind: Service\nmetadata:\n  name: svc\nspec:\n  ports:\n  - port: 80\n`,
    ].join('\n');
    const result = loadManifestText(text, 'rendered.yaml');
    assert.deepEqual(names(result), ['Pod/web', 'Service/svc']);
    assert.deepEqual(result.issues, []);
    assert.equal(result.documents, 2);
    assert.equal(result.entries[0]?.source.type === 'file' && result.entries[0].source.line, 6);
  });

  it('strips a UTF-8 byte order mark and reads CRLF line endings', () => {
    const text = `\uFEFF${POD.replaceAll('\n', '\r\n')}---\r\n${POD.replace('web', 'b').replaceAll('\n', '\r\n')}`;
    const result = loadManifestText(text, 'windows.yaml');
    assert.deepEqual(names(result), ['Pod/web', 'Pod/b']);
    assert.deepEqual(locate(result, 1, ['spec', 'containers', 0, 'image']), [19, 5]);
    assert.deepEqual(locate(result, 0, ['metadata', 'name']), [4, 3]);
  });

  it('turns every List item into an entry whose positions resolve inside the list', () => {
    const text = `apiVersion: v1\nkind: List\nitems:\n- ${POD.trimEnd().replaceAll('\n', '\n  ')}\n- apiVersion: v1\n  kind: ServiceAccount\n  metadata:\n    name: sa\n`;
    const result = loadManifestText(text, 'list.yaml');
    assert.deepEqual(names(result), ['Pod/web', 'ServiceAccount/sa']);
    const [pod, account] = result.entries;
    assert.equal(pod?.source.type === 'file' && pod.source.line, 4);
    assert.equal(account?.source.type === 'file' && account.source.line, 14);
    assert.deepEqual(locate(result, 0, ['spec', 'containers', 0, 'securityContext', 'privileged']), [13, 9]);
    const found = pod?.source.type === 'file' ? pod.source.locate(['spec', 'hostPID']) : undefined;
    assert.deepEqual(found?.path, ['spec']);
  });

  it('fills in apiVersion and kind of typed list items, and notes an empty list', () => {
    const typed = loadManifestText(
      'apiVersion: v1\nkind: PodList\nitems:\n- metadata:\n    name: a\n  spec:\n    containers: []\n',
      'pods.yaml',
    );
    assert.deepEqual(names(typed), ['Pod/a']);
    const empty = loadManifestText('apiVersion: v1\nkind: List\nitems: []\n', 'empty.yaml');
    assert.deepEqual(empty.issues.map(brief), ['empty-list info 1:1']);
  });

  it('refuses Kubernetes objects written as a bare list (kubectl refuses the file): an error, not a skipped warning', () => {
    const result = loadManifestText(
      '- apiVersion: v1\n  kind: Pod\n  metadata: {name: a}\n- apiVersion: v1\n  kind: Pod\n  metadata: {name: b}\n---\n- a\n- b\n',
      'bare.yaml',
    );
    assert.deepEqual(names(result), []);
    assert.deepEqual(
      result.issues.map((issue) => `${brief(issue)} ${issue.message}`),
      [
        'not-kubernetes error 1:1 document is a list holding 2 Kubernetes objects, which kubectl refuses: put them under the items of a kind: List, or separate them with ---; not scanned',
        'not-kubernetes warning 8:1 document is a list, not a Kubernetes object',
      ],
    );
  });

  it('reports documents that are not Kubernetes objects, and skips empty ones silently', () => {
    const text = [
      'replicaCount: 2\nimage:\n  tag: latest', // Helm values
      'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n- pod.yaml',
      '- a\n- b', // a list
      'just a string',
      'kind: Pod\nmetadata:\n  name: x', // no apiVersion
      'apiVersion: v1\nkind: Namespace', // no metadata
      '# only a comment',
      '',
      POD,
    ].join('\n---\n');
    const result = loadManifestText(text, 'misc.yaml');
    assert.deepEqual(names(result), ['Namespace/', 'Pod/web']);
    assert.deepEqual(result.issues.map(brief), [
      'not-kubernetes info 1:1',
      'not-kubernetes info 5:1',
      'not-kubernetes warning 10:1',
      'not-kubernetes warning 13:1',
      'not-kubernetes warning 15:1',
      'incomplete-object info 19:1',
    ]);
    assert.match(result.issues[1]?.message ?? '', /kustomize/);
    assert.match(result.issues[5]?.message ?? '', /no metadata: scanned without a name/);
    assert.equal(result.skippedDocuments, 5);
  });

  it('says where a pod spec holds what the API server refuses, and still scans the object', () => {
    const text = POD.replace(
      '    securityContext:\n',
      '    securityContext:\n      seccompProfile:\n        type: Localhost\n',
    );
    const result = loadManifestText(text, 'localhost.yaml');
    assert.deepEqual(names(result), ['Pod/web']);
    assert.deepEqual(result.issues.map(brief), ['incomplete-object warning 10:7']);
    assert.match(result.issues[0]?.message ?? '', /seccompProfile: localhostProfile must name the profile/);
  });

  it('warns about duplicate objects and keeps both', () => {
    const result = loadManifestText(`${POD}---\n${POD}`, 'dup.yaml');
    assert.equal(result.entries.length, 2);
    assert.deepEqual(result.issues.map(brief), ['duplicate-object warning 12:1']);
    assert.match(result.issues[0]?.message ?? '', /Pod\/web.*dup\.yaml:1/);
  });

  it('does not mistake the same name in another group or namespace for a duplicate', () => {
    const other = POD.replace('name: web', 'name: web\n  namespace: other');
    const custom = POD.replace('apiVersion: v1', 'apiVersion: example.com/v1');
    assert.deepEqual(loadManifestText(`${POD}---\n${other}---\n${custom}`, 'x.yaml').issues, []);
  });

  it('reads duplicate keys as kubectl does (the last wins), with a warning', () => {
    const text = POD.replace('privileged: true', 'privileged: false\n      privileged: true');
    const result = loadManifestText(text, 'dupkey.yaml');
    assert.deepEqual(result.issues.map(brief), ['yaml-syntax warning 11:7']);
    const spec = result.entries[0]?.object.spec as { containers: { securityContext: unknown }[] };
    const container = spec.containers[0];
    assert.deepEqual(container?.securityContext, { privileged: true });
  });

  it('reads YAML 1.1 booleans and octal numbers as Kubernetes does', () => {
    const text = POD.replace('privileged: true', 'privileged: yes').concat(
      '  volumes:\n  - name: v\n    secret:\n      defaultMode: 0644\n',
    );
    const result = loadManifestText(text, 'yaml11.yaml');
    assert.deepEqual(result.issues, []);
    const spec = result.entries[0]?.object.spec as {
      containers: { securityContext: unknown }[];
      volumes: { secret: unknown }[];
    };
    assert.deepEqual(spec.containers[0]?.securityContext, { privileged: true });
    assert.deepEqual(spec.volumes[0]?.secret, { defaultMode: 0o644 });
  });

  it('accepts a flow sequence closed at its key indentation, as kubectl does', () => {
    const text = POD.replace(
      '    image: nginx\n',
      '    image: nginx\n    args: [\n      "-a", "-b",\n    ]\n',
    );
    const result = loadManifestText(text, 'flow.yaml');
    assert.deepEqual(result.issues, []);
    assert.deepEqual(locate(result, 0, ['spec', 'containers', 0, 'args', 1]), [10, 13]);
  });

  it('names a !!binary value as binary data where a string belongs, never as a mapping', () => {
    const text =
      'apiVersion: v1\nkind: Secret\nmetadata:\n  name: s\nstringData:\n  key: !!binary "U1RSSU5HREFUQQ=="\n';
    const result = loadManifestText(text, 'binary.yaml');
    assert.deepEqual(
      result.issues.map((issue) => issue.message),
      [
        'Secret/s: stringData.key must be a string, got binary data (a !!binary value); the API server would refuse this object',
      ],
    );
  });

  it('warns about a built-in kind in the wrong case (kubectl refuses it), not about a custom kind', () => {
    const text = [
      'apiVersion: v1\nkind: pod\nmetadata:\n  name: a\n',
      'apiVersion: apps/v1\nkind: DEPLOYMENT\nmetadata:\n  name: b\n',
      'apiVersion: example.com/v1\nkind: pod\nmetadata:\n  name: c\n',
      'apiVersion: v1\nkind: Pod\nmetadata:\n  name: d\n',
    ].join('---\n');
    const result = loadManifestText(text, 'kinds.yaml');
    assert.deepEqual(
      result.issues.map((issue) => [issue.line, issue.message]),
      [
        [
          2,
          'document has kind "pod": kinds are case-sensitive, so kubectl refuses it (did you mean "Pod"?); the rules for Pod do not check it',
        ],
        [
          7,
          'document has kind "DEPLOYMENT": kinds are case-sensitive, so kubectl refuses it (did you mean "Deployment"?); the rules for Deployment do not check it',
        ],
      ],
    );
  });

  it('refuses a mapping used as a key with its position, and never lets the YAML library print the key', async () => {
    const warnings: string[] = [];
    const listen = (warning: Error) => warnings.push(warning.message);
    process.on('warning', listen);
    try {
      const text =
        'apiVersion: v1\nkind: Secret\nmetadata:\n  name: s\nstringData:\n  ? {password: Zq9Sekrit}\n  : x\n';
      const result = loadManifestText(text, 'key.yaml');
      await new Promise((resolve) => setImmediate(resolve));
      assert.deepEqual(
        result.issues.map((issue) => [issue.code, issue.line, issue.column, issue.message]),
        [
          [
            'yaml-syntax',
            6,
            5,
            'invalid YAML: a mapping or sequence used as a mapping key (Kubernetes refuses it)',
          ],
        ],
      );
      assert.deepEqual(warnings, []);
    } finally {
      process.off('warning', listen);
    }
  });

  it('gives the lenient second parse a bounded share of a file: broken YAML cannot make it spend without limit', () => {
    const lenient = POD.replace('    image: nginx\n', '    image: nginx\n    args: [\n      "-a",\n    ]\n');
    // Past 64 KiB a document keeps js-yaml's error (the second parser spends time and memory on every error).
    const padded = lenient.replace(
      'metadata:\n',
      `metadata:\n  annotations:\n    note: "${'x'.repeat(70_000)}"\n`,
    );
    assert.equal(loadManifestText(padded, 'big.yaml').issues[0]?.code, 'yaml-syntax');
    // One file's budget (128 KiB of retried text) is shared: broken documents early on use it up.
    const broken = `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: b\ndata:\n  x: ${'}'.repeat(63_000)}\n`;
    const later = lenient.replace(
      'metadata:\n',
      `metadata:\n  annotations:\n    note: "${'x'.repeat(5_000)}"\n`,
    );
    assert.equal(loadManifestText(later, 'alone.yaml').issues.length, 0);
    const result = loadManifestText(`${broken}---\n${broken}---\n${later}`, 'many.yaml');
    assert.deepEqual(
      result.issues.map((issue) => [issue.code, issue.line]),
      [
        ['yaml-syntax', 6],
        ['yaml-syntax', 13],
        ['yaml-syntax', 27],
      ],
    );
    assert.equal(loadManifestText(lenient, 'alone.yaml').issues.length, 0);
  });
});

describe('loadManifestText: wrong field types', () => {
  const cases: { name: string; from: string; to: string; line: number; column: number; field: string }[] = [
    {
      name: 'containers: "x"',
      from: 'containers:\n  - name: app\n    image: nginx\n    securityContext:\n      privileged: true',
      to: 'containers: "x"',
      line: 6,
      column: 3,
      field: 'spec.containers',
    },
    {
      name: 'securityContext: []',
      from: 'securityContext:\n      privileged: true',
      to: 'securityContext: []',
      line: 9,
      column: 5,
      field: 'securityContext',
    },
    {
      name: 'privileged: "yes"',
      from: 'privileged: true',
      to: 'privileged: "yes"',
      line: 10,
      column: 7,
      field: 'privileged',
    },
    {
      name: 'runAsUser: "0"',
      from: 'privileged: true',
      to: 'runAsUser: "0"',
      line: 10,
      column: 7,
      field: 'runAsUser',
    },
    {
      name: 'capabilities.add: NET_ADMIN',
      from: 'privileged: true',
      to: 'capabilities:\n        add: NET_ADMIN',
      line: 11,
      column: 9,
      field: 'capabilities.add',
    },
    {
      name: 'metadata.labels: [..]',
      from: '  name: web',
      to: '  name: web\n  labels: [a, b]',
      line: 5,
      column: 3,
      field: 'metadata.labels',
    },
    {
      name: 'volumes: {}',
      from: 'spec:\n',
      to: 'spec:\n  volumes: {}\n',
      line: 6,
      column: 3,
      field: 'spec.volumes',
    },
    {
      name: 'containerPort: "80"',
      from: '    image: nginx',
      to: '    image: nginx\n    ports:\n    - containerPort: "80"',
      line: 10,
      column: 7,
      field: 'containerPort',
    },
    {
      name: 'hostNetwork: "true"',
      from: 'spec:\n',
      to: 'spec:\n  hostNetwork: "true"\n',
      line: 6,
      column: 3,
      field: 'spec.hostNetwork',
    },
  ];
  for (const { name, from, to, line, column, field } of cases)
    it(`reports ${name} at the line of the field`, () => {
      const text = `${POD.replace(from, to)}---\n${POD.replace('web', 'ok')}`;
      const result = loadManifestText(text, 'types.yaml');
      assert.deepEqual(names(result), ['Pod/web', 'Pod/ok'], 'both are still scanned');
      assert.deepEqual(result.issues.map(brief), [`invalid-field-type error ${line}:${column}`]);
      assert.ok(result.issues[0]?.message.includes(field), result.issues[0]?.message);
    });

  it('reports a bad item of a List and keeps every item', () => {
    const text =
      'apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: Pod\n  metadata:\n    name: a\n  spec:\n    hostPID: "yes"\n- apiVersion: v1\n  kind: Pod\n  metadata:\n    name: b\n';
    const result = loadManifestText(text, 'list.yaml');
    assert.deepEqual(names(result), ['Pod/a', 'Pod/b']);
    assert.deepEqual(result.issues.map(brief), ['invalid-field-type error 9:5']);
  });

  it('refuses metadata that is not a mapping', () => {
    const result = loadManifestText('apiVersion: v1\nkind: Pod\nmetadata: [x]\n', 'm.yaml');
    assert.deepEqual(result.issues.map(brief), ['invalid-field-type error 3:1']);
  });
});

describe('loadManifestText: hostile input', () => {
  it('detects a billion-laughs alias bomb without expanding it', () => {
    const lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
    for (let i = 1; i < 10; i++) {
      const previous = String.fromCharCode(96 + i);
      const name = String.fromCharCode(97 + i);
      lines.push(`${name}: &${name} [${Array(9).fill(`*${previous}`).join(',')}]`);
    }
    const bomb = `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: lol\ndata:\n${lines.map((line) => `  ${line}`).join('\n')}\n`;
    const started = performance.now();
    const result = loadManifestText(`${bomb}---\n${POD}`, 'bomb.yaml');
    assert.ok(performance.now() - started < 5000);
    assert.deepEqual(names(result), ['Pod/web']);
    assert.deepEqual(result.issues.map(brief), ['yaml-alias-bomb error 1:1']);
  });

  it('detects an alias bomb of long strings: few nodes, but gigabytes of text for every rule to read', () => {
    const secret = 'x1y2'.repeat(250_000);
    const data = [`  k0: &a "password=${secret}"`];
    for (let i = 1; i <= 200; i++) data.push(`  k${i}: *a`);
    const bomb = `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm\ndata:\n${data.join('\n')}\n`;
    const result = loadManifestText(`${bomb}---\n${POD}`, 'strings.yaml');
    assert.deepEqual(names(result), ['Pod/web']);
    assert.deepEqual(result.issues.map(brief), ['yaml-alias-bomb error 1:1']);
    assert.match(result.issues[0]!.message, /characters of text/);
    assert.ok(!result.issues[0]!.message.includes('x1y2'));
    // A handful of copies of the same long string stays within the budget.
    const few = `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm\ndata:\n${data.slice(0, 4).join('\n')}\n`;
    assert.deepEqual(loadManifestText(few, 'few.yaml').issues, []);
  });

  it('detects a recursive alias', () => {
    const result = loadManifestText(
      'apiVersion: v1\nkind: Pod\nmetadata: &m\n  name: x\n  self: [*m]\n',
      'r.yaml',
    );
    assert.deepEqual(
      result.issues.map((issue) => issue.code),
      ['yaml-alias-bomb'],
    );
  });

  it('accepts a few ordinary aliases', () => {
    const text =
      'apiVersion: v1\nkind: Pod\nmetadata:\n  name: a\n  labels: &l {app: x}\n  annotations: *l\n';
    const result = loadManifestText(text, 'alias.yaml');
    assert.deepEqual(result.issues, []);
    assert.deepEqual(result.entries[0]?.object.metadata.annotations, { app: 'x' });
  });

  it('refuses 10,000-deep nesting without crashing', () => {
    const deep = `${'['.repeat(10000)}${']'.repeat(10000)}`;
    const result = loadManifestText(`${POD}---\n${deep}\n---\n${POD.replace('web', 'after')}`, 'deep.yaml');
    assert.deepEqual(names(result), ['Pod/web', 'Pod/after']);
    assert.deepEqual(
      result.issues.map((issue) => `${issue.code} ${issue.line}`),
      ['too-deep 12'],
    );
    const json = loadManifestText(`${'{"a":'.repeat(10000)}1${'}'.repeat(10000)}`, 'deep.json');
    assert.deepEqual(
      json.issues.map((issue) => issue.code),
      ['too-deep'],
    );
  });

  it('refuses deep nesting built from aliases', () => {
    const lines = ['a0: &a0 [[[[[[[[[[1]]]]]]]]]]'];
    for (let i = 1; i < 40; i++) lines.push(`a${i}: &a${i} [[[[[[[[[[*a${i - 1}]]]]]]]]]]`);
    const result = loadManifestText(lines.join('\n'), 'chain.yaml');
    assert.deepEqual(
      result.issues.map((issue) => issue.code),
      ['too-deep'],
    );
  });

  it('does not parse a document over the size limit, and loads the others', () => {
    const big = `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: big\ndata:\n  blob: "${'x'.repeat(9 * 1024 * 1024)}"\n`;
    const result = loadManifestText(`${POD}---\n${big}---\n${POD.replace('web', 'after')}`, 'big.yaml');
    assert.deepEqual(names(result), ['Pod/web', 'Pod/after']);
    assert.deepEqual(result.issues.map(brief), ['document-too-large error 12:1']);
    const small = loadManifestText(POD, 'small.yaml', { maxDocumentBytes: 100 });
    assert.deepEqual(
      small.issues.map((issue) => issue.code),
      ['document-too-large'],
    );
  });
});

describe('loadManifestText: JSON', () => {
  it('parses JSON with JSON.parse and locates fields in it', () => {
    const json = JSON.stringify(
      {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: 'j' },
        spec: { containers: [{ name: 'a', image: 'x' }] },
      },
      null,
      2,
    );
    const result = loadManifestText(json, 'pod.json');
    assert.deepEqual(names(result), ['Pod/j']);
    assert.deepEqual(locate(result, 0, ['spec', 'containers', 0, 'image']), [11, 9]);
  });

  it('reports JSON syntax errors with a position', () => {
    const result = loadManifestText('{\n  "apiVersion": "v1",\n  "kind": "Pod",,\n}\n', 'bad.json');
    assert.equal(result.issues[0]?.code, 'yaml-syntax');
    assert.equal(result.issues[0]?.line, 3);
  });
});

describe('loadManifests: files, directories and stdin', () => {
  let dir = '';
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'palisade-loader-'));
    await mkdir(join(dir, 'b', 'nested'), { recursive: true });
    await mkdir(join(dir, 'node_modules', 'x'), { recursive: true });
    await mkdir(join(dir, '.git'), { recursive: true });
    await writeFile(join(dir, 'b', 'nested', 'z.yml'), POD.replace('web', 'z'));
    await writeFile(join(dir, 'b', 'a.yaml'), POD.replace('web', 'a'));
    await writeFile(
      join(dir, 'c.json'),
      JSON.stringify({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'c' } }),
    );
    await writeFile(join(dir, 'notes.txt'), 'not yaml: [');
    await writeFile(join(dir, 'node_modules', 'x', 'p.yaml'), POD.replace('web', 'hidden1'));
    await writeFile(join(dir, '.git', 'p.yaml'), POD.replace('web', 'hidden2'));
    await writeFile(join(dir, '.palisade.yaml'), 'failOn: high\n');
    await writeFile(join(dir, 'manifest.tpl'), POD.replace('web', 'explicit'));
    await symlink(dir, join(dir, 'b', 'loop'));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('walks directories in sorted order, skipping node_modules, dot-directories and symlink loops', async () => {
    const result = await loadManifests([dir]);
    assert.deepEqual(names(result), ['Pod/a', 'Pod/z', 'ServiceAccount/c']);
    // What was left out is said (kubectl -R would read it), version control metadata aside.
    assert.deepEqual(
      result.issues.map((issue) => [issue.severity, issue.message]),
      [
        [
          'info',
          `${dir}: not read: 1 hidden or node_modules entry (${join(dir, 'node_modules')}); name one to scan it`,
        ],
      ],
    );
    assert.equal(result.files, 3);
    assert.ok(result.bytes > 0);
  });

  it('reads a file named explicitly whatever its extension, once even when named twice', async () => {
    const result = await loadManifests([join(dir, 'manifest.tpl'), join(dir, 'b'), join(dir, 'b', 'a.yaml')]);
    // b/loop leads to the parent, not yet visited from `b`: its c.json is read once; `b` is not entered again.
    assert.deepEqual(names(result), ['Pod/explicit', 'Pod/a', 'ServiceAccount/c', 'Pod/z']);
    // b/loop/node_modules is said to be left out (an info), nothing else.
    assert.deepEqual(
      result.issues.filter((issue) => issue.severity !== 'info'),
      [],
    );
  });

  it('reports a missing input and still loads the others', async () => {
    const missing = join(dir, 'nope.yaml');
    const result = await loadManifests([missing, join(dir, 'b', 'a.yaml')]);
    assert.deepEqual(names(result), ['Pod/a']);
    assert.deepEqual(
      result.issues.map((issue) => [issue.code, issue.severity, issue.file]),
      [['read-failed', 'error', missing]],
    );
    assert.match(result.issues[0]?.message ?? '', /nope\.yaml/);
  });

  it('reads `-` from stdin as <stdin>, such as kubectl kustomize output piped in', async () => {
    const kustomized = `${POD}---\napiVersion: v1\nkind: Service\nmetadata:\n  name: svc\n`;
    const stdin = Readable.from([Buffer.from(kustomized.slice(0, 50)), Buffer.from(kustomized.slice(50))]);
    const result = await loadManifests(['-', join(dir, 'c.json')], { stdin });
    assert.deepEqual(names(result), ['Pod/web', 'Service/svc', 'ServiceAccount/c']);
    const source = result.entries[1]?.source;
    assert.equal(source?.type === 'file' && source.file, '<stdin>');
    assert.equal(source?.type === 'file' && source.line, 12);
  });
});

describe('loadManifestText: no secret in any message', () => {
  it('leaves quoted document text out of YAML errors and values out of type errors', () => {
    const alias = loadManifestText(
      'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\ndata:\n  password: *Passw0rdAlias\n',
      'a.yaml',
    );
    const typed = loadManifestText(
      'apiVersion: v1\nkind: Secret\nmetadata: {name: s}\nstringData: "password=Hunter2Secret"\n',
      's.yaml',
    );
    const messages = [...alias.issues, ...typed.issues].map((issue) => issue.message).join('\n');
    assert.ok(alias.issues.length > 0 && typed.issues.length > 0);
    assert.doesNotMatch(messages, /Passw0rdAlias|Hunter2Secret/);
  });
});

describe('loadManifests: awkward inputs', () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'palisade-awkward-'));
    await writeFile(join(dir, 'UPPER.YAML'), 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: upper\n');
    execFileSync('mkfifo', [join(dir, 'pipe.yaml')]);
    await symlink(join(dir, 'missing.yaml'), join(dir, 'broken.yaml'));
  });
  after(async () => rm(dir, { recursive: true, force: true }));

  it('reads upper-case extensions, and reports FIFOs and broken links instead of blocking on them', async () => {
    const result = await loadManifests([dir]);
    assert.deepEqual(names(result), ['Pod/upper']);
    assert.deepEqual(
      result.issues.map((issue) => `${issue.severity} ${issue.message.replace(dir, '')}`).sort(),
      [
        'warning cannot read /broken.yaml: broken symbolic link: skipped',
        'warning cannot read /pipe.yaml: not a regular file (a FIFO, socket or device): skipped',
      ],
    );
  });

  it('warns when a directory holds no manifest files (only hidden ones, templates), and not when given twice', async () => {
    const empty = join(dir, 'nothing-here');
    await mkdir(join(empty, '.hidden'), { recursive: true });
    await writeFile(join(empty, '.hidden', 'pod.yaml'), 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: x\n');
    await writeFile(join(empty, 'chart.tpl'), 'x');
    const result = await loadManifests([empty, empty]);
    assert.deepEqual(
      result.issues.map((issue) => `${issue.severity} ${issue.message.replaceAll(dir, '')}`),
      [
        'info /nothing-here: not read: 1 hidden or node_modules entry (/nothing-here/.hidden); name one to scan it',
        'warning /nothing-here: no manifest files (.yaml, .yml, .json) in this directory or below; hidden directories and node_modules are not read',
      ],
    );
  });

  it('warns when standard input holds no documents (a failed command before the pipe), never silently', async () => {
    for (const text of ['', '# a comment only\n---\n\n']) {
      const result = await loadManifests(['-'], { stdin: Readable.from([Buffer.from(text)]) });
      assert.deepEqual(
        result.issues.map((issue) => [issue.severity, issue.code]),
        [['warning', 'read-failed']],
        JSON.stringify(text),
      );
      assert.match(result.issues[0]?.message ?? '', /<stdin>: no documents/);
    }
    const oneObject = await loadManifests(['-'], {
      stdin: Readable.from([Buffer.from('apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n')]),
    });
    assert.deepEqual(oneObject.issues, []);
  });

  it('warns about a file with no documents (empty, comments only, a byte-order mark only), never silently', async () => {
    const files: [string, string][] = [
      ['empty.yaml', ''],
      ['comments.yaml', '# nothing yet\n---\n'],
      ['bom.yaml', '\ufeff'],
    ];
    for (const [name, text] of files) {
      await writeFile(join(dir, name), text);
      const result = await loadManifests([join(dir, name)]);
      assert.deepEqual(
        result.issues.map((issue) => [issue.severity, issue.code, issue.message.replaceAll(dir, '')]),
        [['warning', 'read-failed', `/${name}: no documents (empty, or only comments and blank lines)`]],
      );
    }
  });

  it('reads relative inputs from the given cwd and keeps their names as given', async () => {
    const result = await loadManifests(['UPPER.YAML'], { cwd: dir });
    assert.deepEqual(names(result), ['Pod/upper']);
    assert.equal(result.entries[0]?.source.type === 'file' && result.entries[0].source.file, 'UPPER.YAML');
  });

  it('refuses a FIFO named explicitly rather than waiting on it forever', async () => {
    const result = await loadManifests([join(dir, 'pipe.yaml')]);
    assert.equal(result.issues[0]?.severity, 'error');
    assert.match(result.issues[0]?.message ?? '', /not a regular file/);
  });

  it('decodes UTF-16 with a byte-order mark as kubectl does; refuses UTF-32, UTF-16 without a mark and binary', async () => {
    const pod = POD.replace('web', 'wide');
    const files: Record<string, Buffer> = {
      'le.yaml': Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(pod, 'utf16le')]),
      'be.yaml': Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(pod, 'utf16le').swap16()]),
      'nomark.yaml': Buffer.from(pod, 'utf16le'),
      'utf32.yaml': Buffer.concat([Buffer.from([0xff, 0xfe, 0, 0]), Buffer.alloc(8)]),
      'image.yaml': Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d]),
      'latin1.yaml': Buffer.from(POD.replace('web', 'caf\u00e9'), 'latin1'),
    };
    const folder = join(dir, 'encodings');
    await mkdir(folder);
    for (const [name, bytes] of Object.entries(files)) await writeFile(join(folder, name), bytes);
    const result = await loadManifests([folder]);
    assert.deepEqual(names(result).sort(), ['Pod/caf\ufffd', 'Pod/wide', 'Pod/wide']);
    const wide = result.entries.find(
      (entry) => entry.source.type === 'file' && entry.source.file.endsWith('le.yaml'),
    );
    assert.equal(wide?.source.type === 'file' && wide.source.line, 1);
    assert.deepEqual(
      result.issues.map((issue) => `${issue.severity} ${issue.message.replace(folder, '')}`).sort(),
      [
        'error cannot read /image.yaml: binary data, not text (a NUL byte at offset 8)',
        'error cannot read /nomark.yaml: UTF-16 text without a byte-order mark: save it as UTF-8 (or UTF-16 with a byte-order mark)',
        'error cannot read /utf32.yaml: UTF-32 text (byte-order mark) is not supported: save it as UTF-8',
        'warning /latin1.yaml: not valid UTF-8 (first bad byte 0xe9 at line 4, byte offset 46); bad bytes were read as U+FFFD, as kubectl reads them',
      ],
    );
  });

  it('flattens Lists inside Lists (kubectl refuses the file; reading the items errs on the safe side)', () => {
    const text =
      'apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: List\n  items:\n  - apiVersion: v1\n    kind: Pod\n    metadata:\n      name: inner\n';
    const result = loadManifestText(text, 'nested.yaml');
    assert.deepEqual(names(result), ['Pod/inner']);
    assert.equal(result.entries[0]?.source.type === 'file' && result.entries[0].source.line, 7);
  });

  it('stops reading a stream past the size limit', async () => {
    await assert.rejects(readStream(Readable.from([Buffer.alloc(10), Buffer.alloc(10)]), 15), /size limit/);
  });
});
