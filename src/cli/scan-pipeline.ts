// From a scan request to a report: config, rule selection, loading, evaluation. Shared by the CLI and tools.
import { resolve } from 'node:path';
import { Readable } from 'node:stream';
import { kindsToList } from '../cluster/context-kinds.ts';
import { type LiveClusterRequest, readLiveCluster } from '../cluster/live-snapshot.ts';
import type { ProgressSink } from '../cluster/progress.ts';
import { looksLikeSnapshot, type ParsedSnapshot, parseSnapshot } from '../cluster/snapshot.ts';
import {
  isSnapshotFile,
  MAX_SNAPSHOT_BYTES,
  parseSnapshotBuffer,
  readSnapshotFile,
  startsAsSnapshot,
} from '../cluster/snapshot-file.ts';
import { clusterInputName, snapshotInventory } from '../cluster/snapshot-inventory.ts';
import { type EngineNotice, evaluate } from '../core/engine.ts';
import type { LoadIssue } from '../core/errors.ts';
import { PalisadeError } from '../core/errors.ts';
import { compareFindings } from '../core/finding-order.ts';
import type { InventoryEntry } from '../core/inventory.ts';
import { Inventory } from '../core/inventory.ts';
import type { KubeObject } from '../core/kube-object.ts';
import { parsePssVersion } from '../core/pss-version.ts';
import { type ScanReport, summarize } from '../core/report.ts';
import { selectRules } from '../core/rule-selection.ts';
import { findConfigUpward, loadConfigFile, type PalisadeConfig } from '../inputs/config-loader.ts';
import { readStream, STDIN_NAME } from '../inputs/input-files.ts';
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
  /** Warnings about the cluster connection, given as soon as they are known (the report has them too). */
  onWarning?: (message: string) => void;
}

/** What the command line says about the cluster; the pipeline adds the rest. */
export type ClusterScanOptions = Omit<
  LiveClusterRequest,
  'cwd' | 'env' | 'kinds' | 'now' | 'userAgent' | 'signal' | 'progress' | 'onWarning'
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
    itemIssues: parsed.issues,
  });
  if (request.cluster && input.startsWith('cluster:')) part.inputs.push(input);
  // A loop, not push(...entries): spreading 100,000 arguments overflows the stack.
  for (const entry of loaded.entries) part.entries.push(entry);
  part.issues.push(...loaded.issues);
  part.notices.push(...loaded.notices);
  part.contexts.push(parsed.snapshot.context);
}

// Issues the manifest loader gives a snapshot file it could not take as a manifest: too large for one, or cut short
// (then not valid JSON, so not valid YAML either). Such a file is read as the snapshot it says it is.
const NOT_READ_AS_MANIFEST: ReadonlySet<LoadIssue['code']> = new Set([
  'document-too-large',
  'read-failed',
  'yaml-syntax',
]);

/**
 * A file that names itself a snapshot but is not a valid one (truncated, a field missing or of the wrong type) is
 * an error against that file; every other input is still scanned.
 */
async function readableSnapshot(
  part: ClusterPart,
  file: string,
  read: () => ParsedSnapshot | Promise<ParsedSnapshot>,
): Promise<ParsedSnapshot | undefined> {
  try {
    return await read();
  } catch (error) {
    return snapshotProblem(part, file, error);
  }
}

function snapshotProblem(part: ClusterPart, file: string, error: unknown): undefined {
  if (!(error instanceof PalisadeError)) throw error;
  part.issues.push({
    severity: 'error',
    code: 'snapshot-invalid',
    message: error.message,
    file,
    line: 0,
    column: 0,
  });
  return undefined;
}

/**
 * Snapshots met inside scanned directories were read by the manifest loader as one odd object, or refused as too
 * large for a manifest: they are taken out of its result and read as snapshots, so that their objects are scanned
 * instead of silently ignored.
 */
