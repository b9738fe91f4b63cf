// The snapshot file: what was read from a cluster (secret values removed) and what could not be read, and why.
import { type LoadIssue, PalisadeError } from '../core/errors.ts';
import { formatPath, formatRef, isRecord, type KubeObject, refOf } from '../core/kube-object.ts';
import { nestsDeeperThan } from '../core/nesting-depth.ts';
import { validateShape } from '../inputs/validate-shape.ts';
import { maskUserinfo } from './connection.ts';
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
  /** False when the server's certificate was not verified (insecure-skip-tls-verify); absent when it was. */
  tlsVerified?: false;
  coverage: CoverageEntry[];
  kubelets: KubeletCoverage[];
  discoveryFailures: { groupVersion: string; reason: string }[];
  /**
   * The scope of every resource discovery listed, as the server reported it, keyed `resource.group` (`namespaces`,
   * `widgets.example.com`: groupResourceKey). RBAC reads from it which custom resources a RoleBinding cannot grant.
   * Absent in snapshots written before it was kept.
   */
  resourceScopes?: Record<string, ResourceScope>;
  items: KubeObject[];
}

export type ResourceScope = 'Cluster' | 'Namespaced';

/** JSON with one object per line, so that a snapshot diffs well and is written without one giant string. */
export function* serializeSnapshot(snapshot: ClusterSnapshot): Generator<string> {
  const { items, ...header } = snapshot;
  // A password written in the server URL never reaches a file.
  const head = JSON.stringify({ ...header, server: maskUserinfo(header.server) }, null, 2);
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
    if (raw.count !== undefined) {
      if (typeof raw.count !== 'number' || !Number.isSafeInteger(raw.count) || raw.count < 0)
        throw invalid(file, `coverage[${index}].count must be a whole number`);
      entry.count = raw.count;
    }
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

function discoveryFailuresOf(value: unknown, file: string): ClusterSnapshot['discoveryFailures'] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw invalid(file, 'discoveryFailures must be a list');
  return value.map((raw, index) => {
    if (!isRecord(raw) || typeof raw.groupVersion !== 'string' || typeof raw.reason !== 'string')
      throw invalid(file, `discoveryFailures[${index}] needs a groupVersion and a reason (both strings)`);
    return { groupVersion: raw.groupVersion, reason: raw.reason };
  });
}

function resourceScopesOf(value: unknown, file: string): Record<string, ResourceScope> | undefined {
  if (value === undefined) return undefined;
  if (!isRecord(value)) throw invalid(file, 'resourceScopes must be a mapping');
  const entries = Object.entries(value);
  for (const [key, scope] of entries)
    if (scope !== 'Cluster' && scope !== 'Namespaced')
      throw invalid(file, `resourceScopes.${key} must be Cluster or Namespaced`);
  // fromEntries defines every key as data, `__proto__` included.
  return Object.fromEntries(entries) as Record<string, ResourceScope>;
}

function describeValue(value: unknown): string {
  if (Array.isArray(value)) return 'a list';
  if (value === null) return 'null';
  return typeof value === 'object' ? 'a mapping' : `a ${typeof value}`;
}

/** As deep as a manifest document may nest (the loader's maxDepth). */
const MAX_ITEM_DEPTH = 200;

/** Why a snapshot item cannot be scanned at all, or undefined when it is an object with its identity intact. */
function whyNotObject(item: unknown): string | undefined {
  if (!isRecord(item)) return `is ${describeValue(item)}, not a Kubernetes object`;
  // Rules and messages walk what they read recursively: a hostile file must not overflow them.
  if (nestsDeeperThan(item, MAX_ITEM_DEPTH)) return `nests deeper than ${MAX_ITEM_DEPTH} levels`;
  for (const field of ['apiVersion', 'kind'] as const)
    if (typeof item[field] !== 'string' || item[field] === '')
      return item[field] === undefined
        ? `has no ${field}`
        : `${field} must be a non-empty string, got ${describeValue(item[field])}`;
  if (!isRecord(item.metadata))
    return item.metadata === undefined
      ? 'has no metadata'
      : `metadata must be a mapping, got ${describeValue(item.metadata)}`;
  // An object's identity: a wrong type here would break every place that names it.
  for (const field of ['name', 'generateName', 'namespace'] as const) {
    const value = item.metadata[field];
    if (value !== undefined && typeof value !== 'string')
      return `metadata.${field} must be a string, got ${describeValue(value)}`;
  }
  return undefined;
}

