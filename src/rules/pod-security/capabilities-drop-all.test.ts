import assert from 'node:assert/strict';
import { test } from 'node:test';
import { applyPatch } from '../../core/json-patch.ts';
import rule from './capabilities-drop-all.ts';
import { container, contextFor, pod, ruleTable, runRule } from './pss-test-support.ts';

const withCapabilities = (capabilities: unknown, spec: Record<string, unknown> = {}) =>
  pod({ ...spec, containers: [container('app', { securityContext: { capabilities } })] });

ruleTable(rule, [
  {
    name: 'drop ALL, add NET_BIND_SERVICE',
    object: withCapabilities({ drop: ['ALL'], add: ['NET_BIND_SERVICE'] }),
    versions: ['v1.0', 'v1.22', 'latest'],
    expect: 'pass',
  },
  {
    name: 'before v1.22 only the baseline allow-list applies',
    object: withCapabilities({ add: ['CHOWN'] }),
    versions: ['v1.0', 'v1.21'],
    expect: 'pass',
  },
  {
    name: 'before v1.22 a non-default capability fails',
    object: withCapabilities({ add: ['SYS_ADMIN'] }),
    versions: ['v1.0', 'v1.21'],
    expect: 1,
    messages: ['non-default capabilities'],
  },
  {
    name: 'from v1.22 drop ALL is required',
    object: pod({
      containers: [container('app')],
      initContainers: [container('init', { securityContext: {} })],
    }),
    versions: ['v1.22', 'latest'],
    expect: 2,
    containers: ['app', 'init'],
    paths: [
      'spec.containers[0].securityContext.capabilities.drop',
      'spec.initContainers[0].securityContext.capabilities.drop',
    ],
    messages: [
      'unrestricted capabilities (container "app" must set securityContext.capabilities.drop=["ALL"])',
    ],
  },
  {
    name: 'from v1.22 a default capability other than NET_BIND_SERVICE fails',
    object: withCapabilities({ drop: ['ALL'], add: ['CHOWN', 'NET_BIND_SERVICE'] }),
    versions: ['v1.22', 'latest'],
    expect: 1,
    paths: ['spec.containers[0].securityContext.capabilities.add'],
    messages: ['must not include "CHOWN" in securityContext.capabilities.add'],
  },
  {
    name: 'Windows pods are not exempt before v1.25',
    object: withCapabilities(undefined, { os: { name: 'windows' } }),
    versions: ['v1.22', 'v1.24'],
    expect: 1,
  },
  {
    name: 'Windows pods are exempt from v1.25',
    object: withCapabilities({ add: ['SYS_ADMIN'] }, { os: { name: 'windows' } }),
    versions: ['v1.25', 'latest'],
    expect: 'pass',
  },
  {
    name: 'hostUsers false is no exemption',
    object: withCapabilities(undefined, { hostUsers: false }),
    expect: 1,
  },
]);

test('capabilities-drop-all: the fix appends ALL and keeps the existing drops and adds', () => {
  const object = pod({
    containers: [
      container('a', { securityContext: { capabilities: { drop: ['NET_RAW'], add: ['NET_BIND_SERVICE'] } } }),
      container('b'),
      container('c', { securityContext: { runAsUser: 1000 } }),
    ],
  });
  const fixed = applyPatch(object, rule.fix!(object, contextFor(object)));
  assert.deepEqual(runRule(rule, fixed), []);
  assert.deepEqual((fixed.spec as { containers: unknown[] }).containers, [
    container('a', {
      securityContext: { capabilities: { drop: ['NET_RAW', 'ALL'], add: ['NET_BIND_SERVICE'] } },
    }),
    container('b', { securityContext: { capabilities: { drop: ['ALL'] } } }),
    container('c', { securityContext: { runAsUser: 1000, capabilities: { drop: ['ALL'] } } }),
  ]);
  assert.deepEqual(rule.fix!(fixed, contextFor(fixed)), []);
});
