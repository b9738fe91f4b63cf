// A Kubernetes API server stand-in that answers only with responses recorded from a real kube-apiserver
// (../shared/cluster-recordings, or this repo's own fixtures in the same format), over real TLS.
// It never invents: a request that was not recorded gets a 501 whose body says so, and is counted in `misses`.
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { TLSSocket } from 'node:tls';

export interface Recording {
  request: {
    method: string;
    path: string;
    query: Record<string, string>;
    identity: string;
    headers?: Record<string, string>;
    body?: unknown;
  };
  response: { status: number; headers: Record<string, string>; body: unknown };
}

/** Reads JSON-lines recording files; a malformed line fails loudly, naming file and line. */
export function readRecordings(...files: string[]): Recording[] {
  const recordings: Recording[] = [];
  for (const file of files) {
    const lines = readFileSync(file, 'utf8').split('\n');
    lines.forEach((line, index) => {
      if (line.trim() === '') return;
      try {
        recordings.push(JSON.parse(line) as Recording);
      } catch (error) {
        throw new Error(`${file}:${index + 1}: not a JSON recording: ${(error as Error).message}`);
      }
    });
  }
  return recordings;
}

export interface ReplayOptions {
  recordings: readonly Recording[];
  /** Bearer token -> recorded identity. A token not listed here matches no recording. */
  tokens?: Record<string, string>;
  /** Client certificate common name -> recorded identity (for client-certificate kubeconfigs). */
  clientCertificates?: Record<string, string>;
  tls: { key: Buffer | string; cert: Buffer | string; ca?: Buffer | string };
}

interface Prepared {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
}

/** Response headers the server recomputes for the body it sends. */
const DROPPED_HEADERS = new Set(['content-length', 'transfer-encoding', 'connection', 'keep-alive']);

function requestKey(identity: string, method: string, path: string, query: Record<string, string>): string {
  const params = Object.entries(query)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([name, value]) => `${encodeURIComponent(name)}=${encodeURIComponent(value)}`)
    .join('&');
  return `${identity} ${method} ${path}?${params}`;
}

function prepare(recording: Recording): Prepared {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(recording.response.headers ?? {}))
    if (!DROPPED_HEADERS.has(name)) headers[name] = value;
  const body = recording.response.body;
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  return { status: recording.response.status, headers, body: Buffer.from(text, 'utf8') };
}

export class ReplayServer {
  readonly url: string;
  /** Requests that had no recording, as `identity METHOD path?query`. */
  readonly misses: string[] = [];
  /** Every request served, in order, as `identity METHOD path?query`. */
  readonly served: string[] = [];
  readonly #server: Server;

  private constructor(server: Server, url: string) {
    this.#server = server;
    this.url = url;
  }

  static async start(options: ReplayOptions): Promise<ReplayServer> {
    // Identical requests recorded several times are answered in recorded order; the last answer then repeats.
    const answers = new Map<string, Prepared[]>();
    for (const recording of options.recordings) {
      const { identity, method, path, query } = recording.request;
      const key = requestKey(identity, method, path, query ?? {});
      const list = answers.get(key);
      if (list) list.push(prepare(recording));
      else answers.set(key, [prepare(recording)]);
    }
    const asked = new Map<string, number>();
    const tokens = options.tokens ?? {};
    const certificates = options.clientCertificates ?? {};
    let replay: ReplayServer | undefined;

    const server = createServer(
      {
        key: options.tls.key,
        cert: options.tls.cert,
        ...(options.tls.ca ? { ca: options.tls.ca } : {}),
        requestCert: true,
        rejectUnauthorized: false,
      },
      (request, response) => {
        const url = new URL(request.url ?? '/', 'https://replay.invalid');
        const query: Record<string, string> = {};
        for (const [name, value] of url.searchParams) query[name] = value;
        const authorization = request.headers.authorization;
        let identity = 'anonymous';
        if (authorization !== undefined) {
          const token = /^Bearer (.+)$/.exec(authorization)?.[1];
          identity = (token !== undefined ? tokens[token] : undefined) ?? '<unknown credentials>';
        } else {
          const socket = request.socket as TLSSocket;
          const peer = socket.authorized ? socket.getPeerCertificate() : undefined;
          const commonName = peer?.subject?.CN;
          const name = Array.isArray(commonName) ? commonName[0] : commonName;
          if (name !== undefined && certificates[name] !== undefined) identity = certificates[name];
        }
        const key = requestKey(identity, request.method ?? 'GET', url.pathname, query);
        const list = answers.get(key);
        request.resume();
        if (!list) {
          replay?.misses.push(key);
          response.writeHead(501, { 'content-type': 'text/plain' });
          response.end(`replay server: no recorded response for ${key}\n`);
          return;
        }
        replay?.served.push(key);
        const count = asked.get(key) ?? 0;
        asked.set(key, count + 1);
        const answer = list[Math.min(count, list.length - 1)] as Prepared;
        response.writeHead(answer.status, { ...answer.headers, 'content-length': answer.body.length });
        response.end(answer.body);
      },
    );
    await new Promise<void>((resolveListen) => server.listen(0, '127.0.0.1', resolveListen));
    const { port } = server.address() as AddressInfo;
    replay = new ReplayServer(server, `https://127.0.0.1:${port}`);
    return replay;
  }

  async close(): Promise<void> {
    this.#server.closeAllConnections();
    await new Promise<void>((resolveClose) => this.#server.close(() => resolveClose()));
  }
}
