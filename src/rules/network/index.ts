// Explicit registry of the network rules: one import and one list entry per rule.
import type { Rule } from '../../core/rule.ts';

export const networkRules: readonly Rule[] = [];
