// What the API server's validation of rbac.authorization.k8s.io/v1 refuses and the type check does not see: a
// binding to a role of the wrong kind, a subject of no known kind, a rule without verbs or API groups, a selector operator that
// does not exist. Such an object grants nothing in a cluster; read from files it is said, not silently ignored.
import { isRecord, type KubeObject } from '../core/kube-object.ts';
import { requirementProblems } from '../core/label-selector.ts';
import type { ObjectProblem } from './object-problem.ts';

const SUBJECT_KINDS = new Set(['User', 'Group', 'ServiceAccount']);
const RBAC_GROUP = 'rbac.authorization.k8s.io';

const isNonEmptyList = (value: unknown): boolean => Array.isArray(value) && value.length > 0;

/**
 * The API group a binding subject may name, as the API server validates it: users and groups are of
 * rbac.authorization.k8s.io (an empty group is defaulted to it), ServiceAccounts of the core group.
 */
export function subjectApiGroupValid(kind: unknown, apiGroup: unknown): boolean {
  if (apiGroup === undefined || apiGroup === null || apiGroup === '') return true;
  return (kind === 'User' || kind === 'Group') && apiGroup === RBAC_GROUP;
}

/** Problems of a Role, ClusterRole, RoleBinding or ClusterRoleBinding (wrong types are the type check's). */
export function rbacObjectProblems(object: KubeObject): ObjectProblem[] {
  // A kustomize patch (`$patch: delete`, or a partial object) is not the whole object: only what it holds is judged.
  if (!object.apiVersion?.startsWith(`${RBAC_GROUP}/`) || Object.hasOwn(object, '$patch')) return [];
  switch (object.kind) {
    case 'Role':
    case 'ClusterRole':
      return [...ruleProblems(object), ...aggregationProblems(object)];
    case 'RoleBinding':
    case 'ClusterRoleBinding':
      return bindingProblems(object);
    default:
      return [];
  }
}

function ruleProblems(object: KubeObject): ObjectProblem[] {
  const rules = object.rules;
  if (!Array.isArray(rules)) return [];
  const problems: ObjectProblem[] = [];
  rules.forEach((rule: unknown, index) => {
    if (!isRecord(rule)) return;
    const path = ['rules', index];
    if (!isNonEmptyList(rule.verbs)) problems.push({ path, message: 'a rule needs verbs' });
    // As the API server validates a rule: a non-resource rule names URLs only, a resource rule groups and resources.
    if (isNonEmptyList(rule.nonResourceURLs)) {
      if (object.kind === 'Role')
        problems.push({ path, message: 'nonResourceURLs belong in a ClusterRole, not a Role' });
      if (
        isNonEmptyList(rule.apiGroups) ||
        isNonEmptyList(rule.resources) ||
        isNonEmptyList(rule.resourceNames)
      )
        problems.push({ path, message: 'a rule cannot apply to both resources and nonResourceURLs' });
      return;
    }
    if (!isNonEmptyList(rule.apiGroups))
      problems.push({ path, message: 'a resource rule needs apiGroups ("" for the core group)' });
    if (!isNonEmptyList(rule.resources)) problems.push({ path, message: 'a resource rule needs resources' });
  });
  return problems;
}

function aggregationProblems(object: KubeObject): ObjectProblem[] {
  const aggregation = object.aggregationRule;
  if (!isRecord(aggregation) || !Array.isArray(aggregation.clusterRoleSelectors)) return [];
  const problems: ObjectProblem[] = [];
  aggregation.clusterRoleSelectors.forEach((selector: unknown, at) => {
    if (!isRecord(selector) || !Array.isArray(selector.matchExpressions)) return;
    selector.matchExpressions.forEach((requirement: unknown, index) => {
      problems.push(
        ...requirementProblems(requirement, [
          'aggregationRule',
          'clusterRoleSelectors',
          at,
          'matchExpressions',
          index,
        ]),
      );
    });
  });
  return problems;
}

function bindingProblems(object: KubeObject): ObjectProblem[] {
  const problems: ObjectProblem[] = [];
  // A missing roleRef is not judged: a kustomize patch of a binding's subjects leaves it out. A missing
  // roleRef.apiGroup is defaulted by the API server; only a wrong one is refused.
  const roleRef = object.roleRef;
  if (isRecord(roleRef)) {
    const kinds = object.kind === 'RoleBinding' ? ['Role', 'ClusterRole'] : ['ClusterRole'];
    if (typeof roleRef.kind !== 'string' || !kinds.includes(roleRef.kind))
      problems.push({ path: ['roleRef', 'kind'], message: `roleRef.kind must be ${kinds.join(' or ')}` });
    if (typeof roleRef.name !== 'string' || roleRef.name === '')
      problems.push({ path: ['roleRef', 'name'], message: 'roleRef needs a name' });
    if (roleRef.apiGroup !== undefined && roleRef.apiGroup !== '' && roleRef.apiGroup !== RBAC_GROUP)
      problems.push({ path: ['roleRef', 'apiGroup'], message: `roleRef.apiGroup must be ${RBAC_GROUP}` });
  }
  const subjects = object.subjects;
  if (!Array.isArray(subjects)) return problems;
  subjects.forEach((subject: unknown, index) => {
    if (!isRecord(subject)) return;
    const path = ['subjects', index];
    if (typeof subject.kind !== 'string' || !SUBJECT_KINDS.has(subject.kind))
      problems.push({
        path: [...path, 'kind'],
        message: 'a subject kind must be User, Group or ServiceAccount (this subject is granted nothing)',
      });
    if (typeof subject.name !== 'string' || subject.name === '')
      problems.push({ path, message: 'a subject needs a name' });
    if (SUBJECT_KINDS.has(String(subject.kind)) && !subjectApiGroupValid(subject.kind, subject.apiGroup))
      problems.push({
        path: [...path, 'apiGroup'],
        message: `${subject.kind === 'ServiceAccount' ? 'a ServiceAccount subject has no apiGroup' : `a ${String(subject.kind)} subject's apiGroup must be ${RBAC_GROUP}`} (this subject is granted nothing)`,
      });
  });
  return problems;
}
