// The snapshot file: what was read from a cluster (secret values removed) and what could not be read, and why.
import { PalisadeError } from '../core/errors.ts';
import { isKubeObject, isRecord, type KubeObject } from '../core/kube-object.ts';
import { sanitizeObject } from './sanitize.ts';

export const SNAPSHOT_API_VERSION = 'palisade.dev/v1alpha1';
export const SNAPSHOT_KIND = 'ClusterSnapshot';

export type CoverageStatus = 'listed' | 'forbidden' | 'unauthorized' | 'not-served' | 'failed';
export const COVERAGE_STATUSES: readonly CoverageStatus[] = [
  'listed',
  'forbidden',
  'unauthorized',
  'not-served',
  'failed',
];

/** One kind the scan asked for, and what became of it. */
export interface CoverageEntry {
  kind: string;
  status: CoverageStatus;
  /** apiVersion and plural resource the kind was listed as, when the server serves it. */
  apiVersion?: string;
  resource?: string;
  count?: number;
  /** Why it was not listed (the server's own message). */
  reason?: string;
}

export type KubeletStatus = 'read' | 'forbidden' | 'failed' | 'not-attempted';

/** Whether a node's live kubelet configuration (nodes/proxy/configz) was read. */
export interface KubeletCoverage {
  node: string;
  status: KubeletStatus;
  reason?: string;
}

export interface ClusterSnapshot {
  apiVersion: typeof SNAPSHOT_API_VERSION;
  kind: typeof SNAPSHOT_KIND;
  context: string;
  server: string;
  serverVersion?: string;
  /** Only this namespace's namespaced objects were read, when set. */
  namespace?: string;
  takenAt: string;
  coverage: CoverageEntry[];
  kubelets: KubeletCoverage[];
  discoveryFailures: { groupVersion: string; reason: string }[];
  items: KubeObject[];
}

/** JSON with one object per line, so that a snapshot diffs well and is written without one giant string. */
export function* serializeSnapshot(snapshot: ClusterSnapshot): Generator<string> {
  const { items, ...header } = snapshot;
  const head = JSON.stringify(header, null, 2);
  yield `${head.slice(0, -2)},\n  "items": [`;
  let first = true;
  for (const item of items) {
    yield `${first ? '\n' : ',\n'}    ${JSON.stringify(item)}`;
    first = false;
  }
  yield `${first ? '' : '\n  '}]\n}\n`;
}

/** True when a parsed JSON value is a snapshot (as opposed to a Kubernetes manifest). */
export function looksLikeSnapshot(value: unknown): boolean {
  return isRecord(value) && value.apiVersion === SNAPSHOT_API_VERSION && value.kind === SNAPSHOT_KIND;
}

function invalid(file: string, message: string): PalisadeError {
  return new PalisadeError('input-unreadable', `snapshot ${file}: ${message}`);
}

function optionalString(record: Record<string, unknown>, field: string, file: string): string | undefined {
  const value = record[field];
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw invalid(file, `${field} must be a string`);
  return value;
}

function coverageOf(value: unknown, file: string): CoverageEntry[] {
  if (!Array.isArray(value)) throw invalid(file, 'coverage must be a list');
  return value.map((raw, index) => {
    if (!isRecord(raw) || typeof raw.kind !== 'string')
      throw invalid(file, `coverage[${index}] needs a kind`);
    if (!COVERAGE_STATUSES.includes(raw.status as CoverageStatus))
      throw invalid(file, `coverage[${index}].status must be one of ${COVERAGE_STATUSES.join(', ')}`);
    const entry: CoverageEntry = { kind: raw.kind, status: raw.status as CoverageStatus };
    for (const field of ['apiVersion', 'resource', 'reason'] as const) {
      const text = optionalString(raw, field, file);
      if (text !== undefined) entry[field] = text;
    }
    if (typeof raw.count === 'number') entry.count = raw.count;
    return entry;
  });
}

function kubeletsOf(value: unknown, file: string): KubeletCoverage[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw invalid(file, 'kubelets must be a list');
  return value.map((raw, index) => {
    const statuses: readonly KubeletStatus[] = ['read', 'forbidden', 'failed', 'not-attempted'];
    if (!isRecord(raw) || typeof raw.node !== 'string' || !statuses.includes(raw.status as KubeletStatus))
      throw invalid(file, `kubelets[${index}] needs a node and a status (${statuses.join(', ')})`);
    const entry: KubeletCoverage = { node: raw.node, status: raw.status as KubeletStatus };
    const reason = optionalString(raw, 'reason', file);
    if (reason !== undefined) entry.reason = reason;
    return entry;
  });
}

export interface ParsedSnapshot {
  snapshot: ClusterSnapshot;
  /** Items that are not Kubernetes objects, by index: reported, never silently dropped. */
  malformedItems: number[];
}

/** Validates a parsed snapshot; values of Secrets are removed again, whoever wrote the file. */
export function parseSnapshot(value: unknown, file: string): ParsedSnapshot {
  if (!looksLikeSnapshot(value) || !isRecord(value))
    throw invalid(file, `not a ${SNAPSHOT_API_VERSION} ${SNAPSHOT_KIND}`);
  const context = optionalString(value, 'context', file);
  const server = optionalString(value, 'server', file);
  const takenAt = optionalString(value, 'takenAt', file);
  if (context === undefined || server === undefined || takenAt === undefined)
    throw invalid(file, 'context, server and takenAt are required');
  if (!Array.isArray(value.items)) throw invalid(file, 'items must be a list');
  const items: KubeObject[] = [];
  const malformedItems: number[] = [];
  value.items.forEach((item: unknown, index) => {
    if (isKubeObject(item)) items.push(sanitizeObject(item));
    else malformedItems.push(index);
  });
  const failures = Array.isArray(value.discoveryFailures) ? value.discoveryFailures : [];
  const snapshot: ClusterSnapshot = {
    apiVersion: SNAPSHOT_API_VERSION,
    kind: SNAPSHOT_KIND,
    context,
    server,
    takenAt,
    coverage: coverageOf(value.coverage ?? [], file),
    kubelets: kubeletsOf(value.kubelets, file),
    discoveryFailures: failures.flatMap((raw: unknown) =>
      isRecord(raw) && typeof raw.groupVersion === 'string' && typeof raw.reason === 'string'
        ? [{ groupVersion: raw.groupVersion, reason: raw.reason }]
        : [],
    ),
    items,
  };
  const serverVersion = optionalString(value, 'serverVersion', file);
  if (serverVersion !== undefined) snapshot.serverVersion = serverVersion;
  const namespace = optionalString(value, 'namespace', file);
  if (namespace !== undefined) snapshot.namespace = namespace;
  return { snapshot, malformedItems };
}
