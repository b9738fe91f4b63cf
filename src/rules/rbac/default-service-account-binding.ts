import type { Violation } from '../../core/rule.ts';
import { defineRule } from '../../core/rule.ts';
import { formatBinding } from '../../rbac/binding-records.ts';
import { describeRole, isClusterAdminEquivalent } from '../../rbac/power-violations.ts';
import { grantsOnlyPublicInfo } from '../../rbac/public-info.ts';
import { RbacIndex } from '../../rbac/rbac-index.ts';
import { ALL_SERVICE_ACCOUNTS, type Subject, serviceAccountOfUser } from '../../rbac/subject.ts';
import { isSystemComponent } from '../../rbac/system-subjects.ts';
import { clusterRoleBinding, group, roleBinding, serviceAccount, user } from './rbac-examples.ts';

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
    'Every namespace has a `default` ServiceAccount, and every pod that names no ServiceAccount runs as it. A role bound to it is therefore granted to every such pod of the namespace, present and future, whoever deploys it. ' +
    'The account counts whether the binding names it as a ServiceAccount, by its user name (`system:serviceaccount:NS:default`), or through the groups every ServiceAccount token carries (`system:serviceaccounts:NS`, and `system:serviceaccounts` for every namespace); a group binding whose role only reads what the API server serves to everyone (the default OpenID issuer discovery binding) is not reported. ' +
    'A binding whose roleRef the API server refuses grants nothing and is left to `binding-missing-reference`.',
  remediation:
    'Create a dedicated ServiceAccount for the workload that needs the role, bind the role to it, and set `serviceAccountName` in that workload only.',
  references: [
    'https://kubernetes.io/docs/concepts/security/rbac-good-practices/',
    'https://kubernetes.io/docs/reference/access-authn-authz/rbac/',
    'https://kubernetes.io/docs/concepts/security/service-accounts/#default-service-accounts',
  ],
  examples: {
    pass: [
      clusterRoleBinding(
        'system:service-account-issuer-discovery',
        'system:service-account-issuer-discovery',
        [group('system:serviceaccounts')],
      ),
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
      // Every ServiceAccount of the namespace, the default one among them.
      roleBinding('apps', 'all-accounts-view', { kind: 'ClusterRole', name: 'view' }, [
        group('system:serviceaccounts:apps'),
      ]),
    ],
  },
  check: (object, context) => {
    const index = RbacIndex.of(context.inventory);
    const binding = index.bindingOfObject(object);
    if (!binding) return [];
    const resolution = index.roleOf(binding);
    // A roleRef the API server refuses grants nothing; binding-missing-reference says so.
    if (!resolution.ok && resolution.problem.type === 'invalid') return [];
    const roleText = resolution.ok
      ? describeRole(resolution.role)
      : `${binding.roleRef.kind} ${binding.roleRef.name} (not found)`;
    const clusterAdmin = resolution.ok && isClusterAdminEquivalent(resolution.role);
    // Every ServiceAccount may read what the API server serves to everyone (the default issuer-discovery binding).
    const onlyPublic = resolution.ok && grantsOnlyPublicInfo(resolution.role.rules, binding);
    const out: Violation[] = [];
    binding.subjects.forEach((subject, index) => {
      if (!subject || isSystemComponent(subject, binding, clusterAdmin)) return;
      const accounts = defaultAccountsOf(subject);
      if (accounts === undefined || (onlyPublic && subject.kind === 'Group')) return;
      out.push({
        message: `${accounts.who} is bound to ${roleText} by ${formatBinding(binding)}: ${accounts.reach}`,
        path: ['subjects', index],
      });
    });
    return out;
  },
});

/** Which default ServiceAccounts a subject stands for, and which pods that reaches, said for a message. */
function defaultAccountsOf(subject: Subject): { who: string; reach: string } | undefined {
  if (subject.kind === 'Group') {
    // Every ServiceAccount token carries these groups, the default accounts' included.
    const included = 'those without their own ServiceAccount included';
    if (subject.name === ALL_SERVICE_ACCOUNTS)
      return {
        who: 'every ServiceAccount of every namespace (group system:serviceaccounts)',
        reach: `every pod of the cluster gets it, ${included}`,
      };
    if (subject.name.startsWith(`${ALL_SERVICE_ACCOUNTS}:`)) {
      const namespace = subject.name.slice(ALL_SERVICE_ACCOUNTS.length + 1);
      return {
        who: `every ServiceAccount of namespace ${namespace} (group ${subject.name})`,
        reach: `every pod of that namespace gets it, ${included}`,
      };
    }
    return undefined;
  }
  // The account may be named as a ServiceAccount or by the user name it authenticates as.
  const account =
    subject.kind === 'ServiceAccount'
      ? subject
      : subject.kind === 'User'
        ? serviceAccountOfUser(subject.name)
        : undefined;
  if (account?.name !== 'default') return undefined;
  return {
    who: `the default ServiceAccount of namespace ${account.namespace || '(unset)'}`,
    reach: 'every pod of that namespace without its own ServiceAccount gets it',
  };
}
