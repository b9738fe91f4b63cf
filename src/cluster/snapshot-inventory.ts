// From a snapshot (live or read from a file) to inventory entries, plus what could not be read, stated as issues
// and notices. Live scans and snapshot scans both go through here, which is why their results are identical.
import type { EngineNotice } from '../core/engine.ts';
import type { LoadIssue } from '../core/errors.ts';
import type { InventoryEntry } from '../core/inventory.ts';
import { type KubeObject, refOf } from '../core/kube-object.ts';
import { clusterInputName } from './cluster-input-name.ts';
import { tlsNotVerifiedWarning } from './connection.ts';
import { derivedKubeletConfigs } from './kubelet-configmap.ts';
import { withoutOwnedObjects } from './owned-objects.ts';
import type { ClusterSnapshot } from './snapshot.ts';

export interface SnapshotInventoryOptions {
  /** Keep pods, ReplicaSets and Jobs whose controller is also in the snapshot (by default they are its duplicates). */
  includeOwned?: boolean;
  /** Problems with the snapshot's items (from parseSnapshot), reported with the others. */
  itemIssues?: readonly LoadIssue[];
}

export interface SnapshotInventory {
  entries: InventoryEntry[];
  issues: LoadIssue[];
  notices: EngineNotice[];
  /** Objects left out because their controller (also scanned) has the same pod template. */
  ownedSkipped: number;
  /** What the cluster's discovery said of each resource's scope (InventoryOptions.clusterScoped). */
  clusterScoped: Map<string, boolean>;
}

function issuesOf(snapshot: ClusterSnapshot, itemIssues: readonly LoadIssue[]): LoadIssue[] {
  const file = clusterInputName(snapshot);
  const issues: LoadIssue[] = [];
  const at = { file, line: 0, column: 0 } as const;
  for (const entry of snapshot.coverage) {
    const what = entry.resource ? `${entry.kind} (${entry.apiVersion} ${entry.resource})` : entry.kind;
    if (entry.status === 'listed') {
      if (entry.reason !== undefined)
        issues.push({ severity: 'warning', code: 'not-scanned', message: `${what}: ${entry.reason}`, ...at });
      continue;
    }
    // A kind the server does not serve has no objects to miss.
    if (entry.status === 'not-served') continue;
    issues.push({
      // In a namespace-scoped scan, refusals of cluster-wide kinds are expected of a namespaced identity.
      severity: snapshot.namespace !== undefined && entry.status === 'forbidden' ? 'warning' : 'error',
      code: 'not-scanned',
      message: `${what} not scanned: ${entry.status}${entry.reason ? ` (${entry.reason})` : ''}`,
      ...at,
      kind: entry.kind,
    });
  }
  for (const failure of snapshot.discoveryFailures)
    issues.push({
      severity: 'warning',
      code: 'not-scanned',
      message: `API ${failure.groupVersion} could not be discovered (${failure.reason}); kinds only it serves were not scanned`,
      ...at,
    });
  for (const issue of itemIssues) issues.push(issue);
  return issues;
}

/** A cluster read without verifying the server's certificate: said first, since it puts every result in doubt. */
function tlsNotices(snapshot: ClusterSnapshot): EngineNotice[] {
  if (snapshot.tlsVerified !== false) return [];
  const location = { type: 'cluster', context: snapshot.context, path: '' } as const;
  return [
    { severity: 'warning', message: tlsNotVerifiedWarning(snapshot.context, snapshot.server), location },
  ];
}

function kubeletNotices(snapshot: ClusterSnapshot, usedConfigMap: boolean): EngineNotice[] {
  const location = { type: 'cluster', context: snapshot.context, path: '' } as const;
  if (snapshot.kubelets.length === 0) {
    // No node to ask: the Node list was refused or failed, or the cluster has none.
    const nodes = snapshot.coverage.find((entry) => entry.kind === 'Node');
    const why =
      nodes === undefined || nodes.status === 'listed'
        ? 'no Node was listed'
        : `Nodes were not listed (${nodes.status})`;
    return [
      {
        severity: 'warning',
        message: usedConfigMap
          ? `kubelet configuration of the nodes not observable: ${why}; kubelet checks ran on the cluster-wide kube-system/kubelet-config ConfigMap instead, which flags and node-local files can override`
          : `kubelet configuration not observable: ${why} and no kube-system/kubelet-config ConfigMap was read; kubelet checks did not run`,
        location,
      },
    ];
  }
  const unread = snapshot.kubelets.filter((kubelet) => kubelet.status !== 'read');
  if (unread.length === 0) return [];
  const fallback = usedConfigMap
    ? 'kubelet checks ran on the cluster-wide kube-system/kubelet-config ConfigMap instead, which flags and node-local files can override'
    : 'kubelet checks did not run for these nodes';
  // One notice per distinct reason, naming the nodes, so a thousand forbidden nodes make one line.
  const byReason = new Map<string, string[]>();
  for (const kubelet of unread) {
    const reason = `${kubelet.status}${kubelet.reason ? `: ${kubelet.reason}` : ''}`;
    const nodes = byReason.get(reason);
    if (nodes) nodes.push(kubelet.node);
    else byReason.set(reason, [kubelet.node]);
  }
  return [...byReason].map(([reason, nodes]) => ({
    severity: 'warning',
    message: `kubelet configuration not observable on ${nodes.length} node(s) (${nodes.slice(0, 5).join(', ')}${nodes.length > 5 ? ', …' : ''}): ${reason}; ${fallback}`,
    location,
  }));
}

export function snapshotInventory(
  snapshot: ClusterSnapshot,
  options: SnapshotInventoryOptions = {},
): SnapshotInventory {
  const { kept, skipped } = options.includeOwned
    ? { kept: snapshot.items, skipped: 0 }
    : withoutOwnedObjects(snapshot.items);
  const anyKubeletUnread = snapshot.kubelets.some((kubelet) => kubelet.status !== 'read');
  const derived: KubeObject[] =
    anyKubeletUnread || snapshot.kubelets.length === 0 ? derivedKubeletConfigs(snapshot.items) : [];
  const source = { type: 'cluster', context: snapshot.context } as const;
  const entries: InventoryEntry[] = [];
  for (const object of [...kept, ...derived]) entries.push({ object, ref: refOf(object), source });
  return {
    entries,
    issues: issuesOf(snapshot, options.itemIssues ?? []),
    notices: [...tlsNotices(snapshot), ...kubeletNotices(snapshot, derived.length > 0)],
    ownedSkipped: skipped,
    clusterScoped: new Map(
      Object.entries(snapshot.resourceScopes ?? {}).map(([key, scope]) => [key, scope === 'Cluster']),
    ),
  };
}
