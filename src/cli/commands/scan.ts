// `palisade scan`: manifests in, report out.
import { writeFile } from 'node:fs/promises';
import { PalisadeError } from '../../core/errors.ts';
import { atOrAbove, isSeverity, SEVERITIES, type Severity } from '../../core/severity.ts';
import { isOutputFormat, OUTPUT_FORMATS, renderReport } from '../../outputs/index.ts';
import { parseCommandArgs } from '../args.ts';
import { type CliIo, EXIT, type ExitCode } from '../io.ts';
import { buildScanReport, type ScanRequest } from '../scan-pipeline.ts';

const OPTIONS = {
  format: { type: 'string', short: 'f', default: 'table' },
  output: { type: 'string', short: 'o' },
  framework: { type: 'string', multiple: true },
  rule: { type: 'string', multiple: true },
  'skip-rule': { type: 'string', multiple: true },
  'pss-version': { type: 'string' },
  'fail-on': { type: 'string' },
  config: { type: 'string' },
  'no-config': { type: 'boolean', default: false },
  'show-suppressed': { type: 'boolean', default: false },
  'no-color': { type: 'boolean', default: false },
} as const;

export async function runScan(args: readonly string[], io: CliIo): Promise<ExitCode> {
  const { values, positionals } = parseCommandArgs(args, OPTIONS, 'scan');
  if (positionals.length === 0)
    throw new PalisadeError('usage', 'no input: give files or directories to scan, or - for standard input');
  if (values.config !== undefined && values['no-config'])
    throw new PalisadeError('usage', '--config and --no-config contradict each other: give one');
  const failOnText = values['fail-on'];
  if (failOnText !== undefined && failOnText !== 'none' && !isSeverity(failOnText))
    throw new PalisadeError(
      'usage',
      `--fail-on must be one of ${SEVERITIES.join(', ')}, none (got "${failOnText}")`,
    );
  // Checked before any input is read, so that a typo does not cost a whole scan.
  if (!isOutputFormat(values.format))
    throw new PalisadeError(
      'usage',
      `unknown format "${values.format}": expected one of ${OUTPUT_FORMATS.join(', ')}`,
    );

  const request: ScanRequest = {
    inputs: positionals,
    cwd: io.cwd,
    stdin: io.stdin,
    now: io.now(),
    useConfig: !values['no-config'],
  };
  if (values.config !== undefined) request.configFile = values.config;
  if (values.framework !== undefined) request.frameworks = values.framework;
  if (values.rule !== undefined) request.rules = values.rule;
  if (values['skip-rule'] !== undefined) request.skipRules = values['skip-rule'];
  if (values['pss-version'] !== undefined) request.pssVersion = values['pss-version'];
  const { report, config } = await buildScanReport(request);

  const toTerminal = values.output === undefined;
  const color =
    toTerminal && io.stdout.isTTY === true && !values['no-color'] && io.env.NO_COLOR === undefined;
  const text = renderReport(values.format, report, { showSuppressed: values['show-suppressed'], color });
  if (values.output === undefined) io.stdout.write(text);
  else
    try {
      await writeFile(values.output, text);
    } catch (error) {
      throw new PalisadeError(
        'output-unwritable',
        `cannot write ${values.output}: ${(error as Error).message}`,
        {
          cause: error,
        },
      );
    }

  if (report.summary.errors > 0) {
    io.stderr.write('palisade scan: some inputs could not be scanned completely (see the report)\n');
    return EXIT.runtime;
  }
  const failOn: Severity | 'none' = (failOnText as Severity | 'none' | undefined) ?? config?.failOn ?? 'info';
  if (failOn === 'none') return EXIT.clean;
  const failing = report.findings.some(
    (finding) => !finding.suppressed && atOrAbove(finding.severity, failOn),
  );
  return failing ? EXIT.findings : EXIT.clean;
}
