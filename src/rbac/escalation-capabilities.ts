// What one principal can turn its grants into: the moves of the escalation-path search. Each move names where it
// leads (another principal, a set of ServiceAccounts, or cluster-admin) and the grants that allow it.
import { type BindingRecord, formatBinding } from './binding-records.ts';
import {
  APPROVE,
  allows,
  BIND,
  bitsOf,
  CLUSTER_ROLE_BINDINGS,
  CLUSTER_ROLES,
  CREATE,
  CREATE_OR_GET,
  CSR_APPROVAL,
  CSRS,
  EPHEMERAL_CONTAINERS,
  ESCALATE,
  EXEC,
  GET,
  GET_OR_CREATE,
  GROUPS,
  IMPERSONATE,
  MUTATING_WEBHOOKS,
  NAMESPACED_ROLES,
  NODE_PROXY,
  named,
  PODS,
  READ,
  ROLE_BINDINGS,
  ROLES,
  resourcesOf,
  SECRETS,
  SERVICE_ACCOUNTS,
  SIGNERS,
  TOKEN,
  UPDATE,
  USERS,
  unrestricted,
  WORKLOADS,
  WRITE,
} from './escalation-checks.ts';
import { namedObjects, resourceNameMatches } from './policy-rule.ts';
import { isFullWildcard, RETEMPLATE_TARGETS, ruleAllowsAny } from './powers.ts';
import type { Grant } from './rbac-index.ts';
import { RBAC_GROUP, type RoleRecord, roleKey } from './role-records.ts';
import { serviceAccountOfUser } from './subject.ts';

/** Where a move leads. `namespace: '*'` means every namespace. */
export type MoveTarget =
  | { type: 'cluster-admin' }
  | { type: 'any-service-account'; namespace: string }
  | { type: 'running-service-accounts'; namespace: string }
  | { type: 'node-service-accounts' }
  | { type: 'service-account'; namespace: string; name: string }
  | { type: 'token-secrets'; namespace: string; names: readonly string[] | 'all' }
  | { type: 'user'; name: string }
  | { type: 'all-users' }
  | { type: 'group'; name: string };

export interface Move {
  action: string;
  target: MoveTarget;
  evidence: readonly Grant[];
}

function scopeText(namespace: string): string {
  return namespace === '*' ? 'in every namespace' : `in namespace ${namespace}`;
}

/**
 * Moves available with the grants that apply in one namespace (`*`: the ClusterRoleBinding grants, which apply
 * everywhere). `enforced` says whether Pod Security admission stops privileged pods there.
 */
