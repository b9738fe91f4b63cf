import { defineRule } from '../../core/rule.ts';
import { checkPower, RBAC_KINDS } from '../../rbac/power-violations.ts';
import { clusterRole, clusterRoleBinding, role, user } from './rbac-examples.ts';

export default defineRule({
  id: 'wildcard-permissions',
  title: 'Wildcard in RBAC verbs, resources or API groups',
  severity: 'medium',
  domain: 'rbac',
  kinds: RBAC_KINDS,
  phase: 'deploy',
  layer: 'cluster',
  frameworks: { 'cis-k8s': ['5.1.3'], 'nsa-cisa': ['rbac'], 'mitre-attack': ['T1078'] },
  description:
    'A `*` in `verbs`, `resources` or `apiGroups` grants every present and future verb, resource or API group, including subresources such as `pods/exec` and verbs such as `escalate`, `bind` and `impersonate`, and every custom resource installed later. ' +
    'Full `*`/`*`/`*` roles are reported by `cluster-admin-binding` instead.',
  remediation: 'List the verbs, resources and API groups the subject needs explicitly.',
  references: [
    'https://kubernetes.io/docs/concepts/security/rbac-good-practices/',
    'https://kubernetes.io/docs/reference/access-authn-authz/rbac/',
  ],
  examples: {
    pass: [
      role('apps', 'reader', [{ apiGroups: [''], resources: ['configmaps'], verbs: ['get', 'list'] }]),
      clusterRoleBinding('viewers', 'view', [user('alice')]),
    ],
    fail: [
      role('apps', 'config-admin', [{ apiGroups: [''], resources: ['configmaps'], verbs: ['*'] }]),
      clusterRole('crd-reader', [{ apiGroups: ['*'], resources: ['*'], verbs: ['get', 'list'] }]),
    ],
  },
  check: (object, context) => checkPower(object, context.inventory, 'wildcard'),
});
