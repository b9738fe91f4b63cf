import { defineRule } from '../../core/rule.ts';
import { checkPower, RBAC_KINDS } from '../../rbac/power-violations.ts';
import { clusterRole, clusterRoleBinding, user } from './rbac-examples.ts';

export default defineRule({
  id: 'persistent-volume-create',
  title: 'Create PersistentVolumes',
  severity: 'medium',
  domain: 'rbac',
  kinds: RBAC_KINDS,
  phase: 'deploy',
  layer: 'cluster',
  frameworks: { 'cis-k8s': ['5.1.9'], 'nsa-cisa': ['rbac'], 'mitre-attack': ['T1611'] },
  description:
    'A PersistentVolume can be a `hostPath` volume: whoever creates one, and a claim bound to it, mounts any directory of the node into a pod, escaping the container without Pod Security ever seeing a hostPath in the pod spec.',
  remediation:
    'Let a provisioner (StorageClass) create PersistentVolumes; grant users and workloads only PersistentVolumeClaims.',
  references: [
    'https://kubernetes.io/docs/concepts/security/rbac-good-practices/',
    'https://kubernetes.io/docs/reference/access-authn-authz/rbac/',
    'https://kubernetes.io/docs/concepts/security/rbac-good-practices/#persistent-volume-creation',
  ],
  examples: {
    pass: [
      clusterRole('claims', [
        { apiGroups: [''], resources: ['persistentvolumeclaims'], verbs: ['create', 'get'] },
      ]),
      clusterRoleBinding('viewers', 'view', [user('alice')]),
    ],
    fail: [
      clusterRole('pv-maker', [{ apiGroups: [''], resources: ['persistentvolumes'], verbs: ['create'] }]),
    ],
  },
  check: (object, context) => checkPower(object, context.inventory, 'create-persistent-volumes'),
});
