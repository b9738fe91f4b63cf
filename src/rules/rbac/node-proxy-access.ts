import { defineRule } from '../../core/rule.ts';
import { checkPower, RBAC_KINDS } from '../../rbac/power-violations.ts';
import { clusterRole, clusterRoleBinding, serviceAccount, user } from './rbac-examples.ts';

export default defineRule({
  id: 'node-proxy-access',
  title: 'Access to the kubelet API through nodes/proxy',
  severity: 'high',
  domain: 'rbac',
  kinds: RBAC_KINDS,
  phase: 'deploy',
  layer: 'cluster',
  frameworks: { 'cis-k8s': ['5.1.10'], 'nsa-cisa': ['rbac'], 'mitre-attack': ['T1609'] },
  description:
    '`nodes/proxy` forwards requests to the kubelet API of any node, which can run commands in every pod on that node; requests through it bypass admission control and are not audited as pod exec. ' +
    'Monitoring agents often ask for it to scrape metrics that `nodes/metrics` or `nodes/stats` would serve. Only a ClusterRoleBinding grants it (nodes are cluster-scoped).',
  remediation: 'Grant `nodes/metrics`, `nodes/stats` or `nodes/log` for monitoring instead of `nodes/proxy`.',
  references: [
    'https://kubernetes.io/docs/concepts/security/rbac-good-practices/',
    'https://kubernetes.io/docs/reference/access-authn-authz/rbac/',
    'https://kubernetes.io/docs/reference/access-authn-authz/kubelet-authn-authz/',
  ],
  examples: {
    pass: [
      clusterRole('metrics', [
        { apiGroups: [''], resources: ['nodes/metrics', 'nodes/stats'], verbs: ['get'] },
      ]),
      clusterRoleBinding('viewers', 'view', [user('alice')]),
    ],
    fail: [
      clusterRole('scraper', [{ apiGroups: [''], resources: ['nodes/proxy'], verbs: ['get'] }]),
      clusterRoleBinding('kubelet-api', 'system:kubelet-api-admin', [serviceAccount('monitoring', 'agent')]),
    ],
  },
  check: (object, context) => checkPower(object, context.inventory, 'node-proxy'),
});
