// Lists one resource completely, page by page (limit/continue), restarting when the continue token expires.
import { isKubeObject, isRecord, type KubeObject } from '../core/kube-object.ts';
import { type ApiResponse, describeFailure, type KubeApiClient, statusOf } from './api-client.ts';
import type { ApiResource } from './discovery.ts';
import { sanitizeObject } from './sanitize.ts';

export type ListOutcome =
  | { status: 'listed'; items: KubeObject[]; pages: number; restarts: number; malformed: number }
  | { status: 'forbidden' | 'unauthorized' | 'not-served' | 'failed'; reason: string };

export interface ListOptions {
  namespace?: string;
  /** Items per page. Default 500, as kubectl. */
  pageSize?: number;
  /** Times a listing is started over after its continue token expired. Default 2. */
  maxRestarts?: number;
  signal?: AbortSignal;
  /** Called after each page with the number of items in it. */
  onPage?: (items: number) => void;
}

/** Answers that mean "try again shortly": throttling by API Priority and Fairness, and a busy or restarting server. */
const RETRYABLE = new Set([429, 502, 503, 504]);
const MAX_RETRIES = 3;
/** Longest wait honoured from a Retry-After header, so that a hostile or confused server cannot stall a scan. */
const MAX_WAIT_SECONDS = 10;

function wait(seconds: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolveWait, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolveWait();
    }, seconds * 1000);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** A GET retried a few times on throttling and transient server errors, waiting as the server asks (bounded). */
async function getWithRetry(
  client: KubeApiClient,
  path: string,
  query: Record<string, string>,
  signal: AbortSignal | undefined,
): Promise<ApiResponse> {
  for (let attempt = 0; ; attempt++) {
    const response = await client.get(path, query, signal);
    if (!RETRYABLE.has(response.status) || attempt >= MAX_RETRIES) return response;
    await wait(Math.min(response.retryAfter ?? 2 ** attempt, MAX_WAIT_SECONDS), signal);
  }
}

export function collectionPath(resource: ApiResource, namespace?: string): string {
  const root =
    resource.group === '' ? `/api/${resource.version}` : `/apis/${resource.group}/${resource.version}`;
  const scope =
    namespace !== undefined && resource.namespaced ? `/namespaces/${encodeURIComponent(namespace)}` : '';
  return `${root}${scope}/${resource.resource}`;
}

function failure(response: ApiResponse): ListOutcome {
  const reason = describeFailure(response);
  if (response.status === 403) return { status: 'forbidden', reason };
  if (response.status === 401) return { status: 'unauthorized', reason };
  if (response.status === 404) return { status: 'not-served', reason };
  return { status: 'failed', reason };
}

function isExpired(response: ApiResponse): boolean {
  return response.status === 410 && (statusOf(response.body)?.reason ?? 'Expired') === 'Expired';
}

export async function listResource(
  client: KubeApiClient,
  resource: ApiResource,
  options: ListOptions = {},
): Promise<ListOutcome> {
  const path = collectionPath(resource, options.namespace);
  const pageSize = String(options.pageSize ?? 500);
  const maxRestarts = options.maxRestarts ?? 2;
  let restarts = 0;
  for (;;) {
    const items: KubeObject[] = [];
    let pages = 0;
    let malformed = 0;
    let token: string | undefined;
    let expired = false;
    do {
      const query: Record<string, string> = { limit: pageSize };
      if (token !== undefined) query.continue = token;
      const response = await getWithRetry(client, path, query, options.signal);
      if (token !== undefined && isExpired(response)) {
        // A continue token outlives etcd compaction only so long; a fresh list is consistent again, whereas
        // the inconsistent token the server offers could miss or repeat objects.
        expired = true;
        break;
      }
      if (response.status !== 200) return failure(response);
      const body = response.body;
      if (!isRecord(body) || !Array.isArray(body.items))
        return { status: 'failed', reason: `GET ${path}: the answer is not a list` };
      pages++;
      for (const raw of body.items) {
        if (!isRecord(raw)) {
          malformed++;
          continue;
        }
        // Items of a JSON list carry neither apiVersion nor kind: they are the list's.
        raw.apiVersion ??= resource.groupVersion;
        raw.kind ??= resource.kind;
        if (!isKubeObject(raw)) {
          malformed++;
          continue;
        }
        items.push(sanitizeObject(raw));
      }
      options.onPage?.(body.items.length);
      const next = isRecord(body.metadata) ? body.metadata.continue : undefined;
      token = typeof next === 'string' && next !== '' ? next : undefined;
    } while (token !== undefined);
    if (!expired) return { status: 'listed', items, pages, restarts, malformed };
    if (restarts >= maxRestarts)
      return {
        status: 'failed',
        reason: `the continue token expired ${restarts + 1} times while paging (410 Gone); the list changes faster than it can be read at this page size`,
      };
    restarts++;
  }
}
