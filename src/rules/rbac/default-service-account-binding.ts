import type { Violation } from '../../core/rule.ts';
import { defineRule } from '../../core/rule.ts';
import { formatBinding } from '../../rbac/binding-records.ts';
import { describeRole, isClusterAdminEquivalent } from '../../rbac/power-violations.ts';
import { RbacIndex } from '../../rbac/rbac-index.ts';
import { serviceAccountOfUser } from '../../rbac/subject.ts';
import { isSystemComponent } from '../../rbac/system-subjects.ts';
import { clusterRoleBinding, roleBinding, serviceAccount, user } from './rbac-examples.ts';

export default defineRule({
  id: 'default-service-account-binding',
  title: 'Role bound to a default ServiceAccount',
  severity: 'medium',
  domain: 'rbac',
  kinds: ['RoleBinding', 'ClusterRoleBinding'],
  phase: 'deploy',
  layer: 'cluster',
  frameworks: {
    'cis-k8s': ['5.1.5'],
    'nsa-cisa': ['rbac', 'service-account-tokens'],
    'mitre-attack': ['T1078.001'],
  },
  description:
    'Every namespace has a `default` ServiceAccount, and every pod that names no ServiceAccount runs as it. A role bound to it is therefore granted to every such pod of the namespace, present and future, whoever deploys it.',
  remediation:
    'Create a dedicated ServiceAccount for the workload that needs the role, bind the role to it, and set `serviceAccountName` in that workload only.',
  references: [
    'https://kubernetes.io/docs/concepts/security/rbac-good-practices/',
    'https://kubernetes.io/docs/reference/access-authn-authz/rbac/',
    'https://kubernetes.io/docs/concepts/security/service-accounts/#default-service-accounts',
  ],
  examples: {
    pass: [
      roleBinding('apps', 'api-reader', { kind: 'ClusterRole', name: 'view' }, [
        serviceAccount('apps', 'api'),
      ]),
    ],
    fail: [
      roleBinding('apps', 'default-view', { kind: 'ClusterRole', name: 'view' }, [
        serviceAccount('apps', 'default'),
      ]),
      clusterRoleBinding('default-admin', 'cluster-admin', [serviceAccount('kube-system', 'default')]),
      // The account named by the user name it authenticates as.
      roleBinding('apps', 'default-edit', { kind: 'ClusterRole', name: 'edit' }, [
        user('system:serviceaccount:apps:default'),
      ]),
    ],
  },
  check: (object, context) => {
    const index = RbacIndex.of(context.inventory);
    const binding = index.bindingOfObject(object);
    if (!binding) return [];
    const resolution = index.roleOf(binding);
    const roleText = resolution.ok
      ? describeRole(resolution.role)
      : `${binding.roleRef.kind} ${binding.roleRef.name} (not found)`;
    const clusterAdmin = resolution.ok && isClusterAdminEquivalent(resolution.role);
    const out: Violation[] = [];
    binding.subjects.forEach((subject, index) => {
      if (!subject || isSystemComponent(subject, binding, clusterAdmin)) return;
      // The account may be named as a ServiceAccount or by the user name it authenticates as.
      const account =
        subject.kind === 'ServiceAccount'
          ? subject
          : subject.kind === 'User'
            ? serviceAccountOfUser(subject.name)
            : undefined;
      if (account?.name !== 'default') return;
      out.push({
        message: `the default ServiceAccount of namespace ${account.namespace || '(unset)'} is bound to ${roleText} by ${formatBinding(binding)}: every pod of that namespace without its own ServiceAccount gets it`,
        path: ['subjects', index],
      });
    });
    return out;
  },
});
