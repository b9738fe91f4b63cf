// Compiles merged rules (and their macros and lists) for the k8s_audit source, reporting every problem at
// the file and line of the rule or macro that has it.
import type { ConditionNode, ListItem } from '../condition/ast.ts';
import { type CompileEnvironment, ConditionCompileError, ConditionCompiler } from '../condition/compile.ts';
import { ConditionSyntaxError, parseCondition } from '../condition/parser.ts';
import { fieldByName, isFieldName } from '../fields/field-table.ts';
import { compileOutput } from '../output-format.ts';
import { parsePriority } from '../priority.ts';
import type { CompiledRule, CompiledRuleset } from './compiled-rule.ts';
import { exceptionNode } from './exception-condition.ts';
import type { RuleLoadProblem } from './load-problem.ts';
import { RuleIndex, requiredResources } from './resource-index.ts';
import type { MacroDraft, RuleDraft } from './rule-draft.ts';
import type { RulesetBuilder } from './ruleset-builder.ts';

export const AUDIT_SOURCES = new Set(['k8s_audit', 'k8saudit']);

function describe(error: unknown): { message: string; offset: number | undefined } {
  if (error instanceof ConditionSyntaxError || error instanceof ConditionCompileError)
    return { message: error.message, offset: error.offset };
  return { message: (error as Error).message, offset: undefined };
}

/** The macros a condition names directly. */
function macroNames(node: ConditionNode, out = new Set<string>()): Set<string> {
  if (node.kind === 'macro') out.add(node.name);
  else if (node.kind === 'and' || node.kind === 'or')
    for (const operand of node.operands) macroNames(operand, out);
  else if (node.kind === 'not') macroNames(node.operand, out);
  return out;
}

export function compileRuleset(
  builder: RulesetBuilder,
  matching: 'first' | 'all',
): { ruleset: CompiledRuleset; problems: RuleLoadProblem[] } {
  const problems: RuleLoadProblem[] = [];
  const parsedMacros = new Map<string, ConditionNode>();
  // Macros some audit rule reached, read (and their problems reported) through that rule.
  const reachedMacros = new Set<string>();
  const lists = new Map<string, readonly ListItem[]>();
  for (const [name, draft] of builder.lists) lists.set(name, draft.items);

  const macros = {
    get(name: string): ConditionNode | undefined {
      const known = parsedMacros.get(name);
      if (known !== undefined) return known;
      const draft = builder.macros.get(name);
      if (draft === undefined) return undefined;
      reachedMacros.add(name);
      try {
        const node = parseCondition(draft.condition, isFieldName);
        // Falco resolves a macro's body with only the macros defined before it (rules see them all).
        for (const used of macroNames(node)) {
          const later = laterMacro(builder, draft, used);
          if (later !== undefined) throw new ConditionCompileError(later);
        }
        parsedMacros.set(name, node);
        return node;
      } catch (error) {
        const { message, offset } = describe(error);
        const where = offset === undefined ? '' : ` at character ${offset + 1}`;
        throw new ConditionCompileError(
          `in macro '${name}' (${draft.file}:${draft.line}${where}): ${message}`,
        );
      }
    },
  };

  const ruleset: CompiledRuleset = {
    rules: [],
    matching,
    otherSourceRules: 0,
    disabledRules: 0,
    index: new RuleIndex([], []),
  };
  const resources: (Set<string> | undefined)[] = [];
  let current: RuleDraft | undefined;
  const warn = (message: string) => {
    if (current !== undefined)
      problems.push({
        severity: 'warning',
        file: current.file,
        line: current.conditionLine,
        column: 1,
        message: `rule '${current.name}': ${message}`,
      });
  };
  const env: CompileEnvironment = { field: fieldByName, macros, lists, warn };
  // One compiler for the ruleset: rules share its compiled macros, and with them each macro's per-event memo.
  const compiler = new ConditionCompiler(env);
  for (const draft of builder.rules.values()) {
    current = draft;
    if (!AUDIT_SOURCES.has(draft.source)) {
      ruleset.otherSourceRules++;
      continue;
    }
    if (!draft.enabled) {
      ruleset.disabledRules++;
      continue;
    }
    let matches: CompiledRule['matches'];
    let required: Set<string> | undefined;
    try {
      let node = parseCondition(draft.condition, isFieldName);
      const exceptionNodes = draft.exceptions
        .map((exception) => exceptionNode(exception, isFieldName))
        .filter((n): n is ConditionNode => n !== undefined);
      if (exceptionNodes.length > 0)
        node = {
          kind: 'and',
          operands: [node, { kind: 'not', operand: { kind: 'or', operands: exceptionNodes } }],
        };
      matches = compiler.compile(node);
      required = requiredResources(node, { macros, lists });
    } catch (error) {
      const { message, offset } = describe(error);
      const where = offset === undefined ? '' : ` (at character ${offset + 1} of the condition)`;
      problems.push({
        severity: draft.skipIfUnknownFilter && /unknown field/.test(message) ? 'warning' : 'error',
        file: draft.file,
        line: draft.conditionLine,
        column: 1,
        message: `rule '${draft.name}': ${message}${where}`,
      });
      continue;
    }
    let output: CompiledRule['output'];
    try {
      output = compileOutput(draft.output, env);
    } catch (error) {
      problems.push({
        severity: 'error',
        file: draft.file,
        line: draft.outputLine,
        column: 1,
        message: `rule '${draft.name}': output: ${describe(error).message}`,
      });
      continue;
    }
    ruleset.rules.push({
      name: draft.name,
      description: draft.desc,
      priority: parsePriority(draft.priority) ?? 'debug',
      tags: draft.tags,
      source: 'k8s_audit',
      matches,
      output,
      file: draft.file,
      line: draft.line,
    });
    resources.push(required);
  }
  problems.push(...unusedMacroProblems(builder, reachedMacros));
  ruleset.index = new RuleIndex(ruleset.rules, resources);
  return { ruleset, problems };
}

