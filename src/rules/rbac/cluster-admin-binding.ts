import { defineRule } from '../../core/rule.ts';
import { checkPower, RBAC_KINDS } from '../../rbac/power-violations.ts';
import {
  clusterRole,
  clusterRoleBinding,
  group,
  roleBinding,
  serviceAccount,
  user,
} from './rbac-examples.ts';

export default defineRule({
  id: 'cluster-admin-binding',
  title: 'cluster-admin (or an equivalent role) granted to a non-system subject',
  severity: 'critical',
  domain: 'rbac',
  kinds: RBAC_KINDS,
  phase: 'deploy',
  layer: 'cluster',
  frameworks: {
    'cis-k8s': ['5.1.1'],
    'nsa-cisa': ['rbac', 'authentication-authorization'],
    'mitre-attack': ['T1078', 'T1098.006'],
  },
  description:
    'A subject bound to `cluster-admin`, or to any role with `*` verbs on `*` resources in every API group, can do anything: read every Secret, run any workload as any ServiceAccount, change RBAC itself. ' +
    'Through a ClusterRoleBinding that is the whole cluster; through a RoleBinding, everything in the namespace. Installed software asks for it far more often than it needs it. ' +
    "Kubernetes' own components are not reported when they hold their own narrow roles (a `system:` user or group bound to a built-in component role, the controllers' kube-system ServiceAccounts bound by the bootstrap policy), nor is `system:masters`, whose members bypass authorization anyway. " +
    'cluster-admin given to `system:nodes`, `system:bootstrappers` (anyone with a bootstrap token) or any other `system:` name is reported.',
  remediation:
    'Bind a role that lists only the verbs and resources the subject uses, in the namespaces it works in; keep cluster-admin for break-glass human access.',
  references: [
    'https://kubernetes.io/docs/concepts/security/rbac-good-practices/',
    'https://kubernetes.io/docs/reference/access-authn-authz/rbac/',
    'https://kubernetes.io/docs/reference/access-authn-authz/rbac/#user-facing-roles',
  ],
  examples: {
    pass: [
      clusterRoleBinding('masters', 'cluster-admin', [group('system:masters')]),
      clusterRoleBinding('viewers', 'view', [user('alice')]),
    ],
    fail: [
      clusterRoleBinding('ci-admin', 'cluster-admin', [serviceAccount('ci', 'deployer')]),
      roleBinding('team-a', 'team-admin', { kind: 'ClusterRole', name: 'cluster-admin' }, [group('team-a')]),
      clusterRole('operator', [{ apiGroups: ['*'], resources: ['*'], verbs: ['*'] }]),
    ],
  },
  check: (object, context) => checkPower(object, context.inventory, 'cluster-admin'),
});
