import { nameOf } from '../../core/kube-object.ts';
import type { Violation } from '../../core/rule.ts';
import { defineRule } from '../../core/rule.ts';
import { object } from '../example-objects.ts';
import { SYSTEM_NAMESPACES } from './system-namespaces.ts';

export default defineRule({
  id: 'namespace-resource-limits',
  title: 'Namespace without ResourceQuota or LimitRange',
  severity: 'low',
  domain: 'cluster',
  kinds: ['Namespace'],
  phase: 'deploy',
  layer: 'cluster',
  frameworks: { 'nsa-cisa': ['resource-policies'] },
  description:
    "Without a ResourceQuota, one namespace can take every node's CPU, memory and object count; without a LimitRange, containers that declare no requests or limits get none, " +
    'so a single runaway pod starves its neighbours. The check looks for the objects in the same scan: scan a namespace together with its quota and limit range. ' +
    'kube-system, kube-public and kube-node-lease are not checked. Data: Namespace, ResourceQuota and LimitRange objects.',
  remediation:
    'Create a ResourceQuota and a LimitRange (with default requests and limits) in each application namespace.',
  references: [
    'https://kubernetes.io/docs/concepts/policy/resource-quotas/',
    'https://kubernetes.io/docs/concepts/policy/limit-range/',
  ],
  admission: 'needs-cluster',
  examples: {
    pass: [object('v1', 'Namespace', 'kube-system', {})],
    fail: [object('v1', 'Namespace', 'shop', {})],
  },
  check: (obj, context) => {
    const name = nameOf(obj);
    if (SYSTEM_NAMESPACES.has(name)) return [];
    const violations: Violation[] = [];
    for (const kind of ['ResourceQuota', 'LimitRange'])
      if (context.inventory.ofKind(kind, name).length === 0)
        violations.push({
          message: `namespace ${name} has no ${kind}`,
          path: ['metadata', 'name'],
          facet: kind,
        });
    return violations;
  },
});
