import type { Violation } from '../../core/rule.ts';
import { defineRule } from '../../core/rule.ts';
import { formatBinding } from '../../rbac/binding-records.ts';
import { powerOfRole } from '../../rbac/power-violations.ts';
import { POWERS } from '../../rbac/powers.ts';
import { RbacIndex } from '../../rbac/rbac-index.ts';
import { isDefaultRole } from '../../rbac/role-records.ts';
import { formatSubject } from '../../rbac/subject.ts';
import { clusterRole } from './rbac-examples.ts';

export default defineRule({
  id: 'aggregated-role-risky-power',
  title: 'Aggregated ClusterRole that collects a risky power',
  severity: 'high',
  domain: 'rbac',
  kinds: ['ClusterRole'],
  phase: 'deploy',
  layer: 'cluster',
  frameworks: { 'cis-k8s': ['5.1.3'], 'nsa-cisa': ['rbac'], 'mitre-attack': ['T1098.006'] },
  description:
    'An aggregated ClusterRole (`aggregationRule`) holds no rules of its own: the control plane fills it with the rules of every ClusterRole whose labels its selectors match, now and later. ' +
    'Reviewing the role shows nothing; the power is in the roles it collects, and anyone who can label a ClusterRole can add to it. ' +
    'This rule reports aggregated roles whose collected rules include a risky power (cluster-admin equivalence, wildcards, escalate/bind/impersonate, Secrets, exec, nodes/proxy, workload creation, tokens, CSR approval, webhooks, PersistentVolumes) and names the roles they come from.',
  remediation:
    'Narrow the selectors to labels only your own reviewed roles carry, and remove the risky rules from the roles it collects; grant those powers with separate, explicit roles where needed.',
  references: [
    'https://kubernetes.io/docs/concepts/security/rbac-good-practices/',
    'https://kubernetes.io/docs/reference/access-authn-authz/rbac/',
    'https://kubernetes.io/docs/reference/access-authn-authz/rbac/#aggregated-clusterroles',
  ],
  examples: {
    pass: [
      clusterRole('team-viewer', [], {
        aggregateLabels: [{ 'rbac.authorization.k8s.io/aggregate-to-view': 'true' }],
      }),
    ],
    fail: [
      clusterRole('team-editor', [], {
        aggregateLabels: [{ 'rbac.authorization.k8s.io/aggregate-to-edit': 'true' }],
      }),
    ],
  },
  check: (object, context) => {
    const index = RbacIndex.of(context.inventory);
    const role = index.roleOfObject(object);
    if (!role || role.aggregationSelectors === undefined || isDefaultRole(role)) return [];
    const out: Violation[] = [];
    const holders = index
      .bindingsOf(role)
      .flatMap((binding) =>
        binding.subjects.flatMap((subject) =>
          subject ? [`${formatSubject(subject)} (${formatBinding(binding)})`] : [],
        ),
      );
    const granted =
      holders.length === 0
        ? '; no binding in the scanned inputs grants it yet'
        : `; granted to ${holders.slice(0, 3).join(', ')}${holders.length > 3 ? ` and ${holders.length - 3} more` : ''}`;
    for (const power of POWERS) {
      const match = powerOfRole(role, power);
      if (!match) continue;
      const from = [...new Set(match.ruleIndexes.map((ruleIndex) => role.ruleOrigins[ruleIndex] ?? '?'))];
      out.push({
        message: `ClusterRole ${role.name} aggregates the power to ${power.title} (${match.what}) from ClusterRole${from.length > 1 ? 's' : ''} ${from.join(', ')}${granted}`,
        path: ['aggregationRule', 'clusterRoleSelectors'],
      });
    }
    return out;
  },
});
