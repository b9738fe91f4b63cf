import { isRecord, type KubeObject } from '../../core/kube-object.ts';
import { apiGroupOf } from '../../core/pod-spec.ts';
import type { Violation } from '../../core/rule.ts';
import { defineRule } from '../../core/rule.ts';
import { object } from '../example-objects.ts';

type Level = 'None' | 'Metadata' | 'Request' | 'RequestResponse';
const LEVELS: readonly Level[] = ['None', 'Metadata', 'Request', 'RequestResponse'];

/** A request the policy must treat in a known way. */
interface Probe {
  verb: string;
  group: string;
  resource: string;
  /** What is wrong when the level is at or below `atMost`... */
  tooLow?: string;
  /** ...or at or above Request (the body would land in the log). */
  tooHigh?: string;
}

const PROBES: readonly Probe[] = [
  {
    verb: 'get',
    group: '',
    resource: 'secrets',
    tooLow: 'reading Secrets is not audited',
    tooHigh: 'Secret values are written to the audit log',
  },
  { verb: 'create', group: '', resource: 'pods/exec', tooLow: 'exec into pods is not audited' },
  {
    verb: 'create',
    group: 'rbac.authorization.k8s.io',
    resource: 'clusterrolebindings',
    tooLow: 'RBAC changes are not audited',
  },
  {
    verb: 'create',
    group: 'authentication.k8s.io',
    resource: 'tokenreviews',
    tooHigh: 'bearer tokens under review are written to the audit log',
  },
];

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
}

function matchesResource(pattern: string, resource: string): boolean {
  if (pattern === '*' || pattern === resource) return true;
  const [base, sub] = resource.split('/');
  if (pattern === `${base}/*` && sub !== undefined) return true;
  return sub !== undefined && pattern === `*/${sub}`;
}

/** Whether a policy rule applies to the probe for an ordinary user in an ordinary namespace. */
function ruleMatches(rule: Record<string, unknown>, probe: Probe): boolean {
  // Rules limited to some users or namespaces do not decide for everyone: they are passed over.
  if (strings(rule.users).length > 0 || strings(rule.userGroups).length > 0) return false;
  if (strings(rule.namespaces).length > 0 || strings(rule.nonResourceURLs).length > 0) return false;
  const verbs = strings(rule.verbs);
  if (verbs.length > 0 && !verbs.includes(probe.verb)) return false;
  if (!Array.isArray(rule.resources) || rule.resources.length === 0) return true;
  return rule.resources.some(
    (groupResources) =>
      isRecord(groupResources) &&
      (typeof groupResources.group === 'string' ? groupResources.group : '') === probe.group &&
      (strings(groupResources.resources).length === 0 ||
        strings(groupResources.resources).some((pattern) => matchesResource(pattern, probe.resource))) &&
      strings(groupResources.resourceNames).length === 0,
  );
}

function levelFor(rules: readonly unknown[], probe: Probe): { level: Level; index: number } {
  for (const [index, rule] of rules.entries())
    if (isRecord(rule) && ruleMatches(rule, probe) && LEVELS.includes(rule.level as Level))
      return { level: rule.level as Level, index };
  return { level: 'None', index: -1 };
}

function policy(rules: readonly Record<string, unknown>[]): KubeObject {
  return object('audit.k8s.io/v1', 'Policy', 'audit-policy', { rules });
}

const GOOD = policy([
  { level: 'Metadata', resources: [{ group: '', resources: ['secrets', 'configmaps'] }] },
  { level: 'Metadata', resources: [{ group: 'authentication.k8s.io', resources: ['tokenreviews'] }] },
  { level: 'RequestResponse', resources: [{ group: 'rbac.authorization.k8s.io' }] },
  { level: 'Metadata' },
]);

export default defineRule({
  id: 'audit-policy-coverage',
  title: 'Audit policy misses security-relevant requests or logs secret values',
  severity: 'medium',
  domain: 'cluster',
  kinds: ['Policy'],
  phase: 'runtime',
  layer: 'cluster',
  frameworks: { 'cis-k8s': ['3.2.1', '3.2.2'], 'nsa-cisa': ['kubernetes-audit-logging'] },
  description:
    'An audit policy is evaluated rule by rule, first match wins. This check asks the policy what it does with four requests: reading a Secret (must be logged at `Metadata`: `None` hides it, `Request` and above write the Secret into the log), ' +
    '`pods/exec`, creating a ClusterRoleBinding (must be logged) and a TokenReview (must not be logged with its body). Rules limited to particular users or namespaces are passed over. ' +
    'Data: the audit Policy file given to `--audit-policy-file` (on the control-plane node; the API does not expose it, so only a scan of the file itself checks this).',
  remediation:
    'Start the policy with `level: Metadata` for `secrets`, `configmaps` and `tokenreviews`, log RBAC and `pods/exec` at `Metadata` or above, and end with a catch-all `level: Metadata` rule.',
  references: ['https://kubernetes.io/docs/tasks/debug/debug-cluster/audit/#audit-policy'],
  examples: {
    pass: [GOOD],
    fail: [
      policy([]),
      policy([{ level: 'RequestResponse' }]),
      policy([{ level: 'None', resources: [{ group: '', resources: ['secrets'] }] }, { level: 'Metadata' }]),
    ],
  },
  check: (obj) => {
    if (apiGroupOf(obj.apiVersion) !== 'audit.k8s.io') return [];
    const rules = Array.isArray(obj.rules) ? obj.rules : [];
    if (rules.length === 0)
      return [{ message: 'the audit policy has no rules: nothing is audited', path: ['rules'] }];
    const violations: Violation[] = [];
    for (const probe of PROBES) {
      const { level, index } = levelFor(rules, probe);
      const path = index === -1 ? ['rules'] : ['rules', index, 'level'];
      const request = `${probe.verb} ${probe.group === '' ? '' : `${probe.group}/`}${probe.resource}`;
      if (probe.tooLow && level === 'None')
        violations.push({ message: `${probe.tooLow} (${request} is logged at level None)`, path });
      if (probe.tooHigh && (level === 'Request' || level === 'RequestResponse'))
        violations.push({ message: `${probe.tooHigh} (${request} is logged at level ${level})`, path });
    }
    return violations;
  },
});
