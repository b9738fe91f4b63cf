// The RBAC state of one inventory, indexed for the authorizer's questions: which bindings name this subject, which
// bindings refer to this role, which rules apply in which namespace. Built once per inventory (Inventory.derive).
import type { Inventory } from '../core/inventory.ts';
import type { KubeObject } from '../core/kube-object.ts';
import { resolveAggregation } from './aggregation.ts';
import { type BindingRecord, collectBindings } from './binding-records.ts';
import type { PolicyRule } from './policy-rule.ts';
import { type ScopeOf, scopeOfInventory } from './resource-scope.ts';
import { collectRoles, RBAC_GROUP, type RoleRecord, roleKey } from './role-records.ts';
import {
  type Identity,
  identityKeys,
  matchesNobody,
  type Subject,
  subjectKey,
  subjectMatches,
} from './subject.ts';

/** One rule granted to one subject by one binding, and where it applies. */
export interface Grant {
  binding: BindingRecord;
  subjectIndex: number;
  subject: Subject;
  role: RoleRecord;
  ruleIndex: number;
  rule: PolicyRule;
  /** Namespace the rule applies in; '' means every namespace and cluster-scoped resources (a ClusterRoleBinding). */
  namespace: string;
}

/** Why a binding's role reference resolves to nothing. */
export type RoleRefProblem = { type: 'missing'; message: string } | { type: 'invalid'; message: string };

export type RoleResolution = { ok: true; role: RoleRecord } | { ok: false; problem: RoleRefProblem };

interface SubjectUse {
  binding: BindingRecord;
  subjectIndex: number;
}

const INDEX_ID = Symbol('rbac-index');

export class RbacIndex {
  readonly clusterRoles: ReadonlyMap<string, RoleRecord>;
  readonly roles: ReadonlyMap<string, RoleRecord>;
  readonly bindings: readonly BindingRecord[];
  /** Aggregated ClusterRole name -> the ClusterRoles it aggregates. */
  readonly aggregationSources: ReadonlyMap<string, readonly RoleRecord[]>;
  /** Whether a resource is cluster-scoped: built-in ones, and custom ones whose CRD is in the inventory. */
  readonly isClusterScoped: ScopeOf;
  readonly #resolved = new Map<BindingRecord, RoleResolution>();
  readonly #bySubject = new Map<string, SubjectUse[]>();
  readonly #byRole = new Map<RoleRecord, BindingRecord[]>();
  /** ClusterRole name -> aggregated ClusterRoles that include it. */
  readonly #aggregatedInto = new Map<string, RoleRecord[]>();
  readonly #bindingOfObject = new Map<KubeObject, BindingRecord>();
  readonly #roleOfObject = new Map<KubeObject, RoleRecord>();
  readonly #grantCache = new Map<BindingRecord, (readonly Grant[] | undefined)[]>();

