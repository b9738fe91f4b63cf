// The text of `palisade rbac` answers: each grant names subject, binding and role (with where they were read) and the
// rules that allow the request, so that the answer says what to change.
import { locate } from '../core/engine.ts';
import type { InventoryEntry } from '../core/inventory.ts';
import { type Decision, isCollectionRequest, rulesByBinding } from './authorize.ts';
import { type BindingRecord, formatBinding } from './binding-records.ts';
import type { EscalationPath } from './escalation-paths.ts';
import { type AccessRequest, describeRule } from './policy-rule.ts';
import type { Grant } from './rbac-index.ts';
import type { RoleRecord } from './role-records.ts';
import { describeGroup, formatSubject, type Identity, type Subject } from './subject.ts';
import type { WhoCanAnswer } from './who-can.ts';

/** Said when a request names an object the API server's request would not: a create or deletecollection. */
export function nameLeftOut(request: AccessRequest): string | undefined {
  return request.type === 'resource' && request.name !== '' && isCollectionRequest(request)
    ? `--name ${request.name} left out: a ${request.verb} request carries no name`
    : undefined;
}

export function describeRequest(request: AccessRequest): string {
  if (request.type === 'non-resource') return `${request.verb} ${request.path}`;
  const resource =
    request.subresource === '' ? request.resource : `${request.resource}/${request.subresource}`;
  const group = request.apiGroup === '' ? '' : `.${request.apiGroup}`;
  const leftOut = nameLeftOut(request);
  const name = request.name === '' ? '' : leftOut ? ` (${leftOut})` : ` named ${request.name}`;
  const where = request.namespace === '' ? '' : ` in namespace ${request.namespace}`;
  return `${request.verb} ${resource}${group}${name}${where}`;
}

function whereRead(entry: InventoryEntry | undefined): string {
  if (entry?.source.type !== 'file') return '';
  const location = locate(entry, []);
  return location.type === 'file' ? ` (${location.file}:${location.line})` : '';
}

function roleText(role: RoleRecord): string {
  const name = role.kind === 'Role' ? `Role ${role.namespace}/${role.name}` : `ClusterRole ${role.name}`;
  return role.origin === 'default' ? `${name} (Kubernetes default)` : `${name}${whereRead(role.entry)}`;
}

function ruleLines(role: RoleRecord, indexes: readonly number[], indent: string): string[] {
  return indexes.map((index) => {
    const rule = role.rules[index];
    const origin = role.ruleOrigins[index];
    const from =
      origin !== undefined && origin !== role.name ? ` (aggregated from ClusterRole ${origin})` : '';
    return `${indent}rules[${index}]: ${rule ? describeRule(rule) : '?'}${from}`;
  });
}

function subjectText(subject: Subject): string {
  const group = subject.kind === 'Group' ? describeGroup(subject.name) : undefined;
  return group ? `${formatSubject(subject)} (${group})` : formatSubject(subject);
}

function grantLines(
  binding: BindingRecord,
  role: RoleRecord,
  indexes: readonly number[],
  indent: string,
): string[] {
  return [
    `${indent}${formatBinding(binding)}${whereRead(binding.entry)} -> ${roleText(role)}`,
    ...ruleLines(role, indexes, `${indent}  `),
  ];
}

export function whoCanLines(answer: WhoCanAnswer): string[] {
  const lines = [`Who can ${describeRequest(answer.request)}:`];
  if (answer.entries.length === 0) lines.push('  no binding in the inputs grants it');
  const sorted = [...answer.entries].sort(
    (a, b) =>
      (a.namespace === '' ? 0 : 1) - (b.namespace === '' ? 0 : 1) ||
      formatSubject(a.subject).localeCompare(formatSubject(b.subject)),
  );
  for (const entry of sorted) {
    const scope = entry.namespace === '' ? 'everywhere' : `in namespace ${entry.namespace}`;
    lines.push(`  ${subjectText(entry.subject)}, ${scope}`);
    lines.push(...grantLines(entry.binding, entry.role, entry.ruleIndexes, '    '));
  }
  lines.push(
    `  (and group ${answer.superuserGroup}: the API server allows its members everything, RBAC or not)`,
  );
  return lines;
}

