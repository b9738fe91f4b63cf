// From a scan request to a report: config, rule selection, loading, evaluation. Shared by the CLI and tools.
import { resolve } from 'node:path';
import { kindsToList } from '../cluster/context-kinds.ts';
import { type LiveClusterRequest, readLiveCluster } from '../cluster/live-snapshot.ts';
import type { ProgressSink } from '../cluster/progress.ts';
import { looksLikeSnapshot, type ParsedSnapshot } from '../cluster/snapshot.ts';
import { isSnapshotFile, readSnapshotFile } from '../cluster/snapshot-file.ts';
import { clusterInputName, snapshotInventory } from '../cluster/snapshot-inventory.ts';
import { type EngineNotice, evaluate } from '../core/engine.ts';
import type { LoadIssue } from '../core/errors.ts';
import { PalisadeError } from '../core/errors.ts';
import { compareFindings } from '../core/finding-order.ts';
import type { InventoryEntry } from '../core/inventory.ts';
import { Inventory } from '../core/inventory.ts';
import { parsePssVersion } from '../core/pss-version.ts';
import { type ScanReport, summarize } from '../core/report.ts';
import { selectRules } from '../core/rule-selection.ts';
import { findConfigUpward, loadConfigFile, type PalisadeConfig } from '../inputs/config-loader.ts';
import { type LoadResult, loadManifests } from '../inputs/manifest-loader.ts';
import { controlPlaneObservability } from '../rules/cluster/observability.ts';
import { builtinRules } from '../rules/index.ts';
import { PALISADE_VERSION } from './version.ts';

export interface ScanRequest {
  inputs: readonly string[];
  cwd: string;
  stdin?: NodeJS.ReadableStream;
  now: Date;
  useConfig: boolean;
  configFile?: string;
  frameworks?: readonly string[];
  rules?: readonly string[];
  skipRules?: readonly string[];
  pssVersion?: string;
  /** Also read a live cluster (`--cluster`). */
  cluster?: ClusterScanOptions;
  /** Keep pods, ReplicaSets and Jobs whose controller is scanned too (cluster and snapshot inputs). */
  includeOwned?: boolean;
  env?: Record<string, string | undefined>;
  signal?: AbortSignal;
  progress?: ProgressSink;
}

/** What the command line says about the cluster; the pipeline adds the rest. */
export type ClusterScanOptions = Omit<
  LiveClusterRequest,
  'cwd' | 'env' | 'kinds' | 'now' | 'userAgent' | 'signal' | 'progress'
>;

interface ClusterPart {
  inputs: string[];
  entries: InventoryEntry[];
  issues: LoadIssue[];
  notices: EngineNotice[];
  contexts: string[];
}

function addSnapshot(part: ClusterPart, request: ScanRequest, input: string, parsed: ParsedSnapshot): void {
  const loaded = snapshotInventory(parsed.snapshot, {
    includeOwned: request.includeOwned === true,
    malformedItems: parsed.malformedItems,
  });
  if (request.cluster && input.startsWith('cluster:')) part.inputs.push(input);
  // A loop, not push(...entries): spreading 100,000 arguments overflows the stack.
  for (const entry of loaded.entries) part.entries.push(entry);
  part.issues.push(...loaded.issues);
  part.notices.push(...loaded.notices);
  part.contexts.push(parsed.snapshot.context);
}

/**
 * Snapshots met inside scanned directories were read by the manifest loader as one odd object: they are taken out
 * of its result and read as snapshots, so that their objects are scanned instead of silently ignored.
 */
async function takeEmbeddedSnapshots(
  loaded: LoadResult,
  request: ScanRequest,
  part: ClusterPart,
): Promise<void> {
  const files = new Set<string>();
  loaded.entries = loaded.entries.filter((entry) => {
    if (!looksLikeSnapshot(entry.object) || entry.source.type !== 'file') return true;
    files.add(entry.source.file);
    return false;
  });
  if (files.size === 0) return;
  loaded.issues = loaded.issues.filter(
    (issue) => !(files.has(issue.file) && issue.code === 'incomplete-object'),
  );
  for (const file of files)
    addSnapshot(part, request, file, await readSnapshotFile(resolve(request.cwd, file), file));
}