function namespaceMoves(
  namespace: string,
  grants: readonly Grant[],
  enforced: boolean,
  boundToRole: boolean,
): Move[] {
  const moves: Move[] = [];
  const where = scopeText(namespace);
  const create = unrestricted(grants, CREATE, WORKLOADS);
  if (create.length > 0) {
    moves.push({
      action: `can create ${resourcesOf(create, ['create'], WORKLOADS)} ${where} and run their pods as any ServiceAccount there, reading its token`,
      target: { type: 'any-service-account', namespace },
      evidence: create,
    });
    if (!enforced)
      moves.push({
        action: `can create a privileged pod ${where} (no Pod Security enforcement there) and take over a node, reading the tokens of the DaemonSet pods that run on every node`,
        target: { type: 'node-service-accounts' },
        evidence: create,
      });
  }
  const retemplate = [
    ...unrestricted(grants, UPDATE, RETEMPLATE_TARGETS),
    ...named(grants, UPDATE, RETEMPLATE_TARGETS),
  ];
  if (retemplate.length > 0 && create.length === 0)
    moves.push({
      action: `can change the pod template of ${resourcesOf(retemplate, ['update', 'patch'], RETEMPLATE_TARGETS)} ${where} to run as any ServiceAccount there`,
      target: { type: 'any-service-account', namespace },
      evidence: retemplate,
    });
  const exec = unrestricted(grants, CREATE_OR_GET, EXEC);
  const ephemeral = unrestricted(grants, UPDATE, EPHEMERAL_CONTAINERS);
  if (exec.length + ephemeral.length > 0)
    moves.push({
      action: `can run commands in running pods ${where} and read their mounted ServiceAccount tokens`,
      target: { type: 'running-service-accounts', namespace },
      evidence: [...exec, ...ephemeral],
    });
  // A running pod's container images may change (the kubelet restarts the container with the new one): the new
  // image runs with that pod's token and volumes, as exec does.
  const reimage = unrestricted(grants, UPDATE, PODS);
  if (reimage.length > 0)
    moves.push({
      action: `can replace the container images of running pods ${where} and so run code with their mounted ServiceAccount tokens`,
      target: { type: 'running-service-accounts', namespace },
      evidence: reimage,
    });
  const tokens = unrestricted(grants, CREATE, TOKEN);
  if (tokens.length > 0)
    moves.push({
      action: `can request a token for any ServiceAccount ${where}`,
      target: { type: 'any-service-account', namespace },
      evidence: tokens,
    });
  for (const grant of named(grants, CREATE, TOKEN))
    for (const name of namedObjects(grant.rule))
      moves.push({
        action: `can request a token for ServiceAccount ${name} ${where}`,
        target: { type: 'service-account', namespace, name },
        evidence: [grant],
      });
  const readAll = unrestricted(grants, READ, SECRETS);
  if (readAll.length > 0)
    moves.push({
      action: `can read ServiceAccount token Secrets ${where}`,
      target: { type: 'token-secrets', namespace, names: 'all' },
      evidence: readAll,
    });
  for (const grant of named(grants, GET, SECRETS))
    moves.push({
      action: `can read the Secrets ${namedObjects(grant.rule).join(', ')} ${where}`,
      target: { type: 'token-secrets', namespace, names: namedObjects(grant.rule) },
      evidence: [grant],
    });
  const createSecrets = unrestricted(grants, CREATE, SECRETS);
  const getSecrets = unrestricted(grants, GET, SECRETS);
  if (createSecrets.length > 0 && getSecrets.length > 0)
    moves.push({
      action: `can create a ServiceAccount token Secret for any ServiceAccount ${where} and read the token Kubernetes fills in`,
      target: { type: 'any-service-account', namespace },
      evidence: [...createSecrets, ...getSecrets],
    });
  const impersonateAll = unrestricted(grants, IMPERSONATE, SERVICE_ACCOUNTS);
  if (impersonateAll.length > 0)
    moves.push({
      action: `can impersonate any ServiceAccount ${where}`,
      target: { type: 'any-service-account', namespace },
      evidence: impersonateAll,
    });
  for (const grant of named(grants, IMPERSONATE, SERVICE_ACCOUNTS))
    for (const name of namedObjects(grant.rule))
      moves.push({
        action: `can impersonate ServiceAccount ${name} ${where}`,
        target: { type: 'service-account', namespace, name },
        evidence: [grant],
      });
  // Editing a Role pays only for a subject bound to a Role of the namespace (ClusterRoles are edited cluster-wide).
  const escalate = boundToRole ? unrestricted(grants, ESCALATE, ROLES) : [];
  const editRoles = boundToRole ? unrestricted(grants, UPDATE, ROLES) : [];
  // Binding any ClusterRole includes cluster-admin; `bind` on named roles, or on Roles only, is `boundRoleMoves`.
  const bind = unrestricted(grants, BIND, CLUSTER_ROLES);
  const createBindings = unrestricted(grants, WRITE, ROLE_BINDINGS);
  if ((escalate.length > 0 && editRoles.length > 0) || (bind.length > 0 && createBindings.length > 0))
    moves.push({
      action: `can grant itself any permission ${where} (${escalate.length > 0 && editRoles.length > 0 ? 'escalate and edit roles' : 'bind any role with a RoleBinding'}), then run pods as any ServiceAccount there`,
      target: { type: 'any-service-account', namespace },
      evidence:
        escalate.length > 0 && editRoles.length > 0
          ? [...escalate, ...editRoles]
          : [...bind, ...createBindings],
    });
  return moves;
}

