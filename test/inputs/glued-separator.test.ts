// A line that starts with `---` followed by text (`---apiVersion: v1`, `---# next`, `--- !!map`) separates documents
// for kubectl and Helm: kubectl refuses it unless the rest is a comment, Helm reads the rest of the line as the next
// document's first line (an untrimmed `{{- ... -}}` in a chart writes it). No object may be lost to it.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { LoadIssue } from '../../src/core/errors.ts';
import { loadManifestText } from '../../src/inputs/manifest-loader.ts';

const DEPLOYMENT = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  template:
    spec:
      containers:
      - name: c
        image: nginx
        securityContext:
          privileged: true
`;
const SERVICE = 'kind: Service\nmetadata:\n  name: web\n';

const kinds = (text: string): string[] =>
  loadManifestText(text, 'm.yaml').entries.map(
    (entry) => `${entry.ref.kind}@${entry.source.type === 'file' ? entry.source.line : 0}`,
  );
const issues = (text: string): string[] =>
  loadManifestText(text, 'm.yaml').issues.map(
    (issue: LoadIssue) => `${issue.severity} ${issue.line}:${issue.column} ${issue.message}`,
  );

describe('--- glued to text', () => {
  it('splits `---apiVersion: v1`: the privileged Deployment and the Service are both read', () => {
    const text = `${DEPLOYMENT}---apiVersion: v1\n${SERVICE}`;
    assert.deepEqual(kinds(text), ['Deployment@1', 'Service@13']);
    const [warning, ...rest] = issues(text);
    assert.match(
      warning ?? '',
      /^warning 13:4 content after --- on a document separator line: kubectl refuses/,
    );
    assert.deepEqual(rest, []);
    const [, service] = loadManifestText(text, 'm.yaml').entries;
    assert.deepEqual(service?.object, { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web' } });
    // Positions on the shared line count the dashes.
    assert.deepEqual(service?.source.type === 'file' && service.source.locate(['apiVersion']), {
      line: 13,
      column: 4,
      path: ['apiVersion'],
    });
  });

  it('splits `---# next` silently (kubectl accepts a comment after the dashes)', () => {
    const text = `${DEPLOYMENT}---# next\napiVersion: v1\n${SERVICE}`;
    assert.deepEqual(kinds(text), ['Deployment@1', 'Service@14']);
    assert.deepEqual(issues(text), []);
  });

  it('reads `--- apiVersion: v1` as Helm does (no YAML parser reads a mapping on the marker line)', () => {
    const text = `${DEPLOYMENT}--- apiVersion: v1\n${SERVICE}`;
    assert.deepEqual(kinds(text), ['Deployment@1', 'Service@13']);
    assert.deepEqual(
      issues(text).map((issue) => issue.slice(0, 14)),
      ['warning 13:5 c'],
    );
  });

  it('keeps YAML on the marker line (`--- !!map`, `--- {...}`, `--- |`) and warns that kubectl refuses it', () => {
    const text = `--- !!map\napiVersion: v1\n${SERVICE}--- {apiVersion: v1, kind: ConfigMap, metadata: {name: c}, data: {a: "1"}}\n--- |\n  text\n`;
    assert.deepEqual(kinds(text), ['Service@1', 'ConfigMap@6']);
    assert.deepEqual(
      issues(text).map((issue) => issue.slice(0, 14)),
      ['warning 1:5 co', 'warning 6:5 co', 'warning 7:5 co', 'warning 7:1 do'],
    );
  });
});
