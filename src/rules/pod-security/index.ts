// Explicit registry of the pod-security rules: one import and one list entry per rule.
import type { Rule } from '../../core/rule.ts';

export const podSecurityRules: readonly Rule[] = [];
