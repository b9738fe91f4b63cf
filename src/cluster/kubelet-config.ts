// The live kubelet configuration of each node, through the API server's node proxy (`nodes/proxy/configz`).
import { isRecord, type KubeObject } from '../core/kube-object.ts';
import { configzSource, KUBELET_SOURCE_ANNOTATION } from '../core/kubelet-source.ts';
import { describeFailure, type KubeApiClient } from './api-client.ts';
import { boundedMap } from './bounded-map.ts';
import type { KubeletCoverage } from './snapshot.ts';

export const KUBELET_CONFIG_API_VERSION = 'kubelet.config.k8s.io/v1beta1';

/** Headers the kubelet sends when fetching static pods from a URL: they may carry credentials. */
function withoutSecrets(config: Record<string, unknown>): Record<string, unknown> {
  const copy = { ...config };
  if (isRecord(copy.staticPodURLHeader))
    copy.staticPodURLHeader = Object.fromEntries(
      Object.keys(copy.staticPodURLHeader).map((name) => [name, ['']]),
    );
  return copy;
}

/** A KubeletConfiguration object named after its node, from the body of `/configz`. */
export function kubeletConfigObject(node: string, body: unknown, source: string): KubeObject | undefined {
  if (!isRecord(body) || !isRecord(body.kubeletconfig)) return undefined;
  const { apiVersion: _apiVersion, kind: _kind, ...config } = body.kubeletconfig;
  return {
    apiVersion: KUBELET_CONFIG_API_VERSION,
    kind: 'KubeletConfiguration',
    metadata: { name: node, annotations: { [KUBELET_SOURCE_ANNOTATION]: source } },
    ...withoutSecrets(config),
  };
}

export interface KubeletRead {
  objects: KubeObject[];
  coverage: KubeletCoverage[];
}

export async function readKubeletConfigs(
  client: KubeApiClient,
  nodes: readonly string[],
  concurrency: number,
  signal?: AbortSignal,
): Promise<KubeletRead> {
  const result: KubeletRead = { objects: [], coverage: [] };
  const readOne = async (node: string): Promise<KubeletCoverage> => {
    const path = `/api/v1/nodes/${encodeURIComponent(node)}/proxy/configz`;
    let response: Awaited<ReturnType<KubeApiClient['get']>>;
    try {
      response = await client.get(path, {}, signal);
    } catch (error) {
      if (signal?.aborted) throw error;
      return { node, status: 'failed', reason: (error as Error).message };
    }
    if (response.status === 403) return { node, status: 'forbidden', reason: describeFailure(response) };
    if (response.status !== 200) return { node, status: 'failed', reason: describeFailure(response) };
    const object = kubeletConfigObject(node, response.body, configzSource(node));
    if (!object) return { node, status: 'failed', reason: 'the answer has no kubeletconfig' };
    result.objects.push(object);
    return { node, status: 'read' };
  };
  const [first, ...rest] = nodes;
  if (first === undefined) return result;
  const firstOutcome = await readOne(first);
  result.coverage.push(firstOutcome);
  // nodes/proxy is granted for all nodes or none in practice: one refusal answers for every node.
  if (firstOutcome.status === 'forbidden') {
    for (const node of rest) {
      const entry: KubeletCoverage = { node, status: 'forbidden' };
      if (firstOutcome.reason !== undefined) entry.reason = firstOutcome.reason;
      result.coverage.push(entry);
    }
    return result;
  }
  result.coverage.push(...(await boundedMap(rest, concurrency, readOne)));
  result.objects.sort((a, b) => (a.metadata.name ?? '').localeCompare(b.metadata.name ?? ''));
  return result;
}
