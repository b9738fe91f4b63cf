import { defineRule } from '../../core/rule.ts';
import { checkPower, RBAC_KINDS } from '../../rbac/power-violations.ts';
import { clusterRole, clusterRoleBinding, user } from './rbac-examples.ts';

const GROUP = 'admissionregistration.k8s.io';

export default defineRule({
  id: 'webhook-config-write',
  title: 'Write access to admission webhook configurations',
  severity: 'high',
  domain: 'rbac',
  kinds: RBAC_KINDS,
  phase: 'deploy',
  layer: 'cluster',
  frameworks: { 'cis-k8s': ['5.1.12'], 'nsa-cisa': ['rbac'], 'mitre-attack': ['T1562.001', 'T1098.006'] },
  description:
    'Whoever can create, change or delete ValidatingWebhookConfigurations or MutatingWebhookConfigurations can switch off admission policy (Pod Security, image and policy webhooks), or send every object to a webhook of their own that reads it (Secrets included) and, if mutating, rewrites it: injecting containers or ServiceAccounts into every new pod.',
  remediation:
    'Grant these resources only to the controllers that own specific webhook configurations, limited with `resourceNames`.',
  references: [
    'https://kubernetes.io/docs/concepts/security/rbac-good-practices/',
    'https://kubernetes.io/docs/reference/access-authn-authz/rbac/',
    'https://kubernetes.io/docs/reference/access-authn-authz/extensible-admission-controllers/',
  ],
  examples: {
    pass: [
      clusterRole('webhook-reader', [
        { apiGroups: [GROUP], resources: ['validatingwebhookconfigurations'], verbs: ['get', 'list'] },
      ]),
      clusterRoleBinding('viewers', 'view', [user('alice')]),
    ],
    fail: [
      clusterRole('webhook-admin', [
        { apiGroups: [GROUP], resources: ['mutatingwebhookconfigurations'], verbs: ['create', 'patch'] },
      ]),
    ],
  },
  check: (object, context) => checkPower(object, context.inventory, 'write-webhooks'),
});
