// An item's `override: {key: append|replace}`, checked as Falco's rule_loader_reader.cpp checks it: only the
// keys its kind allows for each operation, never together with `append: true`, and, for rules, every
// overridable key the item gives has an entry and every entry a key.
import { isRecord } from '../../core/kube-object.ts';
import type { RuleLoadProblem } from './load-problem.ts';
import type { RulesItem } from './rules-file.ts';
import { yamlBool } from './yaml-bool.ts';

export type Override = 'append' | 'replace';
type OverridableKind = 'list' | 'macro' | 'rule';

/** `capture` and `capture_duration` came with Falco 0.42's captures, replaceable like the other rule flags. */
const OVERRIDABLE: Record<OverridableKind, Record<Override, ReadonlySet<string>>> = {
  list: { append: new Set(['items']), replace: new Set(['items']) },
  macro: { append: new Set(['condition']), replace: new Set(['condition']) },
  rule: {
    append: new Set(['condition', 'output', 'desc', 'tags', 'exceptions']),
    replace: new Set([
      'condition',
      'output',
      'desc',
      'priority',
      'tags',
      'exceptions',
      'enabled',
      'warn_evttypes',
      'skip-if-unknown-filter',
      'capture',
      'capture_duration',
    ]),
  },
};

function refusal(kind: OverridableKind, key: string, how: Override): string | undefined {
  const allowed = OVERRIDABLE[kind];
  if (allowed[how].has(key)) return undefined;
  if (kind === 'list') return "a list overrides only 'items'";
  if (kind === 'macro') return "a macro overrides only 'condition'";
  if (how === 'replace') return `'${key}' cannot be replaced`;
  return allowed.replace.has(key)
    ? `'${key}' cannot be appended to, use replace`
    : `'${key}' cannot be appended to`;
}

/** The entries to apply (empty without `override`), or undefined when the item must not be applied. */
export function readOverrides(
  item: RulesItem,
  kind: OverridableKind,
): { entries: Map<string, Override> | undefined; problems: RuleLoadProblem[] } {
  const entries = new Map<string, Override>();
  const problems: RuleLoadProblem[] = [];
  const { override } = item.value;
  if (override === undefined) return { entries, problems };
  const label = `${kind} '${item.name}'`;
  const overrideLine = item.keyLines.override ?? item.line;
  const fail = (message: string, line: number) =>
    problems.push({ severity: 'error', file: item.file, line, column: 1, message: `${label}: ${message}` });
  if (!isRecord(override)) fail("'override' must map keys to append or replace", overrideLine);
  else if (yamlBool(item.value.append) === true)
    fail("'append' and 'override' cannot be used together", overrideLine);
  else {
    for (const [key, how] of Object.entries(override)) {
      const line = item.overrideLines[key] ?? overrideLine;
      if (how !== 'append' && how !== 'replace')
        fail(`override.${key} must be append or replace, not ${JSON.stringify(how)}`, line);
      else {
        const refused = refusal(kind, key, how);
        if (refused !== undefined) fail(`override.${key}: ${refused}`, line);
        else if (!Object.hasOwn(item.value, key))
          fail(`override.${key} is set but the item has no '${key}'`, line);
        else entries.set(key, how);
      }
    }
    const allowed = OVERRIDABLE[kind];
    if (kind === 'rule' && entries.size > 0)
      for (const key of Object.keys(item.value))
        if ((allowed.append.has(key) || allowed.replace.has(key)) && !Object.hasOwn(override, key))
          fail(`'${key}' is given but 'override' has no entry for it`, item.keyLines[key] ?? item.line);
  }
  return { entries: problems.length > 0 ? undefined : entries, problems };
}
