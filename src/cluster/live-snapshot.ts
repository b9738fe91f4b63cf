// Connects to the cluster the user chose and reads it into a snapshot, closing connections whatever happens.
import { KubeApiClient } from './api-client.ts';
import { fetchClusterSnapshot } from './fetch-cluster.ts';
import type { ProgressSink } from './progress.ts';
import { resolveConnection } from './resolve-connection.ts';
import type { ClusterSnapshot } from './snapshot.ts';

export interface LiveClusterRequest {
  kubeconfig?: string;
  context?: string;
  namespace?: string;
  cwd: string;
  env: Record<string, string | undefined>;
  kinds: readonly string[];
  now: Date;
  userAgent: string;
  signal?: AbortSignal;
  progress?: ProgressSink;
  pageSize?: number;
  concurrency?: number;
  kubeletConfig?: boolean;
  /** Where in-cluster service-account files are (tests). */
  serviceAccountDir?: string;
}

export async function readLiveCluster(request: LiveClusterRequest): Promise<ClusterSnapshot> {
  const connection = resolveConnection({
    cwd: request.cwd,
    env: request.env,
    ...(request.kubeconfig !== undefined ? { kubeconfig: request.kubeconfig } : {}),
    ...(request.context !== undefined ? { context: request.context } : {}),
    ...(request.serviceAccountDir !== undefined ? { serviceAccountDir: request.serviceAccountDir } : {}),
  });
  const concurrency = request.concurrency ?? 4;
  const client = new KubeApiClient(connection, { maxSockets: concurrency, userAgent: request.userAgent });
  try {
    return await fetchClusterSnapshot(client, {
      kinds: request.kinds,
      now: request.now,
      concurrency,
      ...(request.namespace !== undefined ? { namespace: request.namespace } : {}),
      ...(request.pageSize !== undefined ? { pageSize: request.pageSize } : {}),
      ...(request.kubeletConfig !== undefined ? { kubeletConfig: request.kubeletConfig } : {}),
      ...(request.signal ? { signal: request.signal } : {}),
      ...(request.progress ? { progress: request.progress } : {}),
    });
  } finally {
    request.progress?.end();
    client.close();
  }
}
