import assert from 'node:assert/strict';
import { test } from 'node:test';
import { evaluateObjects } from './engine.ts';
import type { ExceptionRule } from './exception.ts';
import { applyPatch, toPointer } from './json-patch.ts';
import { formatPath, type KubeObject } from './kube-object.ts';
import { parsePssVersion } from './pss-version.ts';
import { defineRule } from './rule.ts';

const pod = (name: string, annotations?: Record<string, string>): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace: 'ns', ...(annotations ? { annotations } : {}) },
  spec: {},
});
const version = parsePssVersion('latest');
const flagsAll = defineRule({
  id: 'flags-all',
  title: 'Flags all',
  severity: 'medium',
  domain: 'workload',
  kinds: ['Pod'],
  phase: 'deploy',
  layer: 'container',
  frameworks: {},
  description: 'd',
  remediation: 'r',
  references: [],
  examples: { pass: [], fail: [pod('x')] },
  check: (object) => [{ message: `bad ${object.metadata.name}`, path: ['spec'], container: 'c' }],
});
const throws = defineRule({
  ...flagsAll,
  id: 'throws',
  check: () => {
    throw new Error('boom');
  },
});

test('a rule that throws is an error for that object, not a pass or a fail', () => {
  const result = evaluateObjects([pod('a')], { rules: [throws, flagsAll], pssVersion: version });
  assert.equal(result.errors.length, 1);
  assert.match(result.errors[0]!.message, /boom/);
  assert.equal(result.findings.length, 1);
});

test('a screen shared by rules runs once per object and skips them all where it is false', () => {
  const screened: string[] = [];
  const onlyA = (object: KubeObject) => {
    screened.push(object.metadata.name ?? '');
    return object.metadata.name === 'a';
  };
  const first = defineRule({ ...flagsAll, id: 'first', screen: onlyA });
  const second = defineRule({ ...flagsAll, id: 'second', screen: onlyA });
  const result = evaluateObjects([pod('a'), pod('b')], {
    rules: [first, flagsAll, second],
    pssVersion: version,
  });
  assert.deepEqual(screened, ['a', 'b']);
  assert.deepEqual(
    result.findings.map((finding) => `${finding.ruleId}:${finding.resource.name}`),
    ['first:a', 'flags-all:a', 'second:a', 'flags-all:b'],
  );
});

test('a screen that throws lets its rules run', () => {
  const broken = defineRule({
    ...flagsAll,
    id: 'broken-screen',
    screen: () => {
      throw new Error('screen bug');
    },
  });
  const result = evaluateObjects([pod('a')], { rules: [broken], pssVersion: version });
  assert.equal(result.findings.length, 1);
  assert.equal(result.errors.length, 0);
});

test('config exceptions match by globs and container; expired ones do not apply and are reported', () => {
  const exception = (overrides: Partial<ExceptionRule>): ExceptionRule => ({
    rules: ['flags-all'],
    kind: '*',
    namespace: 'n?',
    name: 'a*',
    reason: 'ok',
    origin: 'cfg:1:1',
    ...overrides,
  });
  const now = new Date('2026-06-01T00:00:00Z');
  const run = (exceptions: ExceptionRule[]) =>
    evaluateObjects([pod('app'), pod('db')], { rules: [flagsAll], pssVersion: version, exceptions, now });
  const applied = run([exception({})]);
  assert.deepEqual(
    applied.findings.map((f) => f.suppressed?.reason),
    ['ok', undefined],
  );
  assert.equal(run([exception({ container: 'other' })]).findings.filter((f) => f.suppressed).length, 0);
  const lastDay = run([exception({ expires: '2026-06-01' })]);
  assert.equal(lastDay.findings.filter((f) => f.suppressed).length, 1, 'applies through its expiry day');
  const expired = run([exception({ expires: '2026-05-31' })]);
  assert.equal(expired.findings.filter((f) => f.suppressed).length, 0);
  assert.equal(expired.expiredExceptions.length, 1);
});

test('annotation exceptions need no config and unknown ids are noticed', () => {
  const result = evaluateObjects([pod('a', { 'palisade.dev/ignore': 'flags-all,typo' })], {
    rules: [flagsAll],
    pssVersion: version,
  });
  assert.equal(result.findings[0]?.suppressed?.by, 'annotation');
  const notices = result.notices.map((notice) => notice.message).join('\n');
  assert.match(notices, /unknown rule "typo"/);
  assert.match(notices, /has no palisade.dev\/ignore-reason/, 'a suppression without a reason is called out');
});

test('json patch add/replace/remove and pointer escaping', () => {
  const doc = { a: { 'x/y': 1, list: [1, 2] } };
  const patched = applyPatch(doc, [
    { op: 'add', path: toPointer(['a', 'x/y']), value: 2 },
    { op: 'add', path: '/a/list/-', value: 3 },
    { op: 'remove', path: '/a/list/0' },
    { op: 'add', path: '/b', value: { c: true } },
  ]);
  assert.deepEqual(patched, { a: { 'x/y': 2, list: [2, 3] }, b: { c: true } });
  assert.deepEqual(doc.a.list, [1, 2], 'the input is not modified');
  assert.throws(() => applyPatch(doc, [{ op: 'replace', path: '/nope', value: 1 }]), /does not exist/);
});

test('pss versions parse and refuse the unknown', () => {
  assert.equal(parsePssVersion('v1.25').minor, 25);
  assert.equal(parsePssVersion('1.0').minor, 0);
  assert.equal(parsePssVersion('latest').label, 'latest');
  assert.throws(() => parsePssVersion('v1.99'), /newer than the latest/);
  assert.throws(() => parsePssVersion('v2.1'), /invalid/);
});

test('field paths put keys that are not plain names in brackets', () => {
  assert.equal(
    formatPath(['metadata', 'annotations', 'container.apparmor.security.beta.kubernetes.io/app']),
    'metadata.annotations[container.apparmor.security.beta.kubernetes.io/app]',
  );
  assert.equal(
    formatPath(['spec', 'containers', 0, 'securityContext']),
    'spec.containers[0].securityContext',
  );
});

test('formatPath writes Kubernetes field notation, the same on every call', () => {
  const cases: [Parameters<typeof formatPath>[0], string][] = [
    [[], ''],
    [['spec', 'containers', 0, 'image'], 'spec.containers[0].image'],
    [[0, 'name'], '[0].name'],
    [['metadata', 'labels', 'app.kubernetes.io/name'], 'metadata.labels[app.kubernetes.io/name]'],
    [['data', '0'], 'data[0]'],
    [['data', ''], 'data[]'],
  ];
  for (const [path, text] of cases) {
    assert.equal(formatPath(path), text);
    assert.equal(formatPath([...path]), text, 'a second call with an equal path');
  }
});
