// Explicit registry of the cluster (control-plane and posture) rules: one import and one list entry per rule.
import type { Rule } from '../../core/rule.ts';

export const clusterRules: readonly Rule[] = [];