async function takeEmbeddedSnapshots(
  loaded: LoadResult,
  request: ScanRequest,
  part: ClusterPart,
): Promise<void> {
  const files = new Map<string, ParsedSnapshot | undefined>();
  let stdinSnapshot: KubeObject | undefined;
  loaded.entries = loaded.entries.filter((entry) => {
    if (!looksLikeSnapshot(entry.object) || entry.source.type !== 'file') return true;
    // Standard input cannot be read again: its snapshot is the object the loader parsed.
    if (entry.source.file === STDIN_NAME) stdinSnapshot = entry.object;
    else files.set(entry.source.file, undefined);
    return false;
  });
  if (stdinSnapshot !== undefined) {
    const object = stdinSnapshot;
    const parsed = await readableSnapshot(part, STDIN_NAME, () => parseSnapshot(object, STDIN_NAME));
    if (parsed !== undefined) files.set(STDIN_NAME, parsed);
  }
  const notReadAsManifest = new Set<string>();
  for (const issue of loaded.issues)
    if (NOT_READ_AS_MANIFEST.has(issue.code) && issue.file !== STDIN_NAME && !files.has(issue.file))
      if (await isSnapshotFile(resolve(request.cwd, issue.file))) notReadAsManifest.add(issue.file);
  if (files.size === 0 && notReadAsManifest.size === 0) return;
  loaded.issues = loaded.issues.filter(
    (issue) =>
      !(files.has(issue.file) && issue.code === 'incomplete-object') &&
      !(notReadAsManifest.has(issue.file) && NOT_READ_AS_MANIFEST.has(issue.code)),
  );
  for (const file of notReadAsManifest) files.set(file, undefined);
  for (const [file, parsed] of files) {
    const snapshot =
      parsed ??
      (await readableSnapshot(part, file, () => readSnapshotFile(resolve(request.cwd, file), file)));
    if (snapshot !== undefined) addSnapshot(part, request, file, snapshot);
  }
}

/**
 * Standard input, when it is a snapshot: read here whole (a snapshot may be larger than any manifest), else given
 * to the manifest loader as the bytes read.
 */
async function takeStdinSnapshot(
  stdin: NodeJS.ReadableStream,
  snapshots: { input: string; parsed: ParsedSnapshot }[],
  part: ClusterPart,
): Promise<NodeJS.ReadableStream | undefined> {
  let data: Buffer;
  try {
    data = await readStream(stdin, MAX_SNAPSHOT_BYTES);
  } catch (error) {
    part.issues.push({
      severity: 'error',
      code: 'read-failed',
      message: `cannot read ${STDIN_NAME}: ${error instanceof Error ? error.message : String(error)}`,
      file: STDIN_NAME,
      line: 0,
      column: 0,
    });
    return undefined;
  }
  if (!startsAsSnapshot(data)) return Readable.from([data]);
  const parsed = await readableSnapshot(part, STDIN_NAME, () => parseSnapshotBuffer(data, STDIN_NAME));
  if (parsed !== undefined) snapshots.push({ input: '-', parsed });
  return undefined;
}

interface ClusterInputs {
  part: ClusterPart;
  /** Standard input for the manifest loader (what was read of it), or undefined when it was a snapshot. */
  stdin: NodeJS.ReadableStream | undefined;
}

/** Snapshot files among the inputs, and the live cluster when asked: their entries, issues and notices. */
async function loadClusterInputs(request: ScanRequest, manifestInputs: string[]): Promise<ClusterInputs> {
  const part: ClusterPart = { inputs: [], entries: [], issues: [], notices: [], contexts: [] };
  const snapshots: { input: string; parsed: ParsedSnapshot }[] = [];
  let stdin = request.stdin;
  let stdinRead = false;
  for (const input of request.inputs) {
    if (input === '-') {
      // Read once, as the manifest loader does with `-` given twice. Without a stream the loader says so.
      if (!stdinRead && request.stdin) stdin = await takeStdinSnapshot(request.stdin, snapshots, part);
      stdinRead = true;
      if (stdin || !request.stdin) manifestInputs.push(input);
      continue;
    }
    const path = resolve(request.cwd, input);
    if (!(await isSnapshotFile(path))) manifestInputs.push(input);
    else {
      const parsed = await readableSnapshot(part, input, () => readSnapshotFile(path, input));
      if (parsed !== undefined) snapshots.push({ input, parsed });
    }
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
      ...(request.onWarning ? { onWarning: request.onWarning } : {}),
    });
    snapshots.push({
      input: clusterInputName(snapshot),
      parsed: { snapshot, issues: [] },
    });
  }
  for (const { input, parsed } of snapshots) addSnapshot(part, request, input, parsed);
  return { part, stdin };
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

  const manifestInputs: string[] = [];
  const { part: cluster, stdin } = await loadClusterInputs(request, manifestInputs);
  const loaded = await loadManifests(manifestInputs, { cwd: request.cwd, ...(stdin ? { stdin } : {}) });
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
  if (config !== undefined) notices.unshift(configNotice(config, request.configFile === undefined));
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
