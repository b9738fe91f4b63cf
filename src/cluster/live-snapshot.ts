// Connects to the cluster the user chose and reads it into a snapshot, closing connections whatever happens.
import { KubeApiClient } from './api-client.ts';
import { connectionWarnings } from './connection.ts';
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
  /** Told before reading when the connection is unsafe (TLS verification off), so the user hears it at once. */
  onWarning?: (message: string) => void;
}

export async function readLiveCluster(request: LiveClusterRequest): Promise<ClusterSnapshot> {
  const connection = resolveConnection({
    cwd: request.cwd,
    env: request.env,
    ...(request.kubeconfig !== undefined ? { kubeconfig: request.kubeconfig } : {}),
    ...(request.context !== undefined ? { context: request.context } : {}),
    ...(request.serviceAccountDir !== undefined ? { serviceAccountDir: request.serviceAccountDir } : {}),
  });
  for (const warning of connectionWarnings(connection)) request.onWarning?.(warning);
  const concurrency = request.concurrency ?? 4;
  const client = new KubeApiClient(connection, { maxSockets: concurrency, userAgent: request.userAgent });
  try {
    const snapshot = await fetchClusterSnapshot(client, {
      kinds: request.kinds,
      now: request.now,
      concurrency,
      ...(request.namespace !== undefined ? { namespace: request.namespace } : {}),
      ...(request.pageSize !== undefined ? { pageSize: request.pageSize } : {}),
      ...(request.kubeletConfig !== undefined ? { kubeletConfig: request.kubeletConfig } : {}),
      ...(request.signal ? { signal: request.signal } : {}),
      ...(request.progress ? { progress: request.progress } : {}),
    });
    // The snapshot keeps saying so: whoever scans it later is warned too.
    if (connection.insecureSkipTlsVerify) snapshot.tlsVerified = false;
    return snapshot;
  } finally {
    request.progress?.end();
    client.close();
  }
}
