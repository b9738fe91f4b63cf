// From a scan request to a report: config, rule selection, loading, evaluation. Shared by the CLI and tools.
import { resolve } from 'node:path';
import { isDns1123Label } from '../core/dns-label.ts';
import { type EngineNotice, evaluatePaced } from '../core/engine.ts';
import { PalisadeError } from '../core/errors.ts';
import { EventLoopPacer } from '../core/event-loop-pacer.ts';
import { compareFindings } from '../core/finding-order.ts';
import { parsePssVersion } from '../core/pss-version.ts';
import { type ScanReport, summarize } from '../core/report.ts';
import { selectRules } from '../core/rule-selection.ts';
import { findConfigUpward, loadConfigFile, type PalisadeConfig } from '../inputs/config-loader.ts';
import { controlPlaneObservability } from '../rules/cluster/observability.ts';
import { builtinRules } from '../rules/index.ts';
import { wholeNumberOption } from './number-options.ts';
import { type ClusterScanOptions, type InputRequest, inventoryOf, loadInputs } from './scan-inputs.ts';
import { PALISADE_VERSION } from './version.ts';

export type { ClusterScanOptions } from './scan-inputs.ts';

export interface ScanRequest extends InputRequest {
  now: Date;
  useConfig: boolean;
  configFile?: string;
  frameworks?: readonly string[];
  rules?: readonly string[];
  skipRules?: readonly string[];
  pssVersion?: string;
}

export interface ScanOutcome {
  report: ScanReport;
  config: PalisadeConfig | undefined;
}

function findConfig(request: ScanRequest): PalisadeConfig | undefined {
  if (request.configFile !== undefined)
    return loadConfigFile(resolve(request.cwd, request.configFile), builtinRules);
  if (!request.useConfig) return undefined;
  const first = request.inputs.find((input) => input !== '-');
  const found = findConfigUpward(resolve(request.cwd, first ?? '.'));
  return found === undefined ? undefined : loadConfigFile(found, builtinRules);
}

/**
 * Which configuration file applied, and what in it changes the outcome: one file, found from the first input
 * upward, applies to every input, so the report says so rather than leaving a skipped rule unexplained.
 */
function configNotice(config: PalisadeConfig, found: boolean): EngineNotice {
  const settings = [
    config.failOn !== undefined ? `failOn ${config.failOn}` : undefined,
    config.pssVersion !== undefined ? `pssVersion ${config.pssVersion}` : undefined,
    config.frameworks?.length ? `frameworks ${config.frameworks.join(', ')}` : undefined,
    config.rules?.length ? `rules ${config.rules.join(', ')}` : undefined,
    config.skipRules?.length ? `skipRules ${config.skipRules.join(', ')}` : undefined,
    config.exceptions.length > 0
      ? `${config.exceptions.length} exception${config.exceptions.length === 1 ? '' : 's'}`
      : undefined,
  ].filter((setting) => setting !== undefined);
  return {
    severity: 'info',
    message: `configuration ${config.file}${found ? ' (found from the first input upward; --no-config to ignore it)' : ''} applies to every input${settings.length > 0 ? `: ${settings.join('; ')}` : ''}`,
  };
}

export async function buildScanReport(request: ScanRequest): Promise<ScanOutcome> {
  const config = findConfig(request);
  // Command-line choices replace the config file's, never merge with them, so what runs is what was asked.
  const pssVersion = parsePssVersion(request.pssVersion ?? config?.pssVersion ?? 'latest');
  const frameworks = request.frameworks ?? config?.frameworks ?? [];
  const rules = selectRules(builtinRules, {
    frameworks,
    rules: request.rules ?? config?.rules ?? [],
    skipRules: request.skipRules ?? config?.skipRules ?? [],
  });

  const loaded = await loadInputs(request);
  const inventory = inventoryOf(loaded);
  const loadIssues = loaded.issues;
  // Tens of thousands of objects take seconds: the event loop gets its turns, so Ctrl-C stops the scan.
  const pacer = new EventLoopPacer(request.signal);
  const result = await evaluatePaced(
    inventory,
    {
      rules,
      pssVersion,
      exceptions: config?.exceptions ?? [],
      now: request.now,
      knownRuleIds: new Set(builtinRules.flatMap((rule) => [rule.id, ...(rule.aliases ?? [])])),
    },
    pacer,
  );
  const findings = result.findings.sort(compareFindings);
  const notices = [...loaded.notices, ...result.notices];
  if (config !== undefined) notices.unshift(configNotice(config, request.configFile === undefined));
  const selectedIds = new Set(rules.map((rule) => rule.id));
  for (const context of new Set(loaded.contexts))
    notices.push(
      ...controlPlaneObservability(inventory, selectedIds, { type: 'cluster', context, path: '' }),
    );

  const summary = summarize({
    objects: inventory.size,
    objectsEvaluated: result.objectsEvaluated,
    skippedDocuments: loaded.skippedDocuments,
    findings,
    errors: result.errors,
    loadIssues,
  });
  const report: ScanReport = {
    tool: { name: 'palisade', version: PALISADE_VERSION },
    startedAt: request.now.toISOString(),
    inputs: [...request.inputs, ...loaded.clusterInputs],
    pssVersion: pssVersion.label,
    frameworks,
    rules,
    findings,
    errors: result.errors,
    loadIssues,
    notices,
    expiredExceptions: result.expiredExceptions,
    summary,
  };
  return { report, config };
}

/** The cluster options `scan` and `snapshot` share. */
export const CLUSTER_OPTIONS = {
  cluster: { type: 'boolean', default: false },
  context: { type: 'string' },
  kubeconfig: { type: 'string' },
  namespace: { type: 'string', short: 'n' },
  'include-owned': { type: 'boolean', default: false },
  'no-kubelet-config': { type: 'boolean', default: false },
  'page-size': { type: 'string' },
} as const;

interface ClusterValues {
  cluster?: boolean;
  context?: string;
  kubeconfig?: string;
  namespace?: string;
  'no-kubelet-config'?: boolean;
  'page-size'?: string;
}

/** The cluster part of a command line; undefined without --cluster (and then cluster-only options are refused). */
export function clusterOptionsFrom(values: ClusterValues): ClusterScanOptions | undefined {
  if (!values.cluster) {
    for (const name of ['context', 'kubeconfig', 'namespace', 'page-size'] as const)
      if (values[name] !== undefined) throw new PalisadeError('usage', `--${name} needs --cluster`);
    return undefined;
  }
  if (values.namespace !== undefined && !isDns1123Label(values.namespace))
    throw new PalisadeError('usage', `--namespace "${values.namespace}" is not a valid namespace name`);
  const options: ClusterScanOptions = {};
  if (values.context !== undefined) options.context = values.context;
  if (values.kubeconfig !== undefined) options.kubeconfig = values.kubeconfig;
  if (values.namespace !== undefined) options.namespace = values.namespace;
  if (values['no-kubelet-config']) options.kubeletConfig = false;
  const pageSize = values['page-size'];
  if (pageSize !== undefined) options.pageSize = wholeNumberOption(pageSize, '--page-size', 1, 999_999);
  return options;
}
