// The RBAC authorizer's decision for one identity and one request, with every grant that allows it.
import { type AccessRequest, ruleAllows } from './policy-rule.ts';
import type { Grant, RbacIndex } from './rbac-index.ts';
import { isClusterScoped, type ScopeOf } from './resource-scope.ts';
import type { Identity } from './subject.ts';

export const SUPERUSER_GROUP = 'system:masters';

export interface Decision {
  allowed: boolean;
  /** Set when the identity is in system:masters: the API server allows it before RBAC is asked. */
  superuser: boolean;
  /** Every rule that allows the request (RBAC needs only one; all are listed so that each can be removed). */
  grants: Grant[];
}

/**
 * The namespace attribute the API server gives a request: none for cluster-scoped resources, and for `namespaces`
 * the namespace's own name (so that a RoleBinding in a namespace can grant reading that Namespace object).
 */
export function normalizeRequest(request: AccessRequest, scopeOf: ScopeOf = isClusterScoped): AccessRequest {
  if (request.type !== 'resource') return request;
  if (request.apiGroup === '' && request.resource === 'namespaces')
    return { ...request, namespace: request.name !== '' ? request.name : '' };
  if (scopeOf(request.apiGroup, request.resource) && !isBindInNamespace(request))
    return { ...request, namespace: '' };
  return request;
}

/**
 * `bind` of a ClusterRole is asked in the namespace of the RoleBinding being written (BindingAuthorized), so a
 * RoleBinding can grant it there although ClusterRoles are cluster-scoped.
 */
export function isBindInNamespace(request: AccessRequest): boolean {
  return (
    request.type === 'resource' &&
    request.verb === 'bind' &&
    request.apiGroup === 'rbac.authorization.k8s.io' &&
    request.resource === 'clusterroles' &&
    request.subresource === ''
  );
}

/** True when a grant's rule applies to a request: ClusterRoleBindings everywhere, RoleBindings in their namespace. */
export function grantApplies(grant: Grant, request: AccessRequest): boolean {
  if (grant.namespace !== '') {
    if (request.type !== 'resource' || request.namespace !== grant.namespace) return false;
  }
  return ruleAllows(grant.rule, request);
}

export function authorize(index: RbacIndex, identity: Identity, request: AccessRequest): Decision {
  const normalized = normalizeRequest(request, index.isClusterScoped);
  const grants = index.grantsOf(identity).filter((grant) => grantApplies(grant, normalized));
  const superuser = identity.groups.includes(SUPERUSER_GROUP);
  return { allowed: superuser || grants.length > 0, superuser, grants };
}
