import type { Inventory } from '../../core/inventory.ts';
import type { Violation } from '../../core/rule.ts';
import { defineRule } from '../../core/rule.ts';
import { formatBinding } from '../../rbac/binding-records.ts';
import { CONTROLLER_SERVICE_ACCOUNTS } from '../../rbac/default-cluster-roles.ts';
import { RbacIndex } from '../../rbac/rbac-index.ts';
import { formatSubject } from '../../rbac/subject.ts';
import { clusterRoleBinding, roleBinding, serviceAccount, user } from './rbac-examples.ts';

const ACCOUNT_NAMESPACES = Symbol('namespaces with ServiceAccounts');

/**
 * Namespaces the inputs own: they define the Namespace object or some of its ServiceAccounts. Only there can a missing
 * ServiceAccount be told from one defined elsewhere.
 */
function namespacesWithAccounts(inventory: Inventory): ReadonlySet<string> {
  return inventory.derive(ACCOUNT_NAMESPACES, () => {
    const out = new Set<string>();
    for (const entry of inventory.ofKind('Namespace')) out.add(entry.ref.name);
    for (const entry of inventory.ofKind('ServiceAccount'))
      if (entry.ref.namespace) out.add(entry.ref.namespace);
    return out;
  });
}

export default defineRule({
  id: 'binding-missing-reference',
  title: 'Binding to a role or ServiceAccount that does not exist',
  severity: 'medium',
  domain: 'rbac',
  kinds: ['RoleBinding', 'ClusterRoleBinding'],
  phase: 'deploy',
  layer: 'cluster',
  // What it looks for (a RuntimeClass, a Role) is another object, which an admission request does not carry.
  admission: 'needs-cluster',
  frameworks: { 'nsa-cisa': ['rbac'], 'mitre-attack': ['T1078'] },
  description:
    'A binding whose role does not exist grants nothing today, but whoever later creates a role of that name decides what its subjects get; a binding to a ServiceAccount that does not exist hands its power to whoever creates that account. ' +
    'Both are usually leftovers of removed software or typos. Roles are looked up in the scanned inputs and among the default roles of Kubernetes; ServiceAccounts only in namespaces the inputs own (they define the Namespace or some of its ServiceAccounts) (the `default` account, and the accounts of the controllers in kube-system, always exist). ' +
    'A roleRef the API server would refuse (a ClusterRoleBinding naming a Role, a wrong apiGroup or kind) is reported too.',
  remediation: 'Delete the binding, or create (or correct the name of) the role or ServiceAccount it means.',
  references: [
    'https://kubernetes.io/docs/concepts/security/rbac-good-practices/',
    'https://kubernetes.io/docs/reference/access-authn-authz/rbac/',
  ],
  examples: {
    pass: [
      clusterRoleBinding('viewers', 'view', [user('alice')]),
      roleBinding('apps', 'api', { kind: 'ClusterRole', name: 'view' }, [serviceAccount('apps', 'default')]),
    ],
    fail: [
      clusterRoleBinding('old-operator', 'old-operator', [serviceAccount('ops', 'operator')]),
      roleBinding('apps', 'reader', { kind: 'Role', name: 'reader' }, [user('alice')]),
    ],
  },
  check: (object, context) => {
    const index = RbacIndex.of(context.inventory);
    const binding = index.bindingOfObject(object);
    if (!binding) return [];
    const out: Violation[] = [];
    const resolution = index.roleOf(binding);
    if (!resolution.ok)
      out.push({
        message:
          resolution.problem.type === 'missing'
            ? `${resolution.problem.message} in the scanned inputs${binding.roleRef.kind === 'ClusterRole' ? ' nor among the Kubernetes default ClusterRoles' : ' nor among the Kubernetes default Roles'}: whoever creates it decides what the subjects get`
            : `${resolution.problem.message}: the API server refuses this binding`,
        path: ['roleRef', 'name'],
      });
    const known = namespacesWithAccounts(context.inventory);
    binding.subjects.forEach((subject, subjectIndex) => {
      if (subject?.kind !== 'ServiceAccount' || subject.name === 'default') return;
      if (subject.namespace === 'kube-system' && CONTROLLER_SERVICE_ACCOUNTS.has(subject.name)) return;
      if (subject.namespace === '') {
        out.push({
          message: `${formatBinding(binding)}: ServiceAccount subject ${subject.name} has no namespace, so it matches nobody`,
          path: ['subjects', subjectIndex],
        });
        return;
      }
      if (!known.has(subject.namespace)) return;
      const inventory = context.inventory;
      if (inventory.get('ServiceAccount', subject.namespace, subject.name)) return;
      if (subject.namespace === 'default' && inventory.get('ServiceAccount', undefined, subject.name)) return;
      out.push({
        message: `${formatBinding(binding)} grants to ${formatSubject(subject)}, which the inputs do not define although they define namespace ${subject.namespace} or its ServiceAccounts: whoever creates it gets the binding's power`,
        path: ['subjects', subjectIndex],
      });
    });
    return out;
  },
});
