// Loads Palisade's built-in detections, optionally tuned by the user's own files (appends/overrides to the
// built-in lists, macros and rules), as one ruleset that alerts for every matching rule.
import { PalisadeError } from '../../core/errors.ts';
import { formatProblem } from '../rules/load-problem.ts';
import { loadRulesTexts, type RulesLoadResult, type RulesText } from '../rules/load-rules.ts';
import { BUILTIN_RULES_FILE, BUILTIN_RULES_YAML } from './builtin-rules-yaml.ts';

export function loadBuiltinRuleset(tuning: readonly RulesText[] = []): RulesLoadResult {
  const result = loadRulesTexts([{ text: BUILTIN_RULES_YAML, file: BUILTIN_RULES_FILE }, ...tuning], 'all');
  const errors = result.problems.filter((problem) => problem.severity === 'error');
  if (errors.length > 0)
    throw new PalisadeError(
      'config-invalid',
      `invalid built-in rules (or tuning):\n${errors.map(formatProblem).join('\n')}`,
    );
  return result;
}
