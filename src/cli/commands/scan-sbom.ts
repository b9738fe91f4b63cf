import { resolve } from 'node:path';
import type { EngineNotice } from '../../core/engine.ts';
import { type LoadIssue, PalisadeError } from '../../core/errors.ts';
import type { Finding } from '../../core/finding.ts';
import { artifactReport } from '../../core/report.ts';
import { isSeverity, SEVERITIES, type Severity } from '../../core/severity.ts';
import { isOutputFormat, OUTPUT_FORMATS, renderReport } from '../../outputs/index.ts';
import { DEFAULT_MAX_AGE_MS, parseDuration } from '../../vuln/db/freshness.ts';
import { databasePath } from '../../vuln/db/location.ts';
import type { MatchPackage } from '../../vuln/match/package.ts';
import { readSbom } from '../../vuln/sbom/read-sbom.ts';
import { failsAt, scanPackages } from '../../vuln/scan/vulnerability-scan.ts';
import { renderVdr } from '../../vuln/vdr.ts';
import { loadVex } from '../../vuln/vex/load.ts';
import { parseCommandArgs } from '../args.ts';
import { writeCommandOutput } from '../command-output.ts';
import { type CliIo, EXIT, type ExitCode } from '../io.ts';
import { PALISADE_VERSION } from '../version.ts';

export const VULN_SCAN_OPTIONS = {
  format: { type: 'string', short: 'f', default: 'table' },
  output: { type: 'string', short: 'o' },
  severity: { type: 'string', multiple: true },
  'fail-on': { type: 'string' },
  'ignore-unfixed': { type: 'boolean', default: false },
  vex: { type: 'string', multiple: true },
  offline: { type: 'boolean', default: false },
  db: { type: 'string' },
  'max-age': { type: 'string' },
  'show-suppressed': { type: 'boolean', default: false },
  'no-color': { type: 'boolean', default: false },
  help: { type: 'boolean', short: 'h', default: false },
} as const;

export const VULN_SCAN_OPTIONS_HELP = `Options:
  -f, --format FORMAT     ${[...OUTPUT_FORMATS, 'cyclonedx'].join(', ')} (cyclonedx: CycloneDX 1.6 with vulnerabilities, a VDR)
  -o, --output FILE       write the report to FILE instead of standard output
      --severity LIST     only report these severities (comma-separated or repeated): ${SEVERITIES.join(', ')}
      --fail-on SEVERITY  exit 1 when an unsuppressed finding is at or above it (default: any finding; none: never)
      --ignore-unfixed    leave out vulnerabilities that have no fixed version yet
      --vex FILE          OpenVEX or CycloneDX VEX document; not_affected/fixed statements suppress findings (repeatable)
      --db PATH           advisory database (default: PALISADE_DB, else $XDG_CACHE_HOME/palisade/vuln.db or ~/.cache/palisade/vuln.db)
      --max-age DURATION  refuse a database older than this (default 7d; e.g. 36h, 2w)
      --offline           use the database whatever its age (air-gapped sites)
      --show-suppressed   list VEX-suppressed findings too
      --no-color          plain output
`;

export const SCAN_SBOM_HELP = `Usage: palisade scan-sbom FILE [options]

Matches the packages a CycloneDX (1.4 to 1.7) or SPDX 2.x JSON SBOM lists (by their package URLs) against the
local OSV advisory database (\`palisade db import|update\`).

${VULN_SCAN_OPTIONS_HELP}`;

type VulnScanValues = ReturnType<typeof parseCommandArgs<typeof VULN_SCAN_OPTIONS>>['values'];

export interface VulnScanSettings {
  format: string;
  severities: Severity[];
  failOn: Severity | 'none';
  maxAgeMs: number;
}

/** Checks every option before any input is read, so that a typo does not cost a whole scan. */
export function vulnScanSettings(values: VulnScanValues): VulnScanSettings {
  const format = values.format;
  if (format !== 'cyclonedx' && !isOutputFormat(format))
    throw new PalisadeError(
      'usage',
      `unknown format "${format}": expected one of ${[...OUTPUT_FORMATS, 'cyclonedx'].join(', ')}`,
    );
  const severities = (values.severity ?? [])
    .flatMap((entry) => entry.split(','))
    .map((entry) => entry.trim().toLowerCase())
    .filter(Boolean);
  for (const severity of severities)
    if (!isSeverity(severity))
      throw new PalisadeError('usage', `--severity: "${severity}" is not one of ${SEVERITIES.join(', ')}`);
  const failOn = values['fail-on'] ?? 'info';
  if (failOn !== 'none' && !isSeverity(failOn))
    throw new PalisadeError(
      'usage',
      `--fail-on must be one of ${SEVERITIES.join(', ')}, none (got "${failOn}")`,
    );
  const maxAgeMs =
    values['max-age'] === undefined ? DEFAULT_MAX_AGE_MS : parseDuration(values['max-age'], '--max-age');
  return { format, severities: severities as Severity[], failOn: failOn as Severity | 'none', maxAgeMs };
}