  constructor(inventory: Inventory) {
    this.isClusterScoped = scopeOfInventory(inventory);
    const { clusterRoles, roles } = collectRoles(inventory);
    this.clusterRoles = clusterRoles;
    this.roles = roles;
    for (const role of [...clusterRoles.values(), ...roles.values()])
      if (role.entry) this.#roleOfObject.set(role.entry.object, role);
    this.aggregationSources = resolveAggregation(clusterRoles, roles.values());
    for (const [name, sources] of this.aggregationSources) {
      const aggregated = clusterRoles.get(name);
      if (aggregated) for (const source of sources) push(this.#aggregatedInto, source.name, aggregated);
    }
    this.bindings = collectBindings(inventory);
    for (const binding of this.bindings) {
      const resolution = this.#resolve(binding);
      this.#resolved.set(binding, resolution);
      this.#bindingOfObject.set(binding.entry.object, binding);
      if (resolution.ok) push(this.#byRole, resolution.role, binding);
      binding.subjects.forEach((subject, subjectIndex) => {
        if (subject) push(this.#bySubject, subjectKey(subject), { binding, subjectIndex });
      });
    }
  }

  /** The index of an inventory, built on first use and shared by every rule and command. */
  static of(inventory: Inventory): RbacIndex {
    return inventory.derive(INDEX_ID, (built) => new RbacIndex(built));
  }

  #resolve(binding: BindingRecord): RoleResolution {
    const ref = binding.roleRef;
    const where = `${binding.kind === 'RoleBinding' ? `RoleBinding ${binding.namespace}/` : 'ClusterRoleBinding '}${binding.name}`;
    if (ref.apiGroup !== RBAC_GROUP)
      return invalid(`${where}: roleRef.apiGroup is "${ref.apiGroup}", not ${RBAC_GROUP}`);
    if (ref.name === '') return invalid(`${where}: roleRef.name is empty`);
    if (ref.kind === 'ClusterRole') {
      const role = this.clusterRoles.get(ref.name);
      return role
        ? { ok: true, role }
        : missing(`${where} refers to ClusterRole ${ref.name}, which does not exist`);
    }
    if (ref.kind === 'Role') {
      if (binding.kind === 'ClusterRoleBinding')
        return invalid(
          `${where}: a ClusterRoleBinding can only refer to a ClusterRole, not Role ${ref.name}`,
        );
      const role = this.roles.get(roleKey(binding.namespace, ref.name));
      return role
        ? { ok: true, role }
        : missing(`${where} refers to Role ${binding.namespace}/${ref.name}, which does not exist`);
    }
    return invalid(`${where}: roleRef.kind is "${ref.kind}", not Role or ClusterRole`);
  }

  /** The binding read from this object, if it is one the index holds. */
  bindingOfObject(object: KubeObject): BindingRecord | undefined {
    return this.#bindingOfObject.get(object);
  }

  /** The role read from this object; undefined when another object of the same name replaced it. */
  roleOfObject(object: KubeObject): RoleRecord | undefined {
    return this.#roleOfObject.get(object);
  }

  roleOf(binding: BindingRecord): RoleResolution {
    return this.#resolved.get(binding) ?? this.#resolve(binding);
  }

  /** Bindings that refer to a role directly. */
  bindingsOf(role: RoleRecord): readonly BindingRecord[] {
    return this.#byRole.get(role) ?? [];
  }

  /** Aggregated ClusterRoles that include this ClusterRole's rules, directly or through other aggregations. */
  aggregatorsOf(role: RoleRecord): RoleRecord[] {
    if (role.kind !== 'ClusterRole') return [];
    const out: RoleRecord[] = [];
    const seen = new Set<string>([role.name]);
    const queue = [role.name];
    for (let next = queue.shift(); next !== undefined; next = queue.shift())
      for (const aggregated of this.#aggregatedInto.get(next) ?? []) {
        if (seen.has(aggregated.name)) continue;
        seen.add(aggregated.name);
        out.push(aggregated);
        queue.push(aggregated.name);
      }
    return out;
  }

  /**
   * True when some binding grants the role to someone, directly or through an aggregated ClusterRole. A binding with
   * no subjects, or only a ServiceAccount without a namespace in a ClusterRoleBinding (which matches nobody), grants
   * nothing: the role's own finding must not disappear behind it.
   */
  isBound(role: RoleRecord): boolean {
    const grants = (bound: RoleRecord) => this.bindingsOf(bound).some(grantsToSomeone);
    return grants(role) || this.aggregatorsOf(role).some(grants);
  }

  /** Every binding subject that matches the identity, ClusterRoleBindings first. */
  bindingsFor(identity: Identity): SubjectUse[] {
    const out: SubjectUse[] = [];
    const seen = new Set<SubjectUse>();
    for (const key of identityKeys(identity))
      for (const use of this.#bySubject.get(key) ?? []) {
        const subject = use.binding.subjects[use.subjectIndex];
        if (seen.has(use) || !subject || !subjectMatches(subject, identity)) continue;
        seen.add(use);
        out.push(use);
      }
    return out.sort((a, b) =>
      a.binding.kind === b.binding.kind ? 0 : a.binding.kind === 'ClusterRoleBinding' ? -1 : 1,
    );
  }

  /** Every rule the identity holds, with the binding, role and namespace that give it. */
  grantsOf(identity: Identity): Grant[] {
    return this.grantsOfUses(this.bindingsFor(identity));
  }

  /** The grants of subject uses already found with bindingsFor (callers that need the bindings too). */
  grantsOfUses(uses: readonly SubjectUse[]): Grant[] {
    const out: Grant[] = [];
    for (const use of uses) this.#pushGrants(use.binding, use.subjectIndex, out);
    return out;
  }

  /** Every rule every subject of the binding holds through it. */
  grantsOfBinding(binding: BindingRecord): Grant[] {
    const out: Grant[] = [];
    binding.subjects.forEach((subject, index) => {
      if (subject) this.#pushGrants(binding, index, out);
    });
    return out;
  }

  #pushGrants(binding: BindingRecord, subjectIndex: number, out: Grant[]): void {
    for (const grant of this.#grantsOfUse(binding, subjectIndex)) out.push(grant);
  }

  /** The grants of one subject of one binding, built once: many identities share a group's or a binding's grants. */
  #grantsOfUse(binding: BindingRecord, subjectIndex: number): readonly Grant[] {
    let bySubject = this.#grantCache.get(binding);
    if (!bySubject) {
      bySubject = [];
      this.#grantCache.set(binding, bySubject);
    }
    const cached = bySubject[subjectIndex];
    if (cached) return cached;
    const grants: Grant[] = [];
    const subject = binding.subjects[subjectIndex];
    const resolution = this.roleOf(binding);
    if (subject && resolution.ok) {
      const role = resolution.role;
      role.rules.forEach((rule, ruleIndex) => {
        grants.push({ binding, subjectIndex, subject, role, ruleIndex, rule, namespace: binding.namespace });
      });
    }
    bySubject[subjectIndex] = grants;
    return grants;
  }

  /** The bindings that name this very subject (same kind, name and namespace); groups it may belong to are not known. */
  usesOfSubject(subject: Subject): readonly SubjectUse[] {
    return this.#bySubject.get(subjectKey(subject)) ?? [];
  }

  /** Every subject use in the index, for who-can. */
  allSubjectUses(): SubjectUse[] {
    return [...this.#bySubject.values()].flat();
  }
}

function grantsToSomeone(binding: BindingRecord): boolean {
  return binding.subjects.some((subject) => subject !== undefined && !matchesNobody(subject));
}

function invalid(message: string): RoleResolution {
  return { ok: false, problem: { type: 'invalid', message } };
}

function missing(message: string): RoleResolution {
  return { ok: false, problem: { type: 'missing', message } };
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