/** The scanned roles (with the default ClusterRoles), for what binding a role by name gives. */
export interface RoleLookup {
  readonly clusterRoles: ReadonlyMap<string, RoleRecord>;
  /** Keyed `namespace\0name` (`roleKey`). */
  readonly roles: ReadonlyMap<string, RoleRecord>;
}

/**
 * The roles `bind` lets the grants refer to in a new binding of `namespace` ('' for a ClusterRoleBinding, '*' for
 * RoleBindings of every namespace), each with the grants that allow it. Names absent from the scanned objects give
 * nothing. ClusterRoles bindable without a name limit are left to the "any permission" moves.
 */
function bindableRoles(
  grants: readonly Grant[],
  namespace: string,
  lookup: RoleLookup,
): Map<RoleRecord, Grant[]> {
  const out = new Map<RoleRecord, Grant[]>();
  const add = (role: RoleRecord | undefined, grant: Grant) => {
    if (!role || role.rules.length === 0) return;
    const list = out.get(role);
    if (list) list.push(grant);
    else out.set(role, [grant]);
  };
  for (const grant of named(grants, BIND, CLUSTER_ROLES))
    for (const name of namedObjects(grant.rule)) add(lookup.clusterRoles.get(name), grant);
  // A ClusterRoleBinding can refer only to ClusterRoles; a RoleBinding also to the Roles of its namespace.
  if (namespace === '') return out;
  for (const grant of grants) {
    if (!allows(grant.rule, BIND, NAMESPACED_ROLES)) continue;
    const names = namedObjects(grant.rule);
    // Only "" named: bind is asked with the role's name, which is never "".
    if (names.length === 0 && grant.rule.resourceNames.length > 0) continue;
    if (namespace !== '*' && names.length > 0)
      for (const name of names) add(lookup.roles.get(roleKey(namespace, name)), grant);
    else
      for (const role of lookup.roles.values())
        if (
          (namespace === '*' || role.namespace === namespace) &&
          (names.length === 0 || names.includes(role.name))
        )
          add(role, grant);
  }
  return out;
}

/** The grants a new binding of the role in `namespace` ('' for a ClusterRoleBinding) would give the subject. */
function newBindingGrants(role: RoleRecord, namespace: string, via: Grant): Grant[] {
  const binding: BindingRecord = {
    kind: namespace === '' ? 'ClusterRoleBinding' : 'RoleBinding',
    namespace,
    name: `(new binding to ${role.name})`,
    roleRef: { kind: role.kind, name: role.name, apiGroup: RBAC_GROUP },
    subjects: [via.subject],
    labels: {},
    bootstrap: false,
    entry: via.binding.entry,
  };
  return role.rules
    .map((rule, ruleIndex) => ({
      binding,
      subjectIndex: 0,
      subject: via.subject,
      role,
      ruleIndex,
      rule,
      namespace,
    }))
    .filter((grant) => bitsOf(grant.rule) !== 0);
}

/**
 * Moves made by first binding a role to itself: `bind` on the role (by name, or on every Role) plus the right to
 * create the binding. The new binding's rules are those the scanned role holds, applied where the binding applies
 * (a RoleBinding: its namespace only). One level deep: roles reached this way are not bound further by name.
 */
