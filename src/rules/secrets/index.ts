// Explicit registry of the secrets rules: one import and one list entry per rule.
import type { Rule } from '../../core/rule.ts';

export const secretsRules: readonly Rule[] = [];
