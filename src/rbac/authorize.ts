// The RBAC authorizer's decision for one identity and one request, with every grant that allows it.
import type { BindingRecord } from './binding-records.ts';
import { type AccessRequest, ruleAllows } from './policy-rule.ts';
import type { Grant, RbacIndex } from './rbac-index.ts';
import { isClusterScoped, type ScopeOf } from './resource-scope.ts';
import type { RoleRecord } from './role-records.ts';
import type { Identity } from './subject.ts';

export const SUPERUSER_GROUP = 'system:masters';

export interface Decision {
  allowed: boolean;
  /** Set when the identity is in system:masters: the API server allows it before RBAC is asked. */
  superuser: boolean;
  /** Every rule that allows the request (RBAC needs only one; all are listed so that each can be removed). */
  grants: Grant[];
  /**
   * Denied when asked for every namespace at once (no namespace, a namespaced resource): the rules of RoleBindings
   * that allow it in their own namespace, so the answer can say where it is allowed.
   */
  namespaceGrants: Grant[];
}

/**
 * The namespace attribute the API server gives a request: none for cluster-scoped resources, and for `namespaces`
 * the namespace's own name (so that a RoleBinding in a namespace can grant reading that Namespace object).
 */
export function normalizeRequest(request: AccessRequest, scopeOf: ScopeOf = isClusterScoped): AccessRequest {
  if (request.type !== 'resource') return request;
  // A create is a POST to the collection and a deletecollection a DELETE of it: neither request carries a name
  // (the API server reads it from the URL), so resourceNames cannot limit them.
  if (request.name !== '' && isCollectionRequest(request)) request = { ...request, name: '' };
  if (request.apiGroup === '' && request.resource === 'namespaces')
    return { ...request, namespace: request.name !== '' ? request.name : '' };
  if (scopeOf(request.apiGroup, request.resource) && !isBindInNamespace(request))
    return { ...request, namespace: '' };
  return request;
}

/**
 * A (normalized) request without a namespace for something RoleBindings can grant: asked of every namespace at
 * once (`--all-namespaces`). Cluster-scoped resources (but `bind` of ClusterRoles, asked in a RoleBinding's
 * namespace), the Namespace objects and URLs are cluster-wide questions only ClusterRoleBindings answer.
 */
export function isAskedOfEveryNamespace(
  normalized: AccessRequest,
  scopeOf: ScopeOf,
): normalized is Extract<AccessRequest, { type: 'resource' }> {
  return (
    normalized.type === 'resource' &&
    normalized.namespace === '' &&
    normalized.resource !== 'namespaces' &&
    (!scopeOf(normalized.apiGroup, normalized.resource) || isBindInNamespace(normalized))
  );
}

/** `create` of a resource (not of a subresource, which is named in its URL) and `deletecollection`. */
export function isCollectionRequest(request: AccessRequest): boolean {
  return (
    request.type === 'resource' &&
    ((request.verb === 'create' && request.subresource === '') || request.verb === 'deletecollection')
  );
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
  const held = index.grantsOf(identity);
  const grants = held.filter((grant) => grantApplies(grant, normalized));
  const superuser = identity.groups.includes(SUPERUSER_GROUP);
  const allowed = superuser || grants.length > 0;
  const namespaceGrants =
    !allowed && isAskedOfEveryNamespace(normalized, index.isClusterScoped)
      ? held.filter(
          (grant) =>
            grant.namespace !== '' && grantApplies(grant, { ...normalized, namespace: grant.namespace }),
        )
      : [];
  return { allowed, superuser, grants, namespaceGrants };
}

/** Grants gathered by binding, in first-seen order: each binding's role and the indexes of its rules that apply. */
export function rulesByBinding(
  grants: readonly Grant[],
): Map<BindingRecord, { role: RoleRecord; indexes: number[] }> {
  const byBinding = new Map<BindingRecord, { role: RoleRecord; indexes: number[] }>();
  for (const grant of grants) {
    const found = byBinding.get(grant.binding) ?? { role: grant.role, indexes: [] };
    found.indexes.push(grant.ruleIndex);
    byBinding.set(grant.binding, found);
  }
  return byBinding;
}
