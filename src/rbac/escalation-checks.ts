// The verb/target checks of the escalation-path search, answered once per rule as a bit mask: thousands of
// principals share the same roles' rules, and most rules allow no move at all.
import { namedObjects, type PolicyRule, unnamedPart } from './policy-rule.ts';
import { POD_CONTROLLER_TARGETS, RETEMPLATE_TARGETS, ruleAllowsAny, type Target } from './powers.ts';
import type { Grant } from './rbac-index.ts';

export const RBAC = 'rbac.authorization.k8s.io';
export const CSR = 'certificates.k8s.io';
export const PODS: Target[] = [{ group: '', resource: 'pods' }];
export const WORKLOADS: Target[] = [...PODS, ...POD_CONTROLLER_TARGETS];

export const CREATE: readonly string[] = ['create'];
export const UPDATE: readonly string[] = ['update', 'patch'];
export const CREATE_OR_GET: readonly string[] = ['create', 'get'];
export const EXEC: readonly Target[] = [{ group: '', resource: 'pods', subresource: 'exec' }];
export const EPHEMERAL_CONTAINERS: readonly Target[] = [
  { group: '', resource: 'pods', subresource: 'ephemeralcontainers' },
];
export const READ: readonly string[] = ['get', 'list', 'watch'];
export const GET: readonly string[] = ['get'];
export const IMPERSONATE: readonly string[] = ['impersonate'];
export const ESCALATE: readonly string[] = ['escalate'];
export const BIND: readonly string[] = ['bind'];
export const WRITE: readonly string[] = ['create', 'update', 'patch'];
export const ROLE_BINDINGS: readonly Target[] = [{ group: RBAC, resource: 'rolebindings' }];
export const CLUSTER_ROLES: readonly Target[] = [{ group: RBAC, resource: 'clusterroles' }];
export const NAMESPACED_ROLES: readonly Target[] = [{ group: RBAC, resource: 'roles' }];
export const CLUSTER_ROLE_BINDINGS: readonly Target[] = [{ group: RBAC, resource: 'clusterrolebindings' }];
export const CSRS: readonly Target[] = [{ group: CSR, resource: 'certificatesigningrequests' }];
export const CSR_APPROVAL: readonly Target[] = [
  { group: CSR, resource: 'certificatesigningrequests', subresource: 'approval' },
];
export const MUTATING_WEBHOOKS: readonly Target[] = [
  { group: 'admissionregistration.k8s.io', resource: 'mutatingwebhookconfigurations' },
];
export const GET_OR_CREATE: readonly string[] = ['get', 'create'];
export const NODE_PROXY: readonly Target[] = [{ group: '', resource: 'nodes', subresource: 'proxy' }];
export const APPROVE: readonly string[] = ['approve'];
export const SIGNERS: readonly Target[] = [{ group: CSR, resource: 'signers' }];

export const TOKEN: readonly Target[] = [{ group: '', resource: 'serviceaccounts', subresource: 'token' }];
export const SECRETS: readonly Target[] = [{ group: '', resource: 'secrets' }];
export const SERVICE_ACCOUNTS: readonly Target[] = [{ group: '', resource: 'serviceaccounts' }];
export const ROLES: readonly Target[] = [
  { group: RBAC, resource: 'roles' },
  { group: RBAC, resource: 'clusterroles' },
];
export const GROUPS: readonly Target[] = [{ group: '', resource: 'groups' }];
export const USERS: readonly Target[] = [{ group: '', resource: 'users' }];

/** Every verb/target check the moves make: a rule's answers to all of them are computed once, as one bit mask. */
const CHECKS: readonly (readonly [readonly string[], readonly Target[]])[] = [
  [APPROVE, SIGNERS],
  [BIND, CLUSTER_ROLES],
  [BIND, NAMESPACED_ROLES],
  [CREATE, CSRS],
  [CREATE, SECRETS],
  [CREATE, TOKEN],
  [CREATE, WORKLOADS],
  [CREATE_OR_GET, EXEC],
  [ESCALATE, CLUSTER_ROLES],
  [ESCALATE, ROLES],
  [GET, SECRETS],
  [GET_OR_CREATE, NODE_PROXY],
  [IMPERSONATE, GROUPS],
  [IMPERSONATE, SERVICE_ACCOUNTS],
  [IMPERSONATE, USERS],
  [READ, SECRETS],
  [UPDATE, CLUSTER_ROLES],
  [UPDATE, CSR_APPROVAL],
  [UPDATE, EPHEMERAL_CONTAINERS],
  [UPDATE, PODS],
  [UPDATE, RETEMPLATE_TARGETS],
  [UPDATE, ROLES],
  [WRITE, CLUSTER_ROLE_BINDINGS],
  [WRITE, MUTATING_WEBHOOKS],
  [WRITE, ROLE_BINDINGS],
];

const bitsCache = new WeakMap<PolicyRule, number>();

export function bitsOf(rule: PolicyRule): number {
  let bits = bitsCache.get(rule);
  if (bits === undefined) {
    bits = 0;
    CHECKS.forEach(([verbs, targets], index) => {
      if (ruleAllowsAny(rule, verbs, targets).length > 0) bits = (bits ?? 0) | (1 << index);
    });
    bitsCache.set(rule, bits);
  }
  return bits;
}

export function allows(rule: PolicyRule, verbs: readonly string[], targets: readonly Target[]): boolean {
  const index = CHECKS.findIndex(([v, t]) => v === verbs && t === targets);
  if (index === -1) throw new Error('escalation check not listed in CHECKS');
  return (bitsOf(rule) & (1 << index)) !== 0;
}

/**
 * Grants whose rule allows one of the verbs on one of the targets, for any object: no resourceNames, or the
 * collection verbs of a rule naming "" (see unnamedPart).
 */
export function unrestricted(
  grants: readonly Grant[],
  verbs: readonly string[],
  targets: readonly Target[],
): Grant[] {
  return grants.filter((grant) => {
    const part = unnamedPart(grant.rule);
    return part !== undefined && allows(part, verbs, targets);
  });
}

/** Grants limited to named objects (namedObjects gives the names). */
export function named(
  grants: readonly Grant[],
  verbs: readonly string[],
  targets: readonly Target[],
): Grant[] {
  return grants.filter((grant) => namedObjects(grant.rule).length > 0 && allows(grant.rule, verbs, targets));
}

/** `pods, deployments`: the resources the grants allow the verbs on, for step text. */
export function resourcesOf(
  grants: readonly Grant[],
  verbs: readonly string[],
  targets: readonly Target[],
): string {
  const resources = new Set<string>();
  for (const grant of grants)
    for (const pair of ruleAllowsAny(grant.rule, verbs, targets))
      resources.add(pair.slice(pair.indexOf(' ') + 1));
  return [...resources].join(', ');
}
