// Which rules a scan runs: by framework, by id, minus skipped ids. Unknown ids are errors, never ignored.
import { PalisadeError } from './errors.ts';
import { FRAMEWORK_IDS, type FrameworkId, type Rule } from './rule.ts';

export interface RuleSelection {
  frameworks?: readonly string[];
  rules?: readonly string[];
  skipRules?: readonly string[];
}

export function isFrameworkId(value: string): value is FrameworkId {
  return (FRAMEWORK_IDS as readonly string[]).includes(value);
}

/** Resolves ids and aliases to rules; throws `unknown-rule` naming every unknown id and where it came from. */
export function resolveRuleIds(all: readonly Rule[], ids: readonly string[], origin: string): Rule[] {
  const byId = new Map<string, Rule>();
  for (const rule of all) for (const id of [rule.id, ...(rule.aliases ?? [])]) byId.set(id, rule);
  const unknown = ids.filter((id) => !byId.has(id));
  if (unknown.length > 0)
    throw new PalisadeError(
      'unknown-rule',
      `unknown rule id${unknown.length > 1 ? 's' : ''} in ${origin}: ${unknown.join(', ')} (see \`palisade rules\`)`,
    );
  return ids.map((id) => byId.get(id) as Rule);
}

export function selectRules(all: readonly Rule[], selection: RuleSelection): Rule[] {
  const frameworks = selection.frameworks ?? [];
  for (const framework of frameworks)
    if (!isFrameworkId(framework))
      throw new PalisadeError(
        'usage',
        `unknown framework "${framework}": expected one of ${FRAMEWORK_IDS.join(', ')}`,
      );
  const explicit = resolveRuleIds(all, selection.rules ?? [], '--rule');
  const skipped = new Set(
    resolveRuleIds(all, selection.skipRules ?? [], '--skip-rule').map((rule) => rule.id),
  );
  const chosen =
    frameworks.length === 0 && explicit.length === 0
      ? all
      : all.filter(
          (rule) =>
            explicit.includes(rule) ||
            frameworks.some((framework) => (rule.frameworks[framework as FrameworkId]?.length ?? 0) > 0),
        );
  return chosen.filter((rule) => !skipped.has(rule.id));
}
