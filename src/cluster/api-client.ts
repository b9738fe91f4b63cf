// A small Kubernetes API client on node:https: JSON GETs, TLS verified unless the kubeconfig says otherwise.
import { Agent, request } from 'node:https';
import { createSecureContext } from 'node:tls';
import { PalisadeError } from '../core/errors.ts';
import { type ClusterConnection, headerValueProblem } from './connection.ts';

export interface ApiResponse {
  status: number;
  /** Parsed JSON when the server sent JSON, else the text. */
  body: unknown;
  contentType: string;
  /** Seconds from a `Retry-After` header (429 and 503 answers of API Priority and Fairness). */
  retryAfter?: number;
}

export interface ApiClientOptions {
  /** Connections kept open at once; lists run at most this many in parallel. */
  maxSockets?: number;
  /** Longest silence on a connection (no byte sent or received) before the request fails. Default 120 s. */
  timeoutMs?: number;
  /** Larger responses are refused: bounds memory whatever the server sends. Default 512 MiB. */
  maxResponseBytes?: number;
  userAgent?: string;
}

export class KubeApiClient {
  readonly connection: ClusterConnection;
  readonly #agent: Agent;
  readonly #base: URL;
  readonly #timeoutMs: number;
  readonly #maxBytes: number;
  readonly #headers: Record<string, string | string[]>;

  constructor(connection: ClusterConnection, options: ApiClientOptions = {}) {
    this.connection = connection;
    this.#base = new URL(connection.server);
    this.#timeoutMs = options.timeoutMs ?? 120_000;
    this.#maxBytes = options.maxResponseBytes ?? 512 * 1024 * 1024;
    const agentOptions: ConstructorParameters<typeof Agent>[0] = {
      keepAlive: true,
      maxSockets: options.maxSockets ?? 4,
      rejectUnauthorized: !connection.insecureSkipTlsVerify,
    };
    if (connection.ca) agentOptions.ca = connection.ca;
    if (connection.cert) agentOptions.cert = connection.cert;
    if (connection.key) agentOptions.key = connection.key;
    if (connection.tlsServerName !== undefined) agentOptions.servername = connection.tlsServerName;
    checkCredentials(connection);
    this.#agent = new Agent(agentOptions);
    this.#headers = {
      accept: 'application/json',
      'user-agent': options.userAgent ?? 'palisade',
    };
    if (connection.token !== undefined) this.#headers.authorization = `Bearer ${connection.token}`;
    else if (connection.basicAuth !== undefined) {
      const { username, password } = connection.basicAuth;
      this.#headers.authorization = `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
    }
    if (connection.impersonate) {
      this.#headers['impersonate-user'] = connection.impersonate.user;
      if (connection.impersonate.groups.length > 0)
        this.#headers['impersonate-group'] = [...connection.impersonate.groups];
    }
  }

  /** GETs a path (with an optional query); only transport failures throw, HTTP errors are returned. */
  get(path: string, query: Record<string, string> = {}, signal?: AbortSignal): Promise<ApiResponse> {
    const url = new URL(path, this.#base);
    // The server URL may carry a path prefix (a proxy in front of the API server).
    url.pathname = `${this.#base.pathname.replace(/\/+$/, '')}${path}`;
    for (const [name, value] of Object.entries(query)) url.searchParams.set(name, value);
    const shown = `${this.connection.server}${path}`;
    return new Promise<ApiResponse>((resolvePromise, reject) => {
      const options: Parameters<typeof request>[1] = {
        method: 'GET',
        agent: this.#agent,
        headers: this.#headers,
        timeout: this.#timeoutMs,
      };
      if (signal) options.signal = signal;
      const outgoing = request(url, options, (incoming) => {
        const chunks: Buffer[] = [];
        let size = 0;
        incoming.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > this.#maxBytes) {
            incoming.destroy();
            reject(
              new PalisadeError(
                'input-unreadable',
                `GET ${shown}: response larger than ${this.#maxBytes} bytes`,
              ),
            );
            return;
          }
          chunks.push(chunk);
        });
        incoming.on('error', (error) =>
          reject(new PalisadeError('input-unreadable', `GET ${shown}: ${error.message}`, { cause: error })),
        );
        incoming.on('end', () => {
          if (size > this.#maxBytes) return;
          const text = Buffer.concat(chunks).toString('utf8');
          const contentType = String(incoming.headers['content-type'] ?? '');
          let body: unknown = text;
          if (contentType.includes('json'))
            try {
              body = JSON.parse(text);
            } catch (error) {
              reject(
                new PalisadeError('input-unreadable', `GET ${shown}: the server sent malformed JSON`, {
                  cause: error,
                }),
              );
              return;
            }
          const answer: ApiResponse = { status: incoming.statusCode ?? 0, body, contentType };
          const retryAfter = Number(incoming.headers['retry-after']);
          if (incoming.headers['retry-after'] !== undefined && Number.isFinite(retryAfter) && retryAfter >= 0)
            answer.retryAfter = retryAfter;
          resolvePromise(answer);
        });
      });
      outgoing.on('timeout', () =>
        outgoing.destroy(new Error(`no complete response within ${this.#timeoutMs} ms`)),
      );
      outgoing.on('error', (error) => {
        const code = (error as NodeJS.ErrnoException).code;
        const detail = code && !error.message.includes(code) ? `${error.message} (${code})` : error.message;
        reject(new PalisadeError('input-unreadable', `GET ${shown}: ${detail}`, { cause: error }));
      });
      outgoing.end();
    });
  }

  /** Closes kept-alive connections so the process can exit. */
  close(): void {
    this.#agent.destroy();
  }
}

/**
 * The last guard for connections not read from a kubeconfig (which checks them with the entry's name): a credential
 * Node would refuse on the first request becomes a configuration error here, naming the context, never the value.
 */
function checkCredentials(connection: ClusterConnection): void {
  const fail = (message: string): never => {
    throw new PalisadeError(
      'config-invalid',
      `context ${connection.context}: ${message} (the value is not shown)`,
    );
  };
  const headers: [string, string | undefined][] = [
    ['the bearer token', connection.token],
    ['the impersonated user', connection.impersonate?.user],
    ...(connection.impersonate?.groups ?? []).map((group, index): [string, string] => [
      `impersonated group ${index + 1}`,
      group,
    ]),
  ];
  for (const [what, value] of headers) {
    const problem = value === undefined ? undefined : headerValueProblem(value);
    if (problem !== undefined) fail(`${what} ${problem}`);
  }
  if (connection.cert !== undefined || connection.key !== undefined)
    try {
      createSecureContext({
        ...(connection.cert ? { cert: connection.cert } : {}),
        ...(connection.key ? { key: connection.key } : {}),
      });
    } catch (error) {
      fail(`the client certificate and key are not usable (${(error as Error).message})`);
    }
}

/** A Kubernetes `Status` body's reason and message, when the body is one. */
export function statusOf(body: unknown): { reason: string; message: string } | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const record = body as Record<string, unknown>;
  if (record.kind !== 'Status') return undefined;
  return {
    reason: typeof record.reason === 'string' ? record.reason : '',
    message: typeof record.message === 'string' ? record.message : '',
  };
}

/** One line saying why a request failed: the server's own Status message when it sent one. */
export function describeFailure(response: ApiResponse): string {
  const status = statusOf(response.body);
  if (status && status.message !== '') return `${response.status} ${status.reason}: ${status.message}`;
  const text = typeof response.body === 'string' ? response.body.trim().slice(0, 200) : '';
  return text === '' ? `HTTP ${response.status}` : `HTTP ${response.status}: ${text}`;
}
