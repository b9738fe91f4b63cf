import { defineRule } from '../../core/rule.ts';
import { checkPower, RBAC_KINDS } from '../../rbac/power-violations.ts';
import { clusterRole, clusterRoleBinding, role, user } from './rbac-examples.ts';

export default defineRule({
  id: 'service-account-token-create',
  title: 'Create ServiceAccount tokens',
  severity: 'high',
  domain: 'rbac',
  kinds: RBAC_KINDS,
  phase: 'deploy',
  layer: 'cluster',
  frameworks: {
    'cis-k8s': ['5.1.13'],
    'nsa-cisa': ['rbac', 'service-account-tokens'],
    'mitre-attack': ['T1528', 'T1550.001'],
  },
  description:
    '`create` on `serviceaccounts/token` issues a token for a ServiceAccount (the TokenRequest API): the holder then acts as that account, with its permissions, for as long as the token lives. Without `resourceNames` it covers every ServiceAccount of the namespace, or of the cluster through a ClusterRoleBinding; with them, the named accounts (the request names its account in the URL), which the finding lists.',
  remediation:
    'Remove it, or limit it with `resourceNames` to the ServiceAccounts a token broker really serves; the limited grant is still reported, naming those accounts, because it is their power: review it and accept it with an exception.',
  references: [
    'https://kubernetes.io/docs/concepts/security/rbac-good-practices/',
    'https://kubernetes.io/docs/reference/access-authn-authz/rbac/',
    'https://kubernetes.io/docs/reference/kubernetes-api/authentication-resources/token-request-v1/',
  ],
  examples: {
    pass: [
      role('apps', 'sa-reader', [
        { apiGroups: [''], resources: ['serviceaccounts'], verbs: ['get', 'list'] },
      ]),
      clusterRoleBinding('viewers', 'view', [user('alice')]),
    ],
    fail: [
      role('apps', 'token-maker', [
        { apiGroups: [''], resources: ['serviceaccounts/token'], verbs: ['create'] },
      ]),
      clusterRole('any-token', [{ apiGroups: [''], resources: ['*/token'], verbs: ['create'] }]),
    ],
  },
  check: (object, context) => checkPower(object, context.inventory, 'create-token'),
});
