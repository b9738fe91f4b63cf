// `palisade explain <rule-id>`: what a rule checks, why, and how to fix it.
import { PalisadeError } from '../../core/errors.ts';
import { resolveRuleIds } from '../../core/rule-selection.ts';
import { builtinRules } from '../../rules/index.ts';
import { parseCommandArgs } from '../args.ts';
import { type CliIo, EXIT, type ExitCode } from '../io.ts';
import { renderRuleDoc } from '../rule-doc.ts';

export async function runExplain(args: readonly string[], io: CliIo): Promise<ExitCode> {
  const { positionals } = parseCommandArgs(args, {}, 'explain');
  if (positionals.length !== 1) throw new PalisadeError('usage', 'explain takes exactly one rule id');
  const [rule] = resolveRuleIds(builtinRules, positionals, 'explain');
  io.stdout.write(renderRuleDoc(rule as (typeof builtinRules)[number]));
  return EXIT.clean;
}
