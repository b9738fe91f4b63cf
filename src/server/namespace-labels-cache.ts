// Namespace labels from the Kubernetes API, for policies that honour `pod-security.kubernetes.io/*` labels.
// The whole list is refreshed periodically; a namespace not seen yet is fetched once on demand (a request in a
// namespace created a moment ago must not miss its labels). Uses the in-cluster service account: HTTPS with the
// cluster CA and a bearer token that is re-read on every call (kubelet rotates it).
import { readFile } from 'node:fs/promises';
import { request } from 'node:https';
import { isRecord } from '../core/kube-object.ts';
import type { Logger } from './json-log.ts';

export interface ApiServerAccess {
  /** `https://host:port` */
  url: string;
  caPem: string;
  tokenFile: string;
}

const SERVICE_ACCOUNT_DIR = '/var/run/secrets/kubernetes.io/serviceaccount';

/** The in-cluster API server from the environment the kubelet sets, or undefined outside a cluster. */
export async function inClusterAccess(
  env: Record<string, string | undefined>,
): Promise<ApiServerAccess | undefined> {
  const host = env.KUBERNETES_SERVICE_HOST;
  const port = env.KUBERNETES_SERVICE_PORT ?? '443';
  if (!host) return undefined;
  try {
    const caPem = await readFile(`${SERVICE_ACCOUNT_DIR}/ca.crt`, 'utf8');
    const bracketed = host.includes(':') ? `[${host}]` : host;
    return { url: `https://${bracketed}:${port}`, caPem, tokenFile: `${SERVICE_ACCOUNT_DIR}/token` };
  } catch {
    return undefined;
  }
}

const MAX_RESPONSE_BYTES = 64 * 1024 * 1024;

export class NamespaceLabelsCache {
  readonly #access: ApiServerAccess;
  readonly #logger: Logger;
  readonly #labels = new Map<string, Record<string, string>>();
  readonly #pending = new Map<string, Promise<void>>();
  #timer: NodeJS.Timeout | undefined;
  readonly timeoutMs: number;

  constructor(access: ApiServerAccess, logger: Logger, timeoutMs = 1000) {
    this.#access = access;
    this.#logger = logger;
    this.timeoutMs = timeoutMs;
  }

  /** Lists every namespace once (failure is logged, not fatal: each namespace is then fetched when asked for). */
  async start(refreshMs = 30_000): Promise<void> {
    await this.refresh();
    this.#timer = setInterval(() => void this.refresh(), refreshMs);
    this.#timer.unref();
  }

  stop(): void {
    if (this.#timer) clearInterval(this.#timer);
  }

  get(namespace: string): Record<string, string> | undefined {
    return this.#labels.get(namespace);
  }

  async refresh(): Promise<void> {
    try {
      const list = await this.#get('/api/v1/namespaces');
      const items = isRecord(list) && Array.isArray(list.items) ? list.items : [];
      this.#labels.clear();
      for (const item of items) this.#store(item);
    } catch (error) {
      this.#logger.warn('cannot list namespaces; namespace labels may be stale', {
        error: (error as Error).message,
      });
    }
  }

  /**
   * Makes sure `namespace` is known, fetching it when it is not (concurrent callers share one fetch). Rejects when
   * its labels cannot be read: as Pod Security Admission, which denies when it cannot look the namespace up, the
   * caller must not judge the request as if the namespace had no labels (a `restricted` one would get the defaults).
   */
  ensure(namespace: string): Promise<void> {
    if (this.#labels.has(namespace)) return Promise.resolve();
    let pending = this.#pending.get(namespace);
    if (!pending) {
      pending = this.#get(`/api/v1/namespaces/${encodeURIComponent(namespace)}`)
        .then((item) => this.#store(item))
        .catch((error: Error) => {
          this.#logger.warn('cannot read namespace labels', { namespace, error: error.message });
          throw new Error(`cannot read the labels of namespace ${namespace}: ${error.message}`);
        })
        .finally(() => this.#pending.delete(namespace));
      this.#pending.set(namespace, pending);
    }
    return pending;
  }

  #store(item: unknown): void {
    if (!isRecord(item) || !isRecord(item.metadata) || typeof item.metadata.name !== 'string') return;
    const labels = isRecord(item.metadata.labels) ? item.metadata.labels : {};
    const strings: Record<string, string> = {};
    for (const [key, value] of Object.entries(labels)) if (typeof value === 'string') strings[key] = value;
    this.#labels.set(item.metadata.name, strings);
  }

  async #get(path: string): Promise<unknown> {
    const token = (await readFile(this.#access.tokenFile, 'utf8')).trim();
    const url = new URL(path, this.#access.url);
    return new Promise((resolve, reject) => {
      const outgoing = request(
        url,
        {
          method: 'GET',
          ca: this.#access.caPem,
          headers: { authorization: `Bearer ${token}`, accept: 'application/json' },
          timeout: this.timeoutMs,
        },
        (response) => {
          const chunks: Buffer[] = [];
          let size = 0;
          response.on('data', (chunk: Buffer) => {
            size += chunk.length;
            if (size > MAX_RESPONSE_BYTES) outgoing.destroy(new Error('namespace list too large'));
            else chunks.push(chunk);
          });
          response.on('end', () => {
            if (response.statusCode !== 200)
              return reject(new Error(`GET ${path}: HTTP ${response.statusCode}`));
            try {
              resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')));
            } catch (error) {
              reject(error as Error);
            }
          });
          response.on('error', reject);
        },
      );
      outgoing.on('timeout', () =>
        outgoing.destroy(new Error(`GET ${path}: no answer within ${this.timeoutMs} ms`)),
      );
      outgoing.on('error', reject);
      outgoing.end();
    });
  }
}
