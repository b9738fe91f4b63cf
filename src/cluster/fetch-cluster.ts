// Reads a cluster into a snapshot: discovery, then every needed kind listed with bounded concurrency.
import { groupResourceKey } from '../core/inventory.ts';
import { isRecord, type KubeObject } from '../core/kube-object.ts';
import { describeFailure, type KubeApiClient } from './api-client.ts';
import { boundedMap } from './bounded-map.ts';
import { type DiscoveryResult, discover, discoveryFailureOf, resourceForKind } from './discovery.ts';
import { readKubeletConfigs } from './kubelet-config.ts';
import { listResource } from './list-resource.ts';
import { type ProgressSink, SILENT_PROGRESS } from './progress.ts';
import { sanitizeObject } from './sanitize.ts';
import {
  type ClusterSnapshot,
  type CoverageEntry,
  type ResourceScope,
  SNAPSHOT_API_VERSION,
  SNAPSHOT_KIND,
} from './snapshot.ts';

export interface FetchOptions {
  /** Kinds to list (rule kinds and context kinds). */
  kinds: readonly string[];
  /** Only this namespace's namespaced objects; cluster-scoped kinds are still read. */
  namespace?: string;
  pageSize?: number;
  /** Lists in flight at once. Default 4. */
  concurrency?: number;
  /** Read each node's kubelet configuration through nodes/proxy/configz. Default true. */
  kubeletConfig?: boolean;
  signal?: AbortSignal;
  progress?: ProgressSink;
  now: Date;
}

interface KindResult {
  coverage: CoverageEntry;
  items: KubeObject[];
}

/** With --namespace, the Namespace itself is read by name: a namespaced identity can often get it but not list all. */
async function readOneNamespace(
  client: KubeApiClient,
  namespace: string,
  signal: AbortSignal | undefined,
): Promise<KindResult> {
  const response = await client.get(`/api/v1/namespaces/${encodeURIComponent(namespace)}`, {}, signal);
  const base = { kind: 'Namespace', apiVersion: 'v1', resource: 'namespaces' };
  if (response.status === 200 && isRecord(response.body) && isRecord(response.body.metadata)) {
    const object = response.body as KubeObject;
    object.apiVersion ??= 'v1';
    object.kind ??= 'Namespace';
    return { coverage: { ...base, status: 'listed', count: 1 }, items: [sanitizeObject(object)] };
  }
  const status =
    response.status === 403
      ? 'forbidden'
      : response.status === 401
        ? 'unauthorized'
        : response.status === 404
          ? 'not-served'
          : 'failed';
  return { coverage: { ...base, status, reason: describeFailure(response) }, items: [] };
}

/** What discovery said of each resource's scope: the server's word, custom resources and aggregated APIs included. */
function scopesOf(discovery: DiscoveryResult): Record<string, ResourceScope> {
  const scopes: Record<string, ResourceScope> = {};
  for (const { group, resource, namespaced } of discovery.resources)
    scopes[groupResourceKey(group, resource)] = namespaced ? 'Namespaced' : 'Cluster';
  return scopes;
}

export async function fetchClusterSnapshot(
  client: KubeApiClient,
  options: FetchOptions,
): Promise<ClusterSnapshot> {
  const progress = options.progress ?? SILENT_PROGRESS;
  const concurrency = options.concurrency ?? 4;
  const signal = options.signal;
  progress.phase(`discovering APIs of ${client.connection.server}`);
  const discovery = await discover(client, concurrency, signal);

  progress.phase('listing');
  const results = await boundedMap(options.kinds, concurrency, async (kind): Promise<KindResult> => {
    progress.listing(kind, options.kinds.length);
    try {
      if (kind === 'Namespace' && options.namespace !== undefined)
        return await readOneNamespace(client, options.namespace, signal);
      const resource = resourceForKind(discovery, kind);
      const failedDiscovery = resource ? undefined : discoveryFailureOf(discovery, kind);
      // Its group did not answer discovery: the kind may well be served, and its objects were not read.
      if (failedDiscovery)
        return {
          coverage: {
            kind,
            status: 'failed',
            reason: `discovery of ${failedDiscovery.groupVersion} failed (${failedDiscovery.reason})`,
          },
          items: [],
        };
      if (!resource)
        return {
          coverage: { kind, status: 'not-served', reason: 'no listable resource of this kind on the server' },
          items: [],
        };
      const where = { kind, apiVersion: resource.groupVersion, resource: resource.resource };
      const listOptions: Parameters<typeof listResource>[2] = { onPage: (count) => progress.items(count) };
      if (options.namespace !== undefined) listOptions.namespace = options.namespace;
      if (options.pageSize !== undefined) listOptions.pageSize = options.pageSize;
      if (signal) listOptions.signal = signal;
      const outcome = await listResource(client, resource, listOptions);
      if (outcome.status !== 'listed')
        return { coverage: { ...where, status: outcome.status, reason: outcome.reason }, items: [] };
      const coverage: CoverageEntry = { ...where, status: 'listed', count: outcome.items.length };
      if (outcome.malformed > 0)
        coverage.reason = `${outcome.malformed} list item(s) were not Kubernetes objects and were left out`;
      return { coverage, items: outcome.items };
    } finally {
      progress.kindDone();
    }
  });

  const items: KubeObject[] = [];
  for (const result of results) for (const item of result.items) items.push(item);
  const snapshot: ClusterSnapshot = {
    apiVersion: SNAPSHOT_API_VERSION,
    kind: SNAPSHOT_KIND,
    context: client.connection.context,
    server: client.connection.server,
    takenAt: options.now.toISOString(),
    coverage: results.map((result) => result.coverage),
    kubelets: [],
    discoveryFailures: discovery.failures,
    items,
  };
  if (discovery.serverVersion !== undefined) snapshot.serverVersion = discovery.serverVersion;
  if (options.namespace !== undefined) snapshot.namespace = options.namespace;
  snapshot.resourceScopes = scopesOf(discovery);

  const nodes = items.filter((item) => item.kind === 'Node').map((item) => item.metadata.name ?? '');
  if (options.kubeletConfig === false)
    snapshot.kubelets = nodes.map((node) => ({ node, status: 'not-attempted', reason: 'not requested' }));
  else if (nodes.length > 0) {
    progress.phase('reading kubelet configurations');
    const kubelets = await readKubeletConfigs(client, nodes, concurrency, signal);
    snapshot.kubelets = kubelets.coverage;
    items.push(...kubelets.objects);
  }
  progress.end();
  return snapshot;
}