/** Snapshot files among the inputs, and the live cluster when asked: their entries, issues and notices. */
async function loadClusterInputs(request: ScanRequest, manifestInputs: string[]): Promise<ClusterPart> {
  const snapshots: { input: string; parsed: ParsedSnapshot }[] = [];
  for (const input of request.inputs) {
    const path = resolve(request.cwd, input);
    if (input !== '-' && (await isSnapshotFile(path)))
      snapshots.push({ input, parsed: await readSnapshotFile(path, input) });
    else manifestInputs.push(input);
  }
  if (request.cluster) {
    const snapshot = await readLiveCluster({
      ...request.cluster,
      cwd: request.cwd,
      env: request.env ?? {},
      kinds: kindsToList(builtinRules.flatMap((rule) => rule.kinds)),
      now: request.now,
      userAgent: `palisade/${PALISADE_VERSION}`,
      ...(request.signal ? { signal: request.signal } : {}),
      ...(request.progress ? { progress: request.progress } : {}),
    });
    snapshots.push({ input: clusterInputName(snapshot), parsed: { snapshot, malformedItems: [] } });
  }
  const part: ClusterPart = { inputs: [], entries: [], issues: [], notices: [], contexts: [] };
  for (const { input, parsed } of snapshots) addSnapshot(part, request, input, parsed);
  return part;
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

  const manifestInputs: string[] = [];
  const cluster = await loadClusterInputs(request, manifestInputs);
  const loaded = await loadManifests(manifestInputs, {
    cwd: request.cwd,
    ...(request.stdin ? { stdin: request.stdin } : {}),
  });
  await takeEmbeddedSnapshots(loaded, request, cluster);
  const inventory = new Inventory([...loaded.entries, ...cluster.entries]);
  const loadIssues = [...loaded.issues, ...cluster.issues];
  const result = evaluate(inventory, {
    rules,
    pssVersion,
    exceptions: config?.exceptions ?? [],
    now: request.now,
    knownRuleIds: new Set(builtinRules.flatMap((rule) => [rule.id, ...(rule.aliases ?? [])])),
  });
  const findings = result.findings.sort(compareFindings);
  const notices = [...cluster.notices, ...result.notices];
  const selectedIds = new Set(rules.map((rule) => rule.id));
  for (const context of new Set(cluster.contexts))
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
    inputs: [...request.inputs, ...cluster.inputs],
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

const NAMESPACE = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;

/** The cluster part of a command line; undefined without --cluster (and then cluster-only options are refused). */
export function clusterOptionsFrom(values: ClusterValues): ClusterScanOptions | undefined {
  if (!values.cluster) {
    for (const name of ['context', 'kubeconfig', 'namespace', 'page-size'] as const)
      if (values[name] !== undefined) throw new PalisadeError('usage', `--${name} needs --cluster`);
    return undefined;
  }
  if (values.namespace !== undefined && !NAMESPACE.test(values.namespace))
    throw new PalisadeError('usage', `--namespace "${values.namespace}" is not a valid namespace name`);
  const options: ClusterScanOptions = {};
  if (values.context !== undefined) options.context = values.context;
  if (values.kubeconfig !== undefined) options.kubeconfig = values.kubeconfig;
  if (values.namespace !== undefined) options.namespace = values.namespace;
  if (values['no-kubelet-config']) options.kubeletConfig = false;
  const pageSize = values['page-size'];
  if (pageSize !== undefined) {
    if (!/^[1-9]\d{0,5}$/.test(pageSize))
      throw new PalisadeError(
        'usage',
        `--page-size must be a whole number from 1 to 999999 (got "${pageSize}")`,
      );
    options.pageSize = Number(pageSize);
  }
  return options;
}
