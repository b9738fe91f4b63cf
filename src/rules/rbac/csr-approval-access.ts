import { defineRule } from '../../core/rule.ts';
import { checkPower, RBAC_KINDS } from '../../rbac/power-violations.ts';
import { clusterRole, clusterRoleBinding, user } from './rbac-examples.ts';

const CSR = 'certificates.k8s.io';

export default defineRule({
  id: 'csr-approval-access',
  title: 'Approve CertificateSigningRequests',
  severity: 'high',
  domain: 'rbac',
  kinds: RBAC_KINDS,
  phase: 'deploy',
  layer: 'cluster',
  frameworks: {
    'cis-k8s': ['5.1.11'],
    'nsa-cisa': ['rbac', 'authentication'],
    'mitre-attack': ['T1078', 'T1550.001'],
  },
  description:
    'Updating `certificatesigningrequests/approval` together with `approve` on a signer lets a subject approve certificate requests; with `create` on `certificatesigningrequests` as well it can request and approve a client certificate for any user and group, `system:masters` included, through the `kubernetes.io/kube-apiserver-client` signer: cluster-admin that RBAC cannot revoke. ' +
    'The two permissions may come from two ClusterRoleBindings of the same subject (RBAC adds grants up): each binding that gives a part the other does not is reported, naming the other; groups a user belongs to are not in the inputs, so a part held through a group is not combined.',
  remediation:
    'Leave CSR approval to the controller manager and trusted approvers; if an approver is needed, limit `approve` with `resourceNames` to the one signer it serves.',
  references: [
    'https://kubernetes.io/docs/concepts/security/rbac-good-practices/',
    'https://kubernetes.io/docs/reference/access-authn-authz/rbac/',
    'https://kubernetes.io/docs/reference/access-authn-authz/certificate-signing-requests/#authorization',
  ],
  examples: {
    pass: [
      clusterRole('csr-requester', [
        { apiGroups: [CSR], resources: ['certificatesigningrequests'], verbs: ['create', 'get'] },
      ]),
      clusterRoleBinding('viewers', 'view', [user('alice')]),
    ],
    fail: [
      clusterRole('csr-approver', [
        { apiGroups: [CSR], resources: ['certificatesigningrequests'], verbs: ['create', 'get'] },
        { apiGroups: [CSR], resources: ['certificatesigningrequests/approval'], verbs: ['update'] },
        {
          apiGroups: [CSR],
          resources: ['signers'],
          resourceNames: ['kubernetes.io/kube-apiserver-client'],
          verbs: ['approve'],
        },
      ]),
    ],
  },
  check: (object, context) => checkPower(object, context.inventory, 'approve-csr'),
});