function boundRoleMoves(
  namespace: string,
  grants: readonly Grant[],
  lookup: RoleLookup,
  isEnforced: (namespace: string) => boolean,
  roleNamespaces: ReadonlySet<string>,
): Move[] {
  const clusterBinding = namespace === '';
  const createBindings = unrestricted(grants, WRITE, clusterBinding ? CLUSTER_ROLE_BINDINGS : ROLE_BINDINGS);
  if (createBindings.length === 0) return [];
  const moves: Move[] = [];
  for (const [role, bind] of bindableRoles(grants, namespace, lookup)) {
    // A Role is bound in its own namespace; a ClusterRole wherever the new binding is.
    const where = role.kind === 'Role' ? role.namespace : namespace;
    const gained = newBindingGrants(role, where, bind[0] as Grant);
    if (gained.length === 0) continue;
    const all = [...grants, ...gained];
    const found = clusterBinding
      ? [...clusterMoves(all), ...namespaceMoves('*', all, isEnforced('*'), false)]
      : namespaceMoves(where, all, isEnforced(where), role.kind === 'Role' || roleNamespaces.has(where));
    const isGained = new Set(gained);
    const roleName =
      role.kind === 'Role' ? `Role ${role.namespace}/${role.name}` : `ClusterRole ${role.name}`;
    const how = clusterBinding
      ? `can bind ${roleName} to itself with a ClusterRoleBinding (bind)`
      : `can bind ${roleName} to itself with a RoleBinding ${scopeText(where)} (bind)`;
    for (const move of found)
      if (move.evidence.some((grant) => isGained.has(grant)))
        moves.push({
          action: `${how}, then ${move.action.replace(/^can /, '')}`,
          target: move.target,
          evidence: [...bind, ...createBindings, ...move.evidence.filter((grant) => !isGained.has(grant))],
        });
  }
  return moves;
}

/** Grants that let the subject impersonate some user: `users` cluster-wide, or ServiceAccounts anywhere. */
function impersonatesAUser(grants: readonly Grant[]): Grant[] {
  return [...unrestricted(grants, IMPERSONATE, USERS), ...named(grants, IMPERSONATE, USERS)]
    .filter((grant) => grant.namespace === '')
    .concat(
      unrestricted(grants, IMPERSONATE, SERVICE_ACCOUNTS),
      named(grants, IMPERSONATE, SERVICE_ACCOUNTS),
    );
}

/** Moves only ClusterRoleBindings give (cluster-scoped resources and impersonation of users and groups). */
function clusterMoves(grants: readonly Grant[], userImpersonation = impersonatesAUser(grants)): Move[] {
  const moves: Move[] = [];
  const full = grants.filter((grant) => isFullWildcard(grant.rule));
  if (full.length > 0)
    moves.push({
      action: 'holds every verb on every resource cluster-wide',
      target: { type: 'cluster-admin' },
      evidence: full,
    });
  const escalate = unrestricted(grants, ESCALATE, CLUSTER_ROLES);
  const edit = unrestricted(grants, UPDATE, CLUSTER_ROLES);
  if (escalate.length > 0 && edit.length > 0)
    moves.push({
      action: 'can add any permission to a ClusterRole it is bound to (escalate)',
      target: { type: 'cluster-admin' },
      evidence: [...escalate, ...edit],
    });
  const bind = unrestricted(grants, BIND, CLUSTER_ROLES);
  const createBindings = unrestricted(grants, WRITE, CLUSTER_ROLE_BINDINGS);
  if (bind.length > 0 && createBindings.length > 0)
    moves.push({
      action: 'can bind cluster-admin to itself with a ClusterRoleBinding (bind)',
      target: { type: 'cluster-admin' },
      evidence: [...bind, ...createBindings],
    });
  // Groups are impersonated only together with a user (buildImpersonationRequests refuses groups alone).
  const anyGroup = userImpersonation.length > 0 ? unrestricted(grants, IMPERSONATE, GROUPS) : [];
  if (anyGroup.length > 0)
    moves.push({
      action: 'can impersonate the system:masters group',
      target: { type: 'cluster-admin' },
      evidence: anyGroup,
    });
  for (const grant of userImpersonation.length > 0 ? named(grants, IMPERSONATE, GROUPS) : [])
    for (const name of namedObjects(grant.rule))
      moves.push(
        name === 'system:masters'
          ? {
              action: 'can impersonate the system:masters group',
              target: { type: 'cluster-admin' },
              evidence: [grant],
            }
          : { action: `can impersonate group ${name}`, target: { type: 'group', name }, evidence: [grant] },
      );
  const anyUser = unrestricted(grants, IMPERSONATE, USERS);
  if (anyUser.length > 0)
    moves.push({ action: 'can impersonate any user', target: { type: 'all-users' }, evidence: anyUser });
  // A ServiceAccount's user name is impersonated with `impersonate serviceaccounts`, never `users`.
  for (const grant of named(grants, IMPERSONATE, USERS))
    for (const name of namedObjects(grant.rule))
      if (serviceAccountOfUser(name) === undefined)
        moves.push({
          action: `can impersonate user ${name}`,
          target: { type: 'user', name },
          evidence: [grant],
        });
  const csrCreate = unrestricted(grants, CREATE, CSRS);
  const approval = unrestricted(grants, UPDATE, CSR_APPROVAL);
  const signer = grants.filter(
    (grant) =>
      allows(grant.rule, APPROVE, SIGNERS) &&
      (grant.rule.resourceNames.length === 0 ||
        grant.rule.resourceNames.some(
          (name) => name === 'kubernetes.io/kube-apiserver-client' || name === 'kubernetes.io/*',
        )),
  );
  if (csrCreate.length > 0 && approval.length > 0 && signer.length > 0)
    moves.push({
      action:
        'can request and approve a client certificate for the system:masters group (kube-apiserver-client signer)',
      target: { type: 'cluster-admin' },
      evidence: [...csrCreate, ...approval, ...signer],
    });
  const mutating = unrestricted(grants, WRITE, MUTATING_WEBHOOKS);
  if (mutating.length > 0)
    moves.push({
      action: 'can register a mutating webhook that makes new pods run as any ServiceAccount',
      target: { type: 'any-service-account', namespace: '*' },
      evidence: mutating,
    });
  const proxy = unrestricted(grants, GET_OR_CREATE, NODE_PROXY);
  if (proxy.length > 0)
    moves.push({
      action: 'can run commands in any pod through the kubelet API (nodes/proxy)',
      target: { type: 'running-service-accounts', namespace: '*' },
      evidence: proxy,
    });
  return moves;
}

