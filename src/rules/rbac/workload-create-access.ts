import { defineRule } from '../../core/rule.ts';
import { checkPower, RBAC_KINDS } from '../../rbac/power-violations.ts';
import { clusterRole, clusterRoleBinding, role, user } from './rbac-examples.ts';

export default defineRule({
  id: 'workload-create-access',
  title: 'Create pods, or create or change pod controllers',
  severity: 'medium',
  domain: 'rbac',
  kinds: RBAC_KINDS,
  phase: 'deploy',
  layer: 'cluster',
  frameworks: {
    'cis-k8s': ['5.1.4'],
    'nsa-cisa': ['rbac', 'service-account-tokens'],
    'mitre-attack': ['T1610', 'T1528'],
  },
  description:
    "Whoever can create a Pod, or create or update anything that makes pods (Deployment, ReplicaSet, StatefulSet, DaemonSet, Job, CronJob, ReplicationController; for a Job only create, since its pod template cannot change once created), can run it as any ServiceAccount of the namespace and read that account's token, mount the namespace's Secrets and ConfigMaps, and, unless Pod Security admission forbids it, run privileged containers on a node. " +
    "Its power is therefore the union of every ServiceAccount's in the namespace; `palisade rbac paths` shows where that leads.",
  remediation:
    'Let people and CI create workloads only in namespaces whose ServiceAccounts hold no more than they may hold themselves, and enforce Pod Security (baseline or restricted) there.',
  references: [
    'https://kubernetes.io/docs/concepts/security/rbac-good-practices/',
    'https://kubernetes.io/docs/reference/access-authn-authz/rbac/',
    'https://kubernetes.io/docs/concepts/security/rbac-good-practices/#workload-creation',
  ],
  examples: {
    pass: [
      role('apps', 'pod-reader', [{ apiGroups: [''], resources: ['pods'], verbs: ['get', 'list', 'watch'] }]),
      clusterRoleBinding('viewers', 'view', [user('alice')]),
    ],
    fail: [
      role('apps', 'deployer', [
        { apiGroups: ['apps'], resources: ['deployments'], verbs: ['create', 'update'] },
      ]),
      clusterRole('job-runner', [{ apiGroups: ['batch'], resources: ['jobs'], verbs: ['create'] }]),
    ],
  },
  check: (object, context) => checkPower(object, context.inventory, 'create-workloads'),
});
