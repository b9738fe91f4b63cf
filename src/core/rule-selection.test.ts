import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PalisadeError } from './errors.ts';
import { defineRule, type Rule } from './rule.ts';
import { selectRules } from './rule-selection.ts';

const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' } };
function rule(id: string, frameworks: Rule['frameworks'], aliases?: string[]): Rule {
  return defineRule({
    id,
    ...(aliases ? { aliases } : {}),
    title: id,
    severity: 'low',
    domain: 'workload',
    kinds: ['Pod'],
    phase: 'deploy',
    layer: 'container',
    frameworks,
    description: 'd',
    remediation: 'r',
    references: [],
    examples: { pass: [], fail: [pod] },
    check: () => [],
  });
}
const all = [
  rule('a', { 'pss-baseline': ['x'] }),
  rule('b', { 'cis-k8s': ['5.1.1'] }, ['old-b']),
  rule('c', {}),
];
const ids = (rules: Rule[]) => rules.map((r) => r.id);

test('no selection runs every rule', () => assert.deepEqual(ids(selectRules(all, {})), ['a', 'b', 'c']));
test('framework selects mapped rules', () =>
  assert.deepEqual(ids(selectRules(all, { frameworks: ['cis-k8s'] })), ['b']));
test('explicit rules join framework rules; aliases resolve', () =>
  assert.deepEqual(ids(selectRules(all, { frameworks: ['pss-baseline'], rules: ['old-b'] })), ['a', 'b']));
test('skip removes', () => assert.deepEqual(ids(selectRules(all, { skipRules: ['a'] })), ['b', 'c']));
test('unknown rule ids are errors naming them', () =>
  assert.throws(
    () => selectRules(all, { rules: ['nope', 'a', 'zip'] }),
    (error: unknown) =>
      error instanceof PalisadeError && error.code === 'unknown-rule' && /nope, zip/.test(error.message),
  ));
test('unknown framework is a usage error', () =>
  assert.throws(() => selectRules(all, { frameworks: ['pci'] }), /unknown framework "pci"/));
