import assert from 'node:assert/strict';
import { test } from 'node:test';
import { applyPatch } from '../../core/json-patch.ts';
import { container, contextFor, pod, ruleTable, runRule } from './pss-test-support.ts';
import rule from './seccomp-profile-required.ts';

const RUNTIME_DEFAULT = { seccompProfile: { type: 'RuntimeDefault' } };

ruleTable(rule, [
  {
    name: 'nothing set before v1.19',
    object: pod({ containers: [container('app')] }),
    versions: ['v1.0', 'v1.18'],
    expect: 'pass',
  },
  {
    name: 'before v1.19 the baseline annotation check applies',
    object: pod(
      { containers: [container('app')] },
      { annotations: { 'seccomp.security.alpha.kubernetes.io/pod': 'unconfined' } },
    ),
    versions: ['v1.0', 'v1.18'],
    expect: 1,
  },
  {
    name: 'missing from v1.19: one violation per container',
    object: pod({ containers: [container('app')], initContainers: [container('init')] }),
    versions: ['v1.19', 'latest'],
    expect: 2,
    containers: ['app', 'init'],
    paths: [
      'spec.containers[0].securityContext.seccompProfile.type',
      'spec.initContainers[0].securityContext.seccompProfile.type',
    ],
    messages: [
      'seccompProfile (pod or container "app" must set securityContext.seccompProfile.type to "RuntimeDefault" or "Localhost")',
    ],
  },
  {
    name: 'set on the pod',
    object: pod({
      securityContext: RUNTIME_DEFAULT,
      containers: [container('app')],
      ephemeralContainers: [container('debug')],
    }),
    expect: 'pass',
  },
  {
    name: 'set on every container',
    object: pod({
      containers: [
        container('app', {
          securityContext: { seccompProfile: { type: 'Localhost', localhostProfile: 'p.json' } },
        }),
      ],
      initContainers: [container('init', { securityContext: RUNTIME_DEFAULT })],
    }),
    expect: 'pass',
  },
  {
    name: 'a container Unconfined under a RuntimeDefault pod',
    object: pod({
      securityContext: RUNTIME_DEFAULT,
      containers: [container('app', { securityContext: { seccompProfile: { type: 'Unconfined' } } })],
    }),
    expect: 1,
    containers: ['app'],
    messages: ['container "app" must not set securityContext.seccompProfile.type to "Unconfined"'],
  },
  {
    name: 'an Unconfined pod is forbidden even when every container overrides it',
    object: pod({
      securityContext: { seccompProfile: { type: 'Unconfined' } },
      containers: [container('app', { securityContext: RUNTIME_DEFAULT })],
    }),
    expect: 1,
    paths: ['spec.securityContext.seccompProfile.type'],
  },
  {
    name: 'Windows pods are not exempt before v1.25',
    object: pod({ os: { name: 'windows' }, containers: [container('app')] }),
    versions: ['v1.19', 'v1.24'],
    expect: 1,
  },
  {
    name: 'Windows pods are exempt from v1.25',
    object: pod({ os: { name: 'windows' }, containers: [container('app')] }),
    versions: ['v1.25', 'latest'],
    expect: 'pass',
  },
]);

test('seccomp-profile-required: the fix sets RuntimeDefault on the pod, keeping other pod fields', () => {
  const object = pod({ securityContext: { runAsNonRoot: true }, containers: [container('app')] });
  const fixed = applyPatch(object, rule.fix!(object, contextFor(object)));
  assert.deepEqual((fixed.spec as Record<string, unknown>).securityContext, {
    runAsNonRoot: true,
    seccompProfile: { type: 'RuntimeDefault' },
  });
  assert.deepEqual(runRule(rule, fixed), []);
  assert.deepEqual(rule.fix!(fixed, contextFor(fixed)), []);
  // An explicit forbidden profile is the user's choice to revisit, not something to overwrite blindly.
  const unconfined = pod({
    securityContext: { seccompProfile: { type: 'Unconfined' } },
    containers: [container('app')],
  });
  assert.deepEqual(rule.fix!(unconfined, contextFor(unconfined)), []);
});
