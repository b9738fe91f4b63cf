// `palisade rules`: the rule catalogue, filterable by framework.
import { PalisadeError } from '../../core/errors.ts';
import { selectRules } from '../../core/rule-selection.ts';
import { builtinRules } from '../../rules/index.ts';
import { parseCommandArgs } from '../args.ts';
import { type CliIo, EXIT, type ExitCode } from '../io.ts';

const OPTIONS = {
  framework: { type: 'string', multiple: true },
  format: { type: 'string', short: 'f', default: 'table' },
  help: { type: 'boolean', short: 'h', default: false },
} as const;

export const RULES_HELP = `Usage: palisade rules [--framework ID]... [--format table|json]

Lists the built-in rules: id, severity, frameworks and title.

Options:
      --framework ID       only rules mapped to: pss-baseline, pss-restricted, cis-k8s, nsa-cisa, mitre-attack
                           (repeatable)
  -f, --format FORMAT      table (default) or json
  -h, --help               this help

\`palisade explain RULE-ID\` shows one rule in full.
`;

export async function runRules(args: readonly string[], io: CliIo): Promise<ExitCode> {
  const { values, positionals } = parseCommandArgs(args, OPTIONS, 'rules');
  if (values.help) {
    io.stdout.write(RULES_HELP);
    return EXIT.clean;
  }
  if (positionals.length > 0)
    throw new PalisadeError('usage', `rules takes no arguments (got ${positionals.join(' ')})`);
  const rules = values.framework
    ? selectRules(builtinRules, { frameworks: values.framework })
    : [...builtinRules];
  if (values.format === 'json') {
    const rows = rules.map((rule) => ({
      id: rule.id,
      title: rule.title,
      severity: rule.severity,
      domain: rule.domain,
      kinds: rule.kinds,
      phase: rule.phase,
      layer: rule.layer,
      frameworks: rule.frameworks,
      fix: rule.fix !== undefined,
    }));
    io.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
    return EXIT.clean;
  }
  if (values.format !== 'table') throw new PalisadeError('usage', `rules --format must be table or json`);
  const width = Math.max(2, ...rules.map((rule) => rule.id.length));
  io.stdout.write(`${'ID'.padEnd(width)}  SEVERITY  FRAMEWORKS\n`);
  for (const rule of rules) {
    const frameworks = Object.entries(rule.frameworks)
      .map(([id, controls]) => `${id}:${(controls ?? []).join('/')}`)
      .join(' ');
    io.stdout.write(
      `${rule.id.padEnd(width)}  ${rule.severity.padEnd(8)}  ${frameworks}\n    ${rule.title}\n`,
    );
  }
  io.stdout.write(`${rules.length} rules\n`);
  return EXIT.clean;
}
