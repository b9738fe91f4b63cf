// The JSON shapes of `palisade rbac` answers: plain data, stable field names, locations where the objects were read.
import { locate } from '../core/engine.ts';
import type { Location } from '../core/source.ts';
import { type Decision, rulesByBinding } from './authorize.ts';
import type { BindingRecord } from './binding-records.ts';
import type { EscalationPath } from './escalation-paths.ts';
import { type AccessRequest, describeRule } from './policy-rule.ts';
import type { Grant } from './rbac-index.ts';
import type { RoleRecord } from './role-records.ts';
import type { Identity, Subject } from './subject.ts';
import type { WhoCanAnswer } from './who-can.ts';

export interface GrantJson {
  subject: Subject;
  /** '' = every namespace (ClusterRoleBinding), else the one namespace. */
  namespace: string;
  binding: { kind: string; namespace?: string; name: string; location?: Location };
  role: {
    kind: string;
    namespace?: string;
    name: string;
    origin: 'inventory' | 'default';
    location?: Location;
  };
  rules: { index: number; rule: string; aggregatedFrom?: string }[];
}

function bindingJson(binding: BindingRecord): GrantJson['binding'] {
  const out: GrantJson['binding'] = { kind: binding.kind, name: binding.name };
  if (binding.namespace !== '') out.namespace = binding.namespace;
  if (binding.entry.source.type !== 'inline') out.location = locate(binding.entry, []);
  return out;
}

function roleJson(role: RoleRecord): GrantJson['role'] {
  const out: GrantJson['role'] = { kind: role.kind, name: role.name, origin: role.origin };
  if (role.namespace !== '') out.namespace = role.namespace;
  if (role.entry && role.entry.source.type !== 'inline') out.location = locate(role.entry, []);
  return out;
}

export function grantJson(
  subject: Subject,
  binding: BindingRecord,
  role: RoleRecord,
  ruleIndexes: readonly number[],
): GrantJson {
  return {
    subject,
    namespace: binding.namespace,
    binding: bindingJson(binding),
    role: roleJson(role),
    rules: ruleIndexes.map((index) => {
      const rule = role.rules[index];
      const entry: GrantJson['rules'][number] = { index, rule: rule ? describeRule(rule) : '' };
      const origin = role.ruleOrigins[index];
      if (origin !== undefined && origin !== role.name) entry.aggregatedFrom = origin;
      return entry;
    }),
  };
}

export function whoCanJson(answer: WhoCanAnswer): unknown {
  return {
    request: answer.request,
    superuserGroup: answer.superuserGroup,
    subjects: answer.entries.map((entry) =>
      grantJson(entry.subject, entry.binding, entry.role, entry.ruleIndexes),
    ),
  };
}

export function canJson(
  subject: Subject,
  identity: Identity,
  request: AccessRequest,
  decision: Decision,
): unknown {
  const grantsJson = (grants: readonly Grant[]) =>
    [...rulesByBinding(grants)].map(([binding, { role, indexes }]) =>
      grantJson(subject, binding, role, indexes),
    );
  return {
    subject,
    identity,
    request,
    allowed: decision.allowed,
    superuser: decision.superuser,
    grants: grantsJson(decision.grants),
    // Denied for every namespace at once (asked without a namespace): where RoleBindings allow it.
    namespaceGrants: grantsJson(decision.namespaceGrants),
  };
}

export function pathsJson(paths: readonly EscalationPath[]): unknown {
  return { paths };
}
