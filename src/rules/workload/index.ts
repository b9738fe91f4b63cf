// Explicit registry of the workload rules: one import and one list entry per rule.
import type { Rule } from '../../core/rule.ts';

export const workloadRules: readonly Rule[] = [];
