import { defineRule } from '../../core/rule.ts';
import { checkPower, RBAC_KINDS } from '../../rbac/power-violations.ts';
import { clusterRole, clusterRoleBinding, role, roleBinding, serviceAccount, user } from './rbac-examples.ts';

export default defineRule({
  id: 'escalate-bind-impersonate',
  title: 'RBAC escalate, bind or impersonate granted',
  severity: 'high',
  domain: 'rbac',
  kinds: RBAC_KINDS,
  phase: 'deploy',
  layer: 'cluster',
  frameworks: {
    'cis-k8s': ['5.1.8'],
    'nsa-cisa': ['rbac'],
    'mitre-attack': ['T1078', 'T1098.006'],
  },
  description:
    'RBAC stops a subject from granting permissions it does not hold, except through three verbs: `escalate` on roles lets it add any permission to a role it can edit, `bind` lets it bind roles holding permissions it lacks, and `impersonate` on users, groups or ServiceAccounts lets it act as them (impersonating the `system:masters` group is cluster-admin). ' +
    'Each is a direct path to more privilege.',
  remediation:
    'Remove `escalate`, `bind` and `impersonate` (and `*` verbs on roles, clusterroles, users, groups and serviceaccounts); where a controller needs them, restrict them with `resourceNames` to the roles or identities it manages. A restricted grant is still reported, naming those objects, because what it reaches depends on what they hold (impersonating a user who is cluster-admin is cluster-admin): review it, then accept it with an exception.',
  references: [
    'https://kubernetes.io/docs/concepts/security/rbac-good-practices/',
    'https://kubernetes.io/docs/reference/access-authn-authz/rbac/',
    'https://kubernetes.io/docs/reference/access-authn-authz/rbac/#privilege-escalation-prevention-and-bootstrapping',
  ],
  examples: {
    pass: [
      role('apps', 'role-reader', [
        { apiGroups: ['rbac.authorization.k8s.io'], resources: ['roles'], verbs: ['get', 'list'] },
      ]),
      clusterRoleBinding('viewers', 'view', [user('alice')]),
    ],
    fail: [
      clusterRole('impersonator', [
        { apiGroups: [''], resources: ['users', 'groups'], verbs: ['impersonate'] },
      ]),
      role('apps', 'role-binder', [
        { apiGroups: ['rbac.authorization.k8s.io'], resources: ['clusterroles'], verbs: ['bind'] },
      ]),
      // `edit` lets its subjects impersonate the namespace's ServiceAccounts.
      roleBinding('apps', 'ci-edit', { kind: 'ClusterRole', name: 'edit' }, [serviceAccount('apps', 'ci')]),
    ],
  },
  check: (object, context) => checkPower(object, context.inventory, 'escalate-bind-impersonate'),
});