/** Why `draft` may not use macro `used`: it is defined after it (Falco's visibility); undefined when it may. */
function laterMacro(builder: RulesetBuilder, draft: MacroDraft, used: string): string | undefined {
  const target = builder.macros.get(used);
  if (target === undefined || target.index < draft.visibility) return undefined;
  return `macro '${used}' is defined after it (${target.file}:${target.line}); a macro may only use macros defined before it, as in Falco`;
}

/** Falco's field names all hold a dot (`ka.verb`, `evt.type`, `json.value`); macro names are plain identifiers. */
const looksLikeField = (name: string): boolean => name.includes('.');

/**
 * Falco compiles every macro, used or not, and refuses the rules files when one names a macro that is undefined or
 * defined after it. Macros no audit rule uses may belong to other sources (the syscall rules), so they are read with
 * any dotted name as a field, and one this parser cannot read is only a warning: its fields are not checked either.
 */
function unusedMacroProblems(builder: RulesetBuilder, reached: ReadonlySet<string>): RuleLoadProblem[] {
  const problems: RuleLoadProblem[] = [];
  for (const [name, draft] of builder.macros) {
    if (reached.has(name)) continue;
    const at = { file: draft.file, line: draft.line, column: 1 };
    let node: ConditionNode;
    try {
      node = parseCondition(draft.condition, looksLikeField);
    } catch (error) {
      problems.push({
        severity: 'warning',
        ...at,
        message: `macro '${name}' (used by no k8s_audit rule) could not be read: ${describe(error).message}`,
      });
      continue;
    }
    for (const used of macroNames(node)) {
      const later = laterMacro(builder, draft, used);
      if (!builder.macros.has(used))
        problems.push({
          severity: 'error',
          ...at,
          message: `macro '${name}': undefined macro '${used}' in its condition (Falco refuses the rules files even though no rule uses '${name}')`,
        });
      else if (later !== undefined)
        problems.push({
          severity: 'error',
          ...at,
          message: `macro '${name}': ${later}, even when no rule uses it`,
        });
    }
  }
  return problems;
}
