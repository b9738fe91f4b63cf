// `palisade explain <rule-id>`: what a rule checks, why, and how to fix it.
import { PalisadeError } from '../../core/errors.ts';
import { resolveRuleIds } from '../../core/rule-selection.ts';
import { builtinRules } from '../../rules/index.ts';
import { parseCommandArgs } from '../args.ts';
import { type CliIo, EXIT, type ExitCode } from '../io.ts';
import { renderRuleDoc } from '../rule-doc.ts';

const OPTIONS = {
  help: { type: 'boolean', short: 'h', default: false },
} as const;

export const EXPLAIN_HELP = `Usage: palisade explain RULE-ID

Shows a rule's description, remediation, framework controls, references and examples (the page
docs/rules/RULE-ID.md holds the same text). \`palisade rules\` lists the rule ids.

Options:
  -h, --help    this help
`;

export async function runExplain(args: readonly string[], io: CliIo): Promise<ExitCode> {
  const { values, positionals } = parseCommandArgs(args, OPTIONS, 'explain');
  if (values.help) {
    io.stdout.write(EXPLAIN_HELP);
    return EXIT.clean;
  }
  if (positionals.length !== 1) throw new PalisadeError('usage', 'explain takes exactly one rule id');
  const [rule] = resolveRuleIds(builtinRules, positionals, 'explain');
  io.stdout.write(renderRuleDoc(rule as (typeof builtinRules)[number]));
  return EXIT.clean;
}
