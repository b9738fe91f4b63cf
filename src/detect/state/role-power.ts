// Why a role is powerful: the built-in roles everyone knows, and rules that grant everything, Secrets,
// exec into pods, or privilege escalation verbs.
import { isRecord } from '../../core/kube-object.ts';

export const BUILTIN_POWERFUL_CLUSTER_ROLES: Record<string, string> = {
  'cluster-admin': 'cluster-admin (every verb on every resource)',
  admin: 'admin (namespace administration, reads Secrets)',
  edit: 'edit (modifies workloads, reads Secrets)',
  'system:controller:clusterrole-aggregation-controller': 'escalates roles',
};

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
}

/** A short reason, or undefined when the rules grant nothing Palisade considers powerful. */
export function rolePowerOfRules(rules: unknown): string | undefined {
  if (!Array.isArray(rules)) return undefined;
  const reasons = new Set<string>();
  for (const rule of rules) {
    if (!isRecord(rule)) continue;
    const verbs = strings(rule.verbs);
    const resources = strings(rule.resources);
    const groups = strings(rule.apiGroups);
    const anyVerb = verbs.includes('*');
    const reads = anyVerb || verbs.some((verb) => verb === 'get' || verb === 'list' || verb === 'watch');
    if (anyVerb && (resources.includes('*') || groups.includes('*'))) reasons.add('wildcard rules');
    else if (
      resources.includes('*') &&
      (anyVerb || verbs.some((verb) => verb !== 'get' && verb !== 'list' && verb !== 'watch'))
    )
      reasons.add('writes every resource');
    if (reads && (resources.includes('secrets') || resources.includes('*'))) reasons.add('reads Secrets');
    if ((anyVerb || verbs.includes('create') || verbs.includes('get')) && resources.includes('pods/exec'))
      reasons.add('execs into pods');
    if (verbs.some((verb) => verb === 'bind' || verb === 'escalate' || verb === 'impersonate'))
      reasons.add('bind/escalate/impersonate');
    if ((anyVerb || verbs.includes('create')) && resources.includes('serviceaccounts/token'))
      reasons.add('mints ServiceAccount tokens');
  }
  return reasons.size === 0 ? undefined : [...reasons].join(', ');
}
