// Builders for the RBAC objects rule examples and tests use.
import type { KubeObject } from '../../core/kube-object.ts';

const API = 'rbac.authorization.k8s.io/v1';
const GROUP = 'rbac.authorization.k8s.io';

export interface RuleSpec {
  apiGroups?: string[];
  resources?: string[];
  resourceNames?: string[];
  nonResourceURLs?: string[];
  verbs: string[];
}

export type SubjectSpec = Record<string, string>;

export const user = (name: string): SubjectSpec => ({ kind: 'User', name, apiGroup: GROUP });
export const group = (name: string): SubjectSpec => ({ kind: 'Group', name, apiGroup: GROUP });
export const serviceAccount = (namespace: string, name: string): SubjectSpec => ({
  kind: 'ServiceAccount',
  name,
  namespace,
});

export function clusterRole(
  name: string,
  rules: RuleSpec[],
  extra: { labels?: Record<string, string>; aggregateLabels?: Record<string, string>[] } = {},
): KubeObject {
  const object: KubeObject = { apiVersion: API, kind: 'ClusterRole', metadata: { name }, rules };
  if (extra.labels) object.metadata.labels = extra.labels;
  if (extra.aggregateLabels) {
    object.aggregationRule = {
      clusterRoleSelectors: extra.aggregateLabels.map((matchLabels) => ({ matchLabels })),
    };
    object.rules = [];
  }
  return object;
}

export function role(namespace: string, name: string, rules: RuleSpec[]): KubeObject {
  return { apiVersion: API, kind: 'Role', metadata: { name, namespace }, rules };
}

export function clusterRoleBinding(name: string, roleName: string, subjects: SubjectSpec[]): KubeObject {
  return {
    apiVersion: API,
    kind: 'ClusterRoleBinding',
    metadata: { name },
    roleRef: { apiGroup: GROUP, kind: 'ClusterRole', name: roleName },
    subjects,
  };
}

export function roleBinding(
  namespace: string,
  name: string,
  roleRef: { kind: 'Role' | 'ClusterRole'; name: string },
  subjects: SubjectSpec[],
): KubeObject {
  return {
    apiVersion: API,
    kind: 'RoleBinding',
    metadata: { name, namespace },
    roleRef: { apiGroup: GROUP, ...roleRef },
    subjects,
  };
}
