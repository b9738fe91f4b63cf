// The explicit registry of built-in rules. Adding a rule = one file + one line in its domain's index.
import type { Rule } from '../core/rule.ts';
import { clusterRules } from './cluster/index.ts';
import { networkRules } from './network/index.ts';
import { podSecurityRules } from './pod-security/index.ts';
import { rbacRules } from './rbac/index.ts';
import { secretsRules } from './secrets/index.ts';
import { supplyChainRules } from './supply-chain/index.ts';
import { workloadRules } from './workload/index.ts';

export const builtinRules: readonly Rule[] = [
  ...podSecurityRules,
  ...workloadRules,
  ...secretsRules,
  ...networkRules,
  ...supplyChainRules,
  ...rbacRules,
  ...clusterRules,
];

const byId = new Map<string, Rule>();
for (const rule of builtinRules) {
  for (const id of [rule.id, ...(rule.aliases ?? [])]) {
    if (byId.has(id)) throw new Error(`duplicate rule id or alias "${id}"`);
    byId.set(id, rule);
  }
}

/** A rule by id or alias. */
export function findRule(id: string): Rule | undefined {
  return byId.get(id);
}
