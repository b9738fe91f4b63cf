// Who may make a request: every binding subject whose binding's role allows it, with the rules that do.
import { grantApplies, isAskedOfEveryNamespace, normalizeRequest, SUPERUSER_GROUP } from './authorize.ts';
import type { BindingRecord } from './binding-records.ts';
import type { AccessRequest } from './policy-rule.ts';
import type { Grant, RbacIndex } from './rbac-index.ts';
import type { RoleRecord } from './role-records.ts';
import { matchesNobody, type Subject } from './subject.ts';

export interface WhoCanEntry {
  subject: Subject;
  binding: BindingRecord;
  role: RoleRecord;
  /** Indexes into `role.rules` of every rule that allows the request. */
  ruleIndexes: number[];
  /** '' when the binding grants it in every namespace (ClusterRoleBinding), else the one namespace. */
  namespace: string;
}

export interface WhoCanAnswer {
  request: AccessRequest;
  entries: WhoCanEntry[];
  /** Always true: the API server allows system:masters everything without asking RBAC. */
  superuserGroup: string;
}

/**
 * Answers for one request. Without a namespace, a namespaced request is asked of every namespace: RoleBindings are
 * then listed with the namespace they grant it in.
 */
export function whoCan(index: RbacIndex, request: AccessRequest): WhoCanAnswer {
  const normalized = normalizeRequest(request, index.isClusterScoped);
  const anyNamespace = isAskedOfEveryNamespace(normalized, index.isClusterScoped);
  // Cluster-scoped resources and URLs: only ClusterRoleBindings grant them.
  const clusterOnly = requestNamespace(normalized) === '' && !anyNamespace;
  const byRole = new Map<RoleRecord, number[]>();
  const entries: WhoCanEntry[] = [];
  for (const binding of index.bindings) {
    if (
      binding.kind === 'RoleBinding' &&
      (clusterOnly || (!anyNamespace && binding.namespace !== requestNamespace(normalized)))
    )
      continue;
    const resolution = index.roleOf(binding);
    if (!resolution.ok) continue;
    const role = resolution.role;
    const asked: AccessRequest =
      binding.kind === 'RoleBinding' && normalized.type === 'resource' && anyNamespace
        ? { ...normalized, namespace: binding.namespace }
        : normalized;
    let ruleIndexes = byRole.get(role);
    if (ruleIndexes === undefined || asked !== normalized) {
      ruleIndexes = matchingRules(role, binding, asked);
      if (asked === normalized) byRole.set(role, ruleIndexes);
    }
    if (ruleIndexes.length === 0) continue;
    binding.subjects.forEach((subject) => {
      if (subject && !matchesNobody(subject))
        entries.push({
          subject,
          binding,
          role,
          ruleIndexes: ruleIndexes ?? [],
          namespace: binding.namespace,
        });
    });
  }
  return { request: normalized, entries, superuserGroup: SUPERUSER_GROUP };
}

function requestNamespace(request: AccessRequest): string {
  return request.type === 'resource' ? request.namespace : '';
}

function matchingRules(role: RoleRecord, binding: BindingRecord, request: AccessRequest): number[] {
  const out: number[] = [];
  role.rules.forEach((rule, ruleIndex) => {
    const grant: Grant = {
      binding,
      subjectIndex: 0,
      subject: { kind: 'User', name: '', namespace: '' },
      role,
      ruleIndex,
      rule,
      namespace: binding.namespace,
    };
    if (grantApplies(grant, request)) out.push(ruleIndex);
  });
  return out;
}
