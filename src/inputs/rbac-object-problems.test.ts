import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { KubeObject } from '../core/kube-object.ts';
import { builtinRules } from '../rules/index.ts';
import { rbacObjectProblems } from './rbac-object-problems.ts';

const GROUP = 'rbac.authorization.k8s.io/v1';
const messages = (object: Record<string, unknown>) =>
  rbacObjectProblems(object as KubeObject).map((problem) => `${problem.path.join('.')}: ${problem.message}`);

test('what the API server refuses in roles: no verbs, no groups, no resources, URLs in a Role or beside resources', () => {
  const role = (kind: string, rules: unknown[]) => ({
    apiVersion: GROUP,
    kind,
    metadata: { name: 'r' },
    rules,
  });
  assert.deepEqual(messages(role('Role', [{ apiGroups: [''], resources: ['pods'], verbs: ['get'] }])), []);
  assert.deepEqual(messages(role('ClusterRole', [{ nonResourceURLs: ['/healthz'], verbs: ['get'] }])), []);
  assert.deepEqual(messages(role('Role', [{ apiGroups: [''], resources: ['pods'] }])), [
    'rules.0: a rule needs verbs',
  ]);
  assert.deepEqual(messages(role('Role', [{ resources: ['secrets'], verbs: ['get'] }])), [
    'rules.0: a resource rule needs apiGroups ("" for the core group)',
  ]);
  assert.deepEqual(messages(role('ClusterRole', [{ apiGroups: ['apps'], verbs: ['get'] }])), [
    'rules.0: a resource rule needs resources',
  ]);
  assert.deepEqual(messages(role('Role', [{ nonResourceURLs: ['/metrics'], verbs: ['get'] }])), [
    'rules.0: nonResourceURLs belong in a ClusterRole, not a Role',
  ]);
  assert.deepEqual(
    messages(
      role('ClusterRole', [
        { apiGroups: [''], resources: ['pods'], nonResourceURLs: ['/x'], verbs: ['get'] },
      ]),
    ),
    ['rules.0: a rule cannot apply to both resources and nonResourceURLs'],
  );
});

test('aggregation selectors with an operator that does not exist, or values where none belong, are named', () => {
  const selectors = (matchExpressions: unknown[]) => ({
    apiVersion: GROUP,
    kind: 'ClusterRole',
    metadata: { name: 'agg' },
    aggregationRule: { clusterRoleSelectors: [{ matchExpressions }] },
  });
  assert.deepEqual(messages(selectors([{ key: 'a', operator: 'In', values: ['x'] }])), []);
  assert.deepEqual(messages(selectors([{ key: 'a', operator: 'Equals', values: ['x'] }])), [
    'aggregationRule.clusterRoleSelectors.0.matchExpressions.0.operator: unknown operator "Equals": the selector matches nothing',
  ]);
  assert.deepEqual(
    messages(
      selectors([
        { operator: 'Exists' },
        { key: 'b', operator: 'In' },
        { key: 'c', operator: 'Exists', values: ['v'] },
      ]),
    ),
    [
      'aggregationRule.clusterRoleSelectors.0.matchExpressions.0: a requirement needs a key (the API server refuses it): the selector matches nothing',
      'aggregationRule.clusterRoleSelectors.0.matchExpressions.1: In needs at least one value (the API server refuses it): the selector matches nothing',
      'aggregationRule.clusterRoleSelectors.0.matchExpressions.2.values: Exists takes no values (the API server refuses it): the selector matches nothing',
    ],
  );
});

test('bindings: a role of the wrong kind, subjects of no known kind or without a name', () => {
  const binding = (kind: string, roleRef: unknown, subjects?: unknown[]) => ({
    apiVersion: GROUP,
    kind,
    metadata: { name: 'b', namespace: 'ns' },
    roleRef,
    ...(subjects ? { subjects } : {}),
  });
  const view = { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'view' };
  assert.deepEqual(messages(binding('RoleBinding', view, [{ kind: 'User', name: 'alice' }])), []);
  // The API server defaults a missing roleRef.apiGroup; a kustomize patch may leave roleRef out altogether.
  assert.deepEqual(messages(binding('RoleBinding', { kind: 'Role', name: 'r' })), []);
  assert.deepEqual(messages(binding('RoleBinding', undefined, [{ kind: 'Group', name: 'g' }])), []);
  assert.deepEqual(messages(binding('ClusterRoleBinding', { kind: 'Role', name: 'r', apiGroup: 'rbac' })), [
    'roleRef.kind: roleRef.kind must be ClusterRole',
    'roleRef.apiGroup: roleRef.apiGroup must be rbac.authorization.k8s.io',
  ]);
  assert.deepEqual(
    messages(
      binding('RoleBinding', view, [
        { kind: 'user', name: 'a' },
        { kind: 'Robot', name: 'b' },
        { kind: 'User' },
      ]),
    ),
    [
      'subjects.0.kind: a subject kind must be User, Group or ServiceAccount (this subject is granted nothing)',
      'subjects.1.kind: a subject kind must be User, Group or ServiceAccount (this subject is granted nothing)',
      'subjects.2: a subject needs a name',
    ],
  );
});

test('kustomize patches, other API groups and other kinds are not judged', () => {
  assert.deepEqual(
    messages({
      $patch: 'delete',
      apiVersion: GROUP,
      kind: 'ClusterRoleBinding',
      metadata: { name: 'x' },
      roleRef: {},
    }),
    [],
  );
  assert.deepEqual(messages({ apiVersion: 'v1', kind: 'Role', rules: [{}] }), []);
  assert.deepEqual(messages({ apiVersion: GROUP, kind: 'Pod', rules: [{}] }), []);
});

test('every rule example, passing or failing, is an object the API server accepts', () => {
  for (const rule of builtinRules)
    for (const object of [...rule.examples.pass, ...rule.examples.fail])
      assert.deepEqual(rbacObjectProblems(object), [], `${rule.id}: ${object.kind}/${object.metadata.name}`);
});