/** Errors about items, named by the snapshot and the item's index; line and column are 0 (a snapshot is JSON). */
function itemIssue(file: string, code: LoadIssue['code'], message: string): LoadIssue {
  return { severity: 'error', code, message, file, line: 0, column: 0 };
}

/** At most this many wrongly typed fields are reported per item, and items with problems per snapshot. */
const MAX_SHAPE_ERRORS = 5;
const MAX_ITEM_ISSUES = 100;

export interface ParsedSnapshot {
  snapshot: ClusterSnapshot;
  /**
   * Items that could not be scanned (not Kubernetes objects: reported, never silently dropped), or were scanned
   * with wrongly typed fields: errors naming file and index.
   */
  issues: LoadIssue[];
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
  if (value.tlsVerified !== undefined && typeof value.tlsVerified !== 'boolean')
    throw invalid(file, 'tlsVerified must be true or false');
  const items: KubeObject[] = [];
  const issues: LoadIssue[] = [];
  let badItems = 0;
  value.items.forEach((item: unknown, index) => {
    const problem = whyNotObject(item);
    if (problem !== undefined) {
      if (badItems++ < MAX_ITEM_ISSUES)
        issues.push(
          itemIssue(file, 'not-scanned', `snapshot ${file}: items[${index}] ${problem}; not scanned`),
        );
      return;
    }
    const object = sanitizeObject(item as KubeObject);
    items.push(object);
    const errors = validateShape(object);
    if (errors.length === 0 || badItems++ >= MAX_ITEM_ISSUES) return;
    // Scanned all the same, as a manifest with wrong types is: rules read defensively.
    const name = formatRef(refOf(object));
    for (const error of errors.slice(0, MAX_SHAPE_ERRORS))
      issues.push(
        itemIssue(
          file,
          'invalid-field-type',
          `snapshot ${file}: items[${index}] (${name}): ${formatPath(error.path)} must be ${error.expected}, got ${error.actual}`,
        ),
      );
    if (errors.length > MAX_SHAPE_ERRORS)
      issues.push(
        itemIssue(
          file,
          'invalid-field-type',
          `snapshot ${file}: items[${index}] (${name}): ${errors.length - MAX_SHAPE_ERRORS} more fields with wrong types`,
        ),
      );
  });
  if (badItems > MAX_ITEM_ISSUES)
    issues.push(
      itemIssue(
        file,
        'not-scanned',
        `snapshot ${file}: ${badItems - MAX_ITEM_ISSUES} more items with problems (first ${MAX_ITEM_ISSUES} shown)`,
      ),
    );
  const snapshot: ClusterSnapshot = {
    apiVersion: SNAPSHOT_API_VERSION,
    kind: SNAPSHOT_KIND,
    context,
    // Snapshots written before user information was kept out of the server URL may still hold a password.
    server: maskUserinfo(server),
    takenAt,
    coverage: coverageOf(value.coverage ?? [], file),
    kubelets: kubeletsOf(value.kubelets, file),
    discoveryFailures: discoveryFailuresOf(value.discoveryFailures, file),
    items,
  };
  if (value.tlsVerified === false) snapshot.tlsVerified = false;
  const serverVersion = optionalString(value, 'serverVersion', file);
  if (serverVersion !== undefined) snapshot.serverVersion = serverVersion;
  const namespace = optionalString(value, 'namespace', file);
  if (namespace !== undefined) snapshot.namespace = namespace;
  const resourceScopes = resourceScopesOf(value.resourceScopes, file);
  if (resourceScopes !== undefined) snapshot.resourceScopes = resourceScopes;
  return { snapshot, issues };
}
