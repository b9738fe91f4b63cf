// The inputs of a scan as one list of inventory entries: manifests, snapshot files (given, met inside directories, or
// on standard input) and the live cluster when asked. Shared by scan and by the commands that answer questions about
// the same objects (rbac, netpol), so that each reads a snapshot as scan does.
import { resolve } from 'node:path';
import { Readable } from 'node:stream';
import { clusterInputName } from '../cluster/cluster-input-name.ts';
import { kindsToList } from '../cluster/context-kinds.ts';
import { derivedKubeletEntries } from '../cluster/kubelet-configmap.ts';
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
import { snapshotInventory } from '../cluster/snapshot-inventory.ts';
import type { EngineNotice } from '../core/engine.ts';
import { type LoadIssue, PalisadeError } from '../core/errors.ts';
import { Inventory, type InventoryEntry } from '../core/inventory.ts';
import type { KubeObject } from '../core/kube-object.ts';
import { readStream, STDIN_NAME } from '../inputs/input-files.ts';
import { type LoadResult, loadManifests } from '../inputs/manifest-loader.ts';
import { builtinRules } from '../rules/index.ts';
import { PALISADE_VERSION } from './version.ts';

export interface InputRequest {
  inputs: readonly string[];
  cwd: string;
  stdin?: NodeJS.ReadableStream;
  /** Also read a live cluster (`--cluster`). */
  cluster?: ClusterScanOptions;
  /** Keep pods, ReplicaSets and Jobs whose controller is scanned too (cluster and snapshot inputs). */
  includeOwned?: boolean;
  /** The snapshot time of a live cluster. */
  now?: Date;
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
  /** Resource scopes from the snapshots' discovery (InventoryOptions.clusterScoped). */
  clusterScoped: Map<string, boolean>;
  /** Each cluster's API server version (undefined when it did not say). */
  serverVersions: Set<string | undefined>;
}

function addSnapshot(part: ClusterPart, request: InputRequest, input: string, parsed: ParsedSnapshot): void {
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
  part.serverVersions.add(parsed.snapshot.serverVersion);
  // Clusters that disagree about a resource: namespaced wins, which overstates what a RoleBinding grants, never hides.
  for (const [key, clusterScoped] of loaded.clusterScoped)
    part.clusterScoped.set(key, clusterScoped && (part.clusterScoped.get(key) ?? true));
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
  request: InputRequest,
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
async function loadClusterInputs(request: InputRequest, manifestInputs: string[]): Promise<ClusterInputs> {
  const part: ClusterPart = {
    inputs: [],
    entries: [],
    issues: [],
    notices: [],
    contexts: [],
    clusterScoped: new Map(),
    serverVersions: new Set(),
  };
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
      now: request.now ?? new Date(),
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

export interface LoadedInputs {
  /** Manifest objects first, then the clusters' (snapshots and live), in input order. */
  entries: InventoryEntry[];
  issues: LoadIssue[];
  /** About the clusters read (TLS not verified, kubelets not observable). */
  notices: EngineNotice[];
  /** `cluster:<context>` for a live cluster read: the report lists it with the inputs. */
  clusterInputs: string[];
  /** Context of every cluster read, live or from a snapshot. */
  contexts: string[];
  /** Resource scopes from the clusters' discovery (InventoryOptions.clusterScoped). */
  clusterScoped: Map<string, boolean>;
  /** The API server version when every cluster read is one that said it (InventoryOptions.serverVersion). */
  serverVersion?: string;
  skippedDocuments: number;
}

export async function loadInputs(request: InputRequest): Promise<LoadedInputs> {
  const manifestInputs: string[] = [];
  const { part: cluster, stdin } = await loadClusterInputs(request, manifestInputs);
  const loaded = await loadManifests(manifestInputs, { cwd: request.cwd, ...(stdin ? { stdin } : {}) });
  await takeEmbeddedSnapshots(loaded, request, cluster);
  const entries = loaded.entries;
  // kubeadm's kubelet-config ConfigMap among the files is checked as the KubeletConfiguration it holds.
  for (const entry of derivedKubeletEntries(entries)) entries.push(entry);
  // A loop, not push(...entries): spreading 100,000 arguments overflows the stack.
  for (const entry of cluster.entries) entries.push(entry);
  // Several clusters of different versions have no one version to compare their nodes with.
  const [serverVersion, ...others] = cluster.serverVersions;
  return {
    entries,
    issues: [...loaded.issues, ...cluster.issues],
    notices: cluster.notices,
    clusterInputs: cluster.inputs,
    contexts: cluster.contexts,
    clusterScoped: cluster.clusterScoped,
    ...(serverVersion !== undefined && others.length === 0 ? { serverVersion } : {}),
    skippedDocuments: loaded.skippedDocuments,
  };
}

/**
 * The inventory of loaded inputs, with what the clusters' discovery said about resource scopes; `recordReads` for the
 * commands that answer one question (see answer-completeness.ts).
 */
export function inventoryOf(loaded: LoadedInputs, options: { recordReads?: boolean } = {}): Inventory {
  return new Inventory(loaded.entries, {
    clusterScoped: loaded.clusterScoped,
    ...(loaded.serverVersion !== undefined ? { serverVersion: loaded.serverVersion } : {}),
    ...options,
  });
}

/** `file:line:column`, or only the file for issues of a whole input (a snapshot, a cluster: line 0). */
export function issuePlace(issue: LoadIssue): string {
  return issue.line === 0 ? issue.file : `${issue.file}:${issue.line}:${issue.column}`;
}