/**
 * Moves from `escalate` together with `update`/`patch` on a role the subject is bound to, when either is limited to
 * that role by name (the unlimited pair is in namespaceMoves and clusterMoves): the API server skips its
 * escalation check for such an update (RoleEscalationAuthorized asks `escalate` of that role's name), so any rule
 * can be added to the role. A ClusterRole bound by a ClusterRoleBinding gives cluster-admin; a role bound by a
 * RoleBinding, any permission in that namespace.
 */
function selfEditMoves(all: readonly Grant[], grants: readonly Grant[]): Move[] {
  const editors = grants.filter(
    (grant) => allows(grant.rule, ESCALATE, ROLES) || allows(grant.rule, UPDATE, ROLES),
  );
  if (editors.length === 0) return [];
  const onRole = (verbs: readonly string[], role: RoleRecord): Grant[] =>
    editors.filter((grant) => {
      // ClusterRoles are cluster-scoped: only a ClusterRoleBinding's grants reach them.
      if (
        role.kind === 'ClusterRole'
          ? grant.namespace !== ''
          : grant.namespace !== '' && grant.namespace !== role.namespace
      )
        return false;
      const target = role.kind === 'ClusterRole' ? CLUSTER_ROLES : NAMESPACED_ROLES;
      if (ruleAllowsAny(grant.rule, verbs, target).length === 0) return false;
      return resourceNameMatches(grant.rule, role.name);
    });
  const moves: Move[] = [];
  const seen = new Set<string>();
  for (const bound of all) {
    const role = bound.role;
    const key = `${bound.binding.kind}\0${bound.binding.namespace}\0${role.kind}\0${role.namespace}\0${role.name}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const escalate = onRole(['escalate'], role);
    const edit = onRole(UPDATE, role);
    if (escalate.length === 0 || edit.length === 0) continue;
    const byName = [...escalate, ...edit].some((grant) => grant.rule.resourceNames.length > 0);
    if (!byName) continue;
    const roleName =
      role.kind === 'Role' ? `Role ${role.namespace}/${role.name}` : `ClusterRole ${role.name}`;
    const evidence = [...new Set([...escalate, ...edit, bound])];
    if (bound.binding.kind === 'ClusterRoleBinding')
      moves.push({
        action: `can add any permission to ${roleName}, which it is bound to (escalate and update on that role)`,
        target: { type: 'cluster-admin' },
        evidence,
      });
    else
      moves.push({
        action: `can add any permission to ${roleName}, which it is bound to in namespace ${bound.binding.namespace} (escalate and update on that role), then run pods as any ServiceAccount there`,
        target: { type: 'any-service-account', namespace: bound.binding.namespace },
        evidence,
      });
  }
  return moves;
}

/**
 * Every move the grants allow; `isEnforced(ns)` tells whether Pod Security stops privileged pods in a namespace.
 * `roleNamespaces`: the namespaces where the subject is bound to a Role, which escalate and update on roles could
 * rewrite. Given by the caller from the bindings, because a Role with no rules gives no grant to read it from.
 */
export function movesOf(
  all: readonly Grant[],
  isEnforced: (namespace: string) => boolean,
  lookup: RoleLookup | undefined,
  roleNamespaces: ReadonlySet<string>,
): Move[] {
  // Most grants allow no move at all (reading pods, writing ConfigMaps): dropped before any combination is tried.
  const grants = all.filter((grant) => bitsOf(grant.rule) !== 0);
  if (grants.length === 0) return [];
  const clusterWide = grants.filter((grant) => grant.namespace === '');
  const byNamespace = new Map<string, Grant[]>();
  for (const grant of grants) {
    if (grant.namespace === '') continue;
    const list = byNamespace.get(grant.namespace);
    if (list) list.push(grant);
    else byNamespace.set(grant.namespace, [grant]);
  }
  const moves = [...clusterMoves(clusterWide, impersonatesAUser(grants)), ...selfEditMoves(all, grants)];
  // A Role granting only `get configmaps`, or nothing, is still one that escalate and update on roles can rewrite.
  const boundToRole = (namespace: string) => roleNamespaces.has(namespace);
  if (clusterWide.length > 0) moves.push(...namespaceMoves('*', clusterWide, isEnforced('*'), false));
  // A namespace's moves may combine its RoleBindings' grants with the ClusterRoleBindings'.
  for (const [namespace, local] of byNamespace)
    moves.push(
      ...namespaceMoves(namespace, [...local, ...clusterWide], isEnforced(namespace), boundToRole(namespace)),
    );
  // Cluster-wide escalate and update on roles pay in every namespace where the subject is bound to a Role, also
  // one whose own grants allow no move (and so left no entry above).
  if (clusterWide.length > 0)
    for (const namespace of roleNamespaces)
      if (namespace !== '' && !byNamespace.has(namespace))
        moves.push(...namespaceMoves(namespace, clusterWide, isEnforced(namespace), true));
  if (lookup) {
    if (clusterWide.length > 0)
      moves.push(
        ...boundRoleMoves('', clusterWide, lookup, isEnforced, roleNamespaces),
        ...boundRoleMoves('*', clusterWide, lookup, isEnforced, roleNamespaces),
      );
    for (const [namespace, local] of byNamespace)
      moves.push(
        ...boundRoleMoves(namespace, [...local, ...clusterWide], lookup, isEnforced, roleNamespaces),
      );
  }
  return moves;
}

/** `RoleBinding ns/b -> ClusterRole edit (rules[3])`, one per distinct binding and role. */
export function describeEvidence(evidence: readonly Grant[]): string[] {
  const byBinding = new Map<BindingRecord, Grant[]>();
  for (const grant of evidence) {
    const list = byBinding.get(grant.binding);
    if (list) list.push(grant);
    else byBinding.set(grant.binding, [grant]);
  }
  return [...byBinding].map(([binding, grants]) => {
    const role = grants[0]?.role;
    const roleName = role
      ? role.kind === 'Role'
        ? `Role ${role.namespace}/${role.name}`
        : `ClusterRole ${role.name}`
      : '?';
    const indexes = [...new Set(grants.map((grant) => grant.ruleIndex))].sort((a, b) => a - b);
    return `${formatBinding(binding)} -> ${roleName} (rules[${indexes.join('], rules[')}])`;
  });
}
