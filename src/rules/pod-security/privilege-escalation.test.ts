import assert from 'node:assert/strict';
import { test } from 'node:test';
import { applyPatch } from '../../core/json-patch.ts';
import rule from './privilege-escalation.ts';
import { container, contextFor, pod, ruleTable, runRule } from './pss-test-support.ts';

const NO_ESCALATION = { securityContext: { allowPrivilegeEscalation: false } };

ruleTable(rule, [
  {
    name: 'false on every container',
    object: pod({
      containers: [container('app', NO_ESCALATION)],
      initContainers: [container('init', NO_ESCALATION)],
      ephemeralContainers: [container('debug', NO_ESCALATION)],
    }),
    expect: 'pass',
  },
  {
    name: 'unset before v1.8',
    object: pod({ containers: [container('app')] }),
    versions: ['v1.0', 'v1.7'],
    expect: 'pass',
  },
  {
    name: 'unset or true from v1.8',
    object: pod({
      containers: [container('app'), container('ok', NO_ESCALATION)],
      initContainers: [container('init', { securityContext: { allowPrivilegeEscalation: true } })],
      ephemeralContainers: [container('debug', { securityContext: {} })],
    }),
    versions: ['v1.8', 'latest'],
    expect: 3,
    containers: ['app', 'init', 'debug'],
    paths: [
      'spec.containers[0].securityContext.allowPrivilegeEscalation',
      'spec.initContainers[0].securityContext.allowPrivilegeEscalation',
      'spec.ephemeralContainers[0].securityContext.allowPrivilegeEscalation',
    ],
    messages: [
      'allowPrivilegeEscalation != false (container "app" must set securityContext.allowPrivilegeEscalation=false)',
    ],
  },
  {
    name: 'Windows pods before v1.25',
    object: pod({ os: { name: 'windows' }, containers: [container('app')] }),
    versions: ['v1.8', 'v1.24'],
    expect: 1,
  },
  {
    name: 'Windows pods from v1.25',
    object: pod({ os: { name: 'windows' }, containers: [container('app')] }),
    versions: ['v1.25', 'latest'],
    expect: 'pass',
  },
  {
    name: 'os.name is case-sensitive',
    object: pod({ os: { name: 'Windows' }, containers: [container('app')] }),
    expect: 1,
  },
]);

test('privilege-escalation: the fix sets false where the API server accepts it', () => {
  const object = pod({
    containers: [
      container('a'),
      container('b', { securityContext: { allowPrivilegeEscalation: true, runAsUser: 1000 } }),
      container('privileged', { securityContext: { privileged: true } }),
    ],
  });
  const fixed = applyPatch(object, rule.fix!(object, contextFor(object)));
  assert.deepEqual((fixed.spec as { containers: unknown[] }).containers, [
    container('a', NO_ESCALATION),
    container('b', { securityContext: { allowPrivilegeEscalation: false, runAsUser: 1000 } }),
    container('privileged', { securityContext: { privileged: true } }),
  ]);
  assert.equal(runRule(rule, fixed).length, 1);
  assert.deepEqual(rule.fix!(fixed, contextFor(fixed)), []);
});
