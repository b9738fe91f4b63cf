import { defineRule } from '../../core/rule.ts';
import { checkPower, RBAC_KINDS } from '../../rbac/power-violations.ts';
import { clusterRoleBinding, role, roleBinding, serviceAccount, user } from './rbac-examples.ts';

export default defineRule({
  id: 'pod-exec-access',
  title: 'Exec, attach, port-forward, ephemeral containers or image changes in pods',
  severity: 'high',
  domain: 'rbac',
  kinds: RBAC_KINDS,
  phase: 'deploy',
  layer: 'cluster',
  frameworks: { 'nsa-cisa': ['rbac'], 'mitre-attack': ['T1609', 'T1528'] },
  description:
    "`pods/exec`, `pods/attach` and `pods/portforward` (authorised as `create`, and as `get` over WebSockets) run commands in, attach to or open ports into running containers; `update`/`patch` on `pods/ephemeralcontainers` adds a container to a running pod; `update`/`patch` on `pods` may change its containers' images, and the kubelet restarts them with the new image. " +
    'Each gives the holder whatever the pod holds: its files, its network position and its ServiceAccount token.',
  remediation:
    'Grant these subresources, and `update`/`patch` on pods, only to people who debug the namespace, not to workloads; use audit logging and short-lived access for debugging.',
  references: [
    'https://kubernetes.io/docs/concepts/security/rbac-good-practices/',
    'https://kubernetes.io/docs/reference/access-authn-authz/rbac/',
  ],
  examples: {
    pass: [
      role('apps', 'log-reader', [
        { apiGroups: [''], resources: ['pods', 'pods/log'], verbs: ['get', 'list'] },
      ]),
      clusterRoleBinding('viewers', 'view', [user('alice')]),
    ],
    fail: [
      role('apps', 'debugger', [{ apiGroups: [''], resources: ['pods/exec'], verbs: ['create'] }]),
      role('apps', 'ephemeral', [
        { apiGroups: [''], resources: ['pods/ephemeralcontainers'], verbs: ['patch'] },
      ]),
      role('apps', 'pod-patcher', [{ apiGroups: [''], resources: ['pods'], verbs: ['get', 'patch'] }]),
      roleBinding('apps', 'bot-edit', { kind: 'ClusterRole', name: 'edit' }, [serviceAccount('apps', 'bot')]),
    ],
  },
  check: (object, context) => checkPower(object, context.inventory, 'pod-exec'),
});
