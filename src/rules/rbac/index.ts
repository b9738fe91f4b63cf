// Explicit registry of the RBAC rules: one import and one list entry per rule.
import type { Rule } from '../../core/rule.ts';

export const rbacRules: readonly Rule[] = [];
