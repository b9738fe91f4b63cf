// Which subjects are Kubernetes' own components getting their own roles: they are meant to hold those powers, so rules
// do not flag them. The name of a subject alone is not enough: `system:nodes` or `system:bootstrappers` bound to
// cluster-admin by someone's manifest is a cluster takeover, not a component at work.
import { SUPERUSER_GROUP } from './authorize.ts';
import type { BindingRecord } from './binding-records.ts';
import { DEFAULT_CLUSTER_ROLES, DEFAULT_ROLES } from './default-cluster-roles.ts';
import { roleKey } from './role-records.ts';
import { ANONYMOUS, isBroadGroup, type Subject, serviceAccountOfUser } from './subject.ts';

/** The roles for people, and the fragments aggregated into them: never a component's own role. */
function isUserFacingRole(name: string): boolean {
  return (
    name === 'cluster-admin' ||
    name === 'admin' ||
    name === 'edit' ||
    name === 'view' ||
    name.startsWith('system:aggregate-to-')
  );
}

const COMPONENT_CLUSTER_ROLES = new Set(
  DEFAULT_CLUSTER_ROLES.map((role) => role.name).filter((name) => !isUserFacingRole(name)),
);
const COMPONENT_ROLES = new Set(DEFAULT_ROLES.map((role) => roleKey(role.namespace ?? '', role.name)));

/** The binding names one of the narrow roles the bootstrap policy gives components (the catalogue of v1.36). */
function refersToComponentRole(binding: Pick<BindingRecord, 'kind' | 'namespace' | 'roleRef'>): boolean {
  const { roleRef } = binding;
  if (roleRef.kind === 'ClusterRole') return COMPONENT_CLUSTER_ROLES.has(roleRef.name);
  return (
    roleRef.kind === 'Role' &&
    binding.kind === 'RoleBinding' &&
    COMPONENT_ROLES.has(roleKey(binding.namespace, roleRef.name))
  );
}

/**
 * True when a subject of a binding is a Kubernetes component getting what the bootstrap policy (or an installer such
 * as kubeadm) gives it, so that rules leave the grant alone:
 * - the `system:masters` group, whatever it is bound to (its members bypass authorization anyway);
 * - other `system:` users and groups, except the groups that stand for everyone, the anonymous user and the users
 *   that are ServiceAccounts, when the role is a component role: one of the catalogue's (kubeadm binds
 *   `system:node-bootstrapper` to `system:bootstrappers:...` without the bootstrap label), or, in a default binding
 *   (bootstrap label), any `system:` role of another version. cluster-admin, admin, edit and view are never theirs:
 *   cluster-admin for `system:nodes`, `system:bootstrappers` or `system:kube-proxy` is reported;
 * - the controllers' ServiceAccounts in kube-system when a default binding binds them to a component role (a
 *   bootstrap label on a binding of cluster-admin, or of admin, edit or view, is no proof of a component at work).
 * The rules still weigh what the role can do for every other subject; here only the component grants are left out.
 */
export function isSystemComponent(
  subject: Subject,
  binding: Pick<BindingRecord, 'bootstrap' | 'kind' | 'namespace' | 'roleRef'>,
  /** The bound role can do anything: no component role is like that, whatever its name says. */
  roleIsClusterAdmin = false,
): boolean {
  switch (subject.kind) {
    case 'Group':
      // The authorizer lets this group do anything whatever RBAC says, so a grant adds nothing.
      if (subject.name === SUPERUSER_GROUP) return true;
      return (
        subject.name.startsWith('system:') &&
        !isBroadGroup(subject.name) &&
        !roleIsClusterAdmin &&
        isComponentGrant(binding)
      );
    case 'User':
      return (
        subject.name.startsWith('system:') &&
        subject.name !== ANONYMOUS &&
        serviceAccountOfUser(subject.name) === undefined &&
        !roleIsClusterAdmin &&
        isComponentGrant(binding)
      );
    case 'ServiceAccount':
      return (
        binding.bootstrap &&
        subject.namespace === 'kube-system' &&
        !roleIsClusterAdmin &&
        isComponentGrant(binding)
      );
  }
}

function isComponentGrant(
  binding: Pick<BindingRecord, 'bootstrap' | 'kind' | 'namespace' | 'roleRef'>,
): boolean {
  if (refersToComponentRole(binding)) return true;
  const { name } = binding.roleRef;
  return binding.bootstrap && name.startsWith('system:') && !isUserFacingRole(name);
}