/** `held`: the bindings that name the subject (or its groups), so that a "no" still shows what it does hold. */
export function canLines(
  subject: Subject,
  identity: Identity,
  request: AccessRequest,
  decision: Decision,
  held: readonly string[] = [],
): string[] {
  const who = formatSubject(subject);
  const groups = identity.groups.length > 0 ? ` (groups: ${identity.groups.join(', ')})` : '';
  if (!decision.allowed) {
    if (decision.namespaceGrants.length > 0) {
      // Asked without -n: every namespace at once. Saying only "no" would hide the RoleBindings that allow it.
      const namespaces = [...new Set(decision.namespaceGrants.map((grant) => grant.namespace))].sort();
      return [
        `no: ${who}${groups} cannot ${describeRequest(request)} in every namespace (asked without -n); only in namespace${namespaces.length === 1 ? '' : 's'} ${namespaces.join(', ')}:`,
        ...grantsByBinding(decision.namespaceGrants, who),
      ];
    }
    const lines = [
      `no: ${who}${groups} cannot ${describeRequest(request)}: no binding in the inputs grants it`,
    ];
    if (held.length === 0) lines.push('  no binding in the inputs names it or its groups');
    else lines.push('  bindings that name it or its groups:', ...held.map((text) => `    ${text}`));
    return lines;
  }
  const lines = [`yes: ${who}${groups} can ${describeRequest(request)}`];
  if (decision.superuser)
    lines.push('  as a member of system:masters, which the API server allows everything');
  lines.push(...grantsByBinding(decision.grants, who));
  return lines;
}

/** The grants, a binding at a time, saying through which subject when it is not the one asked about. */
function grantsByBinding(grants: readonly Grant[], who: string): string[] {
  const lines: string[] = [];
  for (const [binding, { role, indexes }] of rulesByBinding(grants)) {
    const subjectUsed = grants.find((grant) => grant.binding === binding)?.subject;
    const through =
      subjectUsed && formatSubject(subjectUsed) !== who ? `  as ${subjectText(subjectUsed)}:` : undefined;
    if (through) lines.push(through);
    lines.push(...grantLines(binding, role, indexes, through ? '    ' : '  '));
  }
  return lines;
}

/** `RoleBinding ns/b (file:line) -> ClusterRole edit (Kubernetes default)` for each binding. */
export function heldLines(
  uses: readonly { binding: BindingRecord; role: RoleRecord | undefined }[],
): string[] {
  return uses.map(
    ({ binding, role }) =>
      `${formatBinding(binding)}${whereRead(binding.entry)} -> ${role ? roleText(role) : `${binding.roleRef.kind} ${binding.roleRef.name} (not found)`}`,
  );
}

export function pathLines(paths: readonly EscalationPath[], asked: boolean): string[] {
  if (paths.length === 0)
    return [
      asked
        ? 'No escalation path to cluster-admin found from the given subjects.'
        : 'No escalation path to cluster-admin found from any workload ServiceAccount in the inputs.',
    ];
  const lines: string[] = [];
  paths.forEach((path, index) => {
    const used = path.workloads.length > 0 ? ` (used by ${path.workloads.join(', ')})` : '';
    const count = `${path.steps.length} step${path.steps.length === 1 ? '' : 's'}`;
    lines.push(`Path ${index + 1}: ${formatSubject(path.start)}${used} reaches cluster-admin in ${count}`);
    path.steps.forEach((step, number) => {
      const becomes = step.becomes ? ` -> becomes ${formatSubject(step.becomes)}` : ' -> cluster-admin';
      const via = step.via ? ` via ${step.via}` : '';
      lines.push(`  ${number + 1}. ${formatSubject(step.subject)} ${step.action}${becomes}${via}`);
      for (const grant of step.grantedBy) lines.push(`     granted by ${grant}`);
    });
    lines.push('');
  });
  return lines;
}
