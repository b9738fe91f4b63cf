// A rule ready to run: its metadata, a compiled condition and a compiled output template.
import type { Evaluator } from '../condition/compile.ts';
import type { OutputTemplate } from '../output-format.ts';
import type { Priority } from '../priority.ts';
import type { RuleIndex } from './resource-index.ts';

export interface CompiledRule {
  name: string;
  description: string;
  priority: Priority;
  tags: string[];
  source: string;
  matches: Evaluator;
  output: OutputTemplate;
  file: string;
  line: number;
}

export interface CompiledRuleset {
  /** Enabled rules for the k8s_audit source, in load order. */
  rules: CompiledRule[];
  /** Falco's default is `first`: only the first matching rule alerts for an event. */
  matching: 'first' | 'all';
  /** Rules skipped because they are for another source (syscall, ...). */
  otherSourceRules: number;
  disabledRules: number;
  /** The rules worth evaluating for an event, by its target resource. */
  index: RuleIndex;
}
