import { TerminalProgress } from '../../cluster/progress.ts';
import { PalisadeError } from '../../core/errors.ts';
import { atOrAbove, isSeverity, SEVERITIES, type Severity } from '../../core/severity.ts';
import { untilAborted } from '../../core/until-aborted.ts';
import { isOutputFormat, OUTPUT_FORMATS, renderReportPieces } from '../../outputs/index.ts';
import { terminalSafe } from '../../outputs/terminal-text.ts';
import { parseCommandArgs } from '../args.ts';
import { writeCommandOutput } from '../command-output.ts';
import { type CliIo, EXIT, type ExitCode } from '../io.ts';
import { buildScanReport, CLUSTER_OPTIONS, clusterOptionsFrom, type ScanRequest } from '../scan-pipeline.ts';

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
  help: { type: 'boolean', short: 'h', default: false },
  ...CLUSTER_OPTIONS,
} as const;

export const SCAN_HELP = `Usage: palisade scan [PATH|SNAPSHOT|-]... [--cluster [--context NAME] [--kubeconfig PATH] [--namespace NS]] [options]

Scans manifest files, directories, standard input (-), snapshot files written by \`palisade snapshot\`, and with
--cluster the live cluster of the current (or given) kubeconfig context, or the in-cluster service account.

Cluster options:
      --cluster            scan the live cluster
      --context NAME       kubeconfig context (default: the current context)
      --kubeconfig PATH    kubeconfig file (default: KUBECONFIG, ~/.kube/config, then the in-cluster config)
  -n, --namespace NS       only this namespace's namespaced objects (cluster-scoped kinds are still read)
      --include-owned      also check pods, ReplicaSets and Jobs whose controller is scanned (duplicates by default;
                           clusters and snapshots only: manifest files are checked object by object as written)
      --no-kubelet-config  do not read nodes' live kubelet configuration (nodes/proxy/configz)
      --page-size N        objects per LIST page (default 500)

See \`palisade help\` for the report options (--format, --output, --framework, --rule, --fail-on, ...).
`;

export async function runScan(args: readonly string[], io: CliIo): Promise<ExitCode> {
  const { values, positionals } = parseCommandArgs(args, OPTIONS, 'scan');
  if (values.help) {
    io.stdout.write(SCAN_HELP);
    return EXIT.clean;
  }
  if (positionals.length === 0 && !values.cluster)
    throw new PalisadeError(
      'usage',
      'no input: give files, directories or snapshots to scan, - for standard input, or --cluster',
    );
  const cluster = clusterOptionsFrom(values);
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
  if (cluster) request.cluster = cluster;
  request.includeOwned = values['include-owned'];
  request.env = io.env;
  if (io.signal) request.signal = io.signal;
  request.onWarning = (message) => io.stderr.write(`palisade scan: warning: ${terminalSafe(message)}\n`);
  if ((io.stderr as { isTTY?: boolean }).isTTY === true) request.progress = new TerminalProgress(io.stderr);
  // Building the report and writing it both stop on Ctrl-C or SIGTERM (runCli reports "interrupted", exit 3).
  const { report, config } = await untilAborted(buildScanReport(request), io.signal);
  const toTerminal = values.output === undefined;
  const color =
    toTerminal && io.stdout.isTTY === true && !values['no-color'] && io.env.NO_COLOR === undefined;
  const pieces = renderReportPieces(values.format, report, {
    showSuppressed: values['show-suppressed'],
    color,
  });
  await writeCommandOutput(io, values.output, pieces);

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
