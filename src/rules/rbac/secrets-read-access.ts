import { defineRule } from '../../core/rule.ts';
import { checkPower, RBAC_KINDS } from '../../rbac/power-violations.ts';
import { clusterRole, clusterRoleBinding, group, role, roleBinding, user } from './rbac-examples.ts';

export default defineRule({
  id: 'secrets-read-access',
  title: 'Read access to Secrets',
  severity: 'high',
  domain: 'rbac',
  kinds: RBAC_KINDS,
  phase: 'deploy',
  layer: 'cluster',
  frameworks: {
    'cis-k8s': ['5.1.2'],
    'nsa-cisa': ['rbac', 'secrets'],
    'mitre-attack': ['T1552.007', 'T1528'],
  },
  description:
    "`get`, `list` or `watch` on Secrets reveals their values: credentials, TLS keys and, where legacy token Secrets exist, ServiceAccount tokens that act with those accounts' power. `list` and `watch` return every Secret's data, not only names. " +
    'Reported cluster-wide for ClusterRoleBindings and per namespace for RoleBindings.',
  remediation:
    'Grant Secret access only to the workloads that need it, in their own namespace, with `resourceNames` naming the Secrets; prefer mounting Secrets into pods over reading them through the API.',
  references: [
    'https://kubernetes.io/docs/concepts/security/rbac-good-practices/',
    'https://kubernetes.io/docs/reference/access-authn-authz/rbac/',
  ],
  examples: {
    pass: [
      role('apps', 'config-reader', [
        { apiGroups: [''], resources: ['configmaps'], verbs: ['get', 'list', 'watch'] },
      ]),
      clusterRoleBinding('viewers', 'view', [user('alice')]),
    ],
    fail: [
      clusterRole('secret-reader', [
        { apiGroups: [''], resources: ['secrets'], verbs: ['get', 'list', 'watch'] },
      ]),
      roleBinding('apps', 'devs-edit', { kind: 'ClusterRole', name: 'edit' }, [group('developers')]),
    ],
  },
  check: (object, context) => checkPower(object, context.inventory, 'read-secrets'),
});
