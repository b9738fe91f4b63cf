// Violations of one risky power, shared by the RBAC rules: on a binding, one per subject it grants the power to (naming
// subject, binding and role); on a role nobody is bound to yet, one for the role itself.
import type { Inventory } from '../core/inventory.ts';
import type { KubeObject } from '../core/kube-object.ts';
import type { Violation } from '../core/rule.ts';
import { type BindingRecord, formatBinding } from './binding-records.ts';
import { describeRule } from './policy-rule.ts';
import { findPower, isFullWildcard, type PowerDefinition, type PowerId, type PowerMatch } from './powers.ts';
import { RbacIndex } from './rbac-index.ts';
import { isDefaultRole, type RoleRecord } from './role-records.ts';
import { describeGroup, formatSubject, matchesNobody, type Subject } from './subject.ts';
import { isSystemComponent } from './system-subjects.ts';

const matchCache = new WeakMap<RoleRecord, Map<string, PowerMatch | null>>();

/**
 * The power in a role's effective rules, computed once per role (thousands of bindings share a few roles).
 * `namespaceOnly` when the role is granted in one namespace (a Role, or through a RoleBinding).
 */
export function powerOfRole(
  role: RoleRecord,
  power: PowerDefinition,
  namespaceOnly = role.kind === 'Role',
): PowerMatch | undefined {
  let cache = matchCache.get(role);
  if (!cache) {
    cache = new Map();
    matchCache.set(role, cache);
  }
  const key = namespaceOnly ? `${power.id} in a namespace` : power.id;
  const cached = cache.get(key);
  if (cached !== undefined) return cached ?? undefined;
  const match = power.match(role.rules, namespaceOnly);
  cache.set(key, match ?? null);
  return match;
}

/** cluster-admin equivalents are reported once, by the cluster-admin rule, not by every other power they include. */
export function isClusterAdminEquivalent(role: RoleRecord): boolean {
  return role.rules.some(isFullWildcard);
}

/** `ClusterRole edit (a Kubernetes default role; rules aggregated from system:aggregate-to-edit)`. */
export function describeRole(role: RoleRecord, ruleIndexes: readonly number[] = []): string {
  const name = role.kind === 'Role' ? `Role ${role.namespace}/${role.name}` : `ClusterRole ${role.name}`;
  const notes: string[] = [];
  if (role.origin === 'default') notes.push('a Kubernetes default role');
  const origins = [
    ...new Set(ruleIndexes.map((index) => role.ruleOrigins[index]).filter((o) => o !== role.name)),
  ];
  if (origins.length > 0) notes.push(`rules aggregated from ${origins.join(', ')}`);
  return notes.length > 0 ? `${name} (${notes.join('; ')})` : name;
}

function scopeText(power: PowerDefinition, binding: BindingRecord): string {
  if (binding.kind === 'RoleBinding') return ` in namespace ${binding.namespace || '(unset)'}`;
  return power.scope === 'cluster' || power.id === 'cluster-admin' ? ' cluster-wide' : ' in every namespace';
}

function matchText(match: PowerMatch): string {
  return match.onlyNamed ? `${match.what} (only objects named ${match.onlyNamed.join(', ')})` : match.what;
}

/** Violations of a binding object: one per subject, not a system component, that the power reaches through it. */
export function bindingPowerViolations(
  object: KubeObject,
  inventory: Inventory,
  powerId: PowerId,
): Violation[] {
  const index = RbacIndex.of(inventory);
  const binding = index.bindingOfObject(object);
  if (!binding) return [];
  const resolution = index.roleOf(binding);
  if (!resolution.ok) return [];
  const role = resolution.role;
  const power = findPower(powerId);
  // A RoleBinding grants nothing cluster-scoped, whatever the ClusterRole it names holds.
  if (power.scope === 'cluster' && binding.kind === 'RoleBinding') return [];
  const clusterAdmin = isClusterAdminEquivalent(role);
  if (powerId !== 'cluster-admin' && clusterAdmin) return [];
  const match = powerOfRole(role, power, binding.kind === 'RoleBinding');
  if (!match)
    return power.combinesRoles && binding.kind === 'ClusterRoleBinding'
      ? combinedPowerViolations(index, binding, role, power)
      : [];
  const out: Violation[] = [];
  binding.subjects.forEach((subject, subjectIndex) => {
    if (!subject || !isReported(subject, binding, clusterAdmin)) return;
    out.push({
      message:
        `${subjectText(subject)} can ${power.title}${scopeText(power, binding)}: ` +
        `${matchText(match)}, through ${formatBinding(binding)} -> ${describeRole(role, match.ruleIndexes)}`,
      path: ['subjects', subjectIndex],
    });
  });
  return out;
}