export interface VulnScanRun {
  target: string;
  targetKind: 'image' | 'directory' | 'sbom';
  packages: readonly MatchPackage[];
  /** Findings the inventory itself produced (image configuration, secrets): reported alongside. */
  extraFindings?: readonly Finding[];
  notices?: readonly EngineNotice[];
  /** Files of the target that could not be read at all: errors of the report, which is then incomplete. */
  loadIssues?: readonly LoadIssue[];
}

/** Matches, applies VEX and filters, writes the report, and returns the exit code. */
export async function finishVulnScan(
  values: VulnScanValues,
  settings: VulnScanSettings,
  run: VulnScanRun,
  io: CliIo,
): Promise<ExitCode> {
  const vex = await loadVex(values.vex ?? [], io.cwd);
  const scanned = scanPackages(run.packages, run.target, {
    databasePath: databasePath({ db: values.db, env: io.env, cwd: io.cwd }),
    now: io.now(),
    maxAgeMs: settings.maxAgeMs,
    offline: values.offline,
    severities: settings.severities,
    ignoreUnfixed: values['ignore-unfixed'],
    vex: vex.statements,
  });
  const extra = (run.extraFindings ?? []).filter(
    (finding) => settings.severities.length === 0 || settings.severities.includes(finding.severity),
  );
  const findings: Finding[] = [...scanned.findings, ...extra];
  const notices: EngineNotice[] = [
    ...(run.notices ?? []),
    ...vex.problems.map((message): EngineNotice => ({ severity: 'warning', message })),
    ...scanned.notices,
  ];
  const startedAt = io.now().toISOString();
  let text: string;
  if (settings.format === 'cyclonedx') {
    text = renderVdr({
      toolVersion: PALISADE_VERSION,
      timestamp: startedAt,
      target: run.target,
      targetKind: run.targetKind,
      packages: run.packages,
      // VEX-suppressed vulnerabilities stay in a VDR, with their analysis: that is what a VDR records.
      findings: scanned.findings,
    });
  } else {
    const report = artifactReport({
      toolVersion: PALISADE_VERSION,
      startedAt,
      inputs: [run.target],
      findings,
      packages: run.packages.length,
      notices,
      ...(run.loadIssues ? { loadIssues: run.loadIssues } : {}),
      ...(run.targetKind === 'directory' ? { directoryRoot: run.target } : {}),
    });
    const color =
      values.output === undefined &&
      io.stdout.isTTY === true &&
      !values['no-color'] &&
      io.env.NO_COLOR === undefined;
    text = renderReport(settings.format, report, { showSuppressed: values['show-suppressed'], color });
  }
  await writeCommandOutput(io, values.output, text);
  return failsAt(findings, settings.failOn) ? EXIT.findings : EXIT.clean;
}

export async function runScanSbom(args: readonly string[], io: CliIo): Promise<ExitCode> {
  const { values, positionals } = parseCommandArgs(args, VULN_SCAN_OPTIONS, 'scan-sbom');
  if (values.help) {
    io.stdout.write(SCAN_SBOM_HELP);
    return EXIT.clean;
  }
  if (positionals.length !== 1)
    throw new PalisadeError('usage', 'scan-sbom: give exactly one SBOM file (CycloneDX or SPDX JSON)');
  const settings = vulnScanSettings(values);
  const file = positionals[0]!;
  const sbom = await readSbom(resolve(io.cwd, file), file);
  const notices: EngineNotice[] = [];
  if (sbom.warning !== undefined) notices.push({ severity: 'warning', message: `${file}: ${sbom.warning}` });
  if (sbom.skipped.length > 0)
    notices.push({
      severity: 'info',
      message: `${sbom.skipped.length} SBOM component(s) not matched (no purl, no version, or no OSV ecosystem), e.g. ${sbom.skipped.slice(0, 3).join('; ')}`,
    });
  return finishVulnScan(
    values,
    settings,
    { target: file, targetKind: 'sbom', packages: sbom.packages, notices },
    io,
  );
}