/** System components are expected to hold their powers; a subject that matches nobody holds nothing. */
function isReported(subject: Subject, binding: BindingRecord, clusterAdmin: boolean): boolean {
  return !matchesNobody(subject) && !isSystemComponent(subject, binding, clusterAdmin);
}

function subjectText(subject: Subject): string {
  const group = subject.kind === 'Group' ? describeGroup(subject.name) : undefined;
  return `${formatSubject(subject)}${group ? ` (${group})` : ''}`;
}

/**
 * A power no single role gives, from two ClusterRoleBindings of one subject: approving a CSR takes update on
 * certificatesigningrequests/approval and approve on a signer, and RBAC adds grants up. Reported on each binding the
 * subject cannot do without, naming the bindings that give the rest. Only the very same subject is combined: which
 * groups a user belongs to is not in the inputs.
 */
function combinedPowerViolations(
  index: RbacIndex,
  binding: BindingRecord,
  role: RoleRecord,
  power: PowerDefinition,
): Violation[] {
  const out: Violation[] = [];
  binding.subjects.forEach((subject, subjectIndex) => {
    if (!subject || !isReported(subject, binding, false)) return;
    const others: { binding: BindingRecord; role: RoleRecord }[] = [];
    for (const use of index.usesOfSubject(subject)) {
      if (use.binding === binding || use.binding.kind !== 'ClusterRoleBinding') continue;
      const resolution = index.roleOf(use.binding);
      if (
        resolution.ok &&
        resolution.role !== role &&
        !others.some((other) => other.role === resolution.role)
      )
        others.push({ binding: use.binding, role: resolution.role });
    }
    const otherRules = others.flatMap((other) => other.role.rules);
    // The others alone give it (or give nothing): this binding is not part of it.
    if (others.length === 0 || power.match(otherRules)) return;
    const match = power.match([...role.rules, ...otherRules]);
    if (!match) return;
    const helping: string[] = [];
    let offset = role.rules.length;
    for (const other of others) {
      const end = offset + other.role.rules.length;
      const ruleIndexes = match.ruleIndexes.filter((at) => at >= offset && at < end).map((at) => at - offset);
      if (ruleIndexes.length > 0)
        helping.push(`${formatBinding(other.binding)} -> ${describeRole(other.role, ruleIndexes)}`);
      offset = end;
    }
    const own = match.ruleIndexes.filter((at) => at < role.rules.length);
    out.push({
      message:
        `${subjectText(subject)} can ${power.title}${scopeText(power, binding)}: ${matchText(match)}, ` +
        `through ${formatBinding(binding)} -> ${describeRole(role, own)} together with ${helping.join(', ')}`,
      path: ['subjects', subjectIndex],
    });
  });
  return out;
}

/**
 * Violations of a role object nobody is bound to in the inputs (bound roles are reported through their bindings).
 * Kubernetes' default roles are left out: every cluster has them, and they matter only once bound.
 */
export function rolePowerViolations(object: KubeObject, inventory: Inventory, powerId: PowerId): Violation[] {
  const index = RbacIndex.of(inventory);
  const role = index.roleOfObject(object);
  if (!role || isDefaultRole(role) || index.isBound(role)) return [];
  const power = findPower(powerId);
  if (power.scope === 'cluster' && role.kind === 'Role') return [];
  if (powerId !== 'cluster-admin' && isClusterAdminEquivalent(role)) return [];
  const match = powerOfRole(role, power);
  if (!match) return [];
  const first = match.ruleIndexes[0] ?? 0;
  const aggregated = role.aggregationSelectors !== undefined;
  const rules = match.ruleIndexes
    .map((ruleIndex) => describeRule(role.rules[ruleIndex] ?? emptyRule))
    .join('; ');
  return [
    {
      message:
        `${describeRole(role, match.ruleIndexes)} lets whoever is bound to it ${power.title}` +
        `${role.kind === 'Role' ? ` in namespace ${role.namespace}` : ''}: ${matchText(match)} ` +
        `(${aggregated ? 'aggregated rules' : 'rules'}: ${rules}); no binding in the scanned inputs grants it yet`,
      path: aggregated ? ['aggregationRule'] : ['rules', first],
    },
  ];
}

const emptyRule = { verbs: [], apiGroups: [], resources: [], resourceNames: [], nonResourceURLs: [] };

/** The check of a power rule: bindings report their subjects, unbound roles report themselves. */
export function checkPower(object: KubeObject, inventory: Inventory, powerId: PowerId): Violation[] {
  if (object.kind === 'RoleBinding' || object.kind === 'ClusterRoleBinding')
    return bindingPowerViolations(object, inventory, powerId);
  return rolePowerViolations(object, inventory, powerId);
}

export const RBAC_KINDS: readonly string[] = ['Role', 'ClusterRole', 'RoleBinding', 'ClusterRoleBinding'];
export const RBAC_API_VERSION = 'rbac.authorization.k8s.io/v1';
