// One HTTP(S) request on node:http/https: TLS verified unless the caller says otherwise, an extra CA when
// given, redirects followed by the caller, responses streamed. Every request has an idle timeout; the caller
// adds a total deadline (small documents: manifests, configs, tokens) or a minimum transfer rate (layer blobs).
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { PalisadeError } from '../core/errors.ts';

export interface TlsOptions {
  /** Skip certificate verification (only with --insecure-registry, only for that registry). */
  insecure: boolean;
  /** Extra trusted CA certificates (PEM). */
  ca?: string;
}

export interface HttpResponse {
  status: number;
  headers: IncomingMessage['headers'];
  body: IncomingMessage;
}

/** Time limits of one request; `what` names the image and what is fetched, for the error message. */
export interface RequestLimits {
  what: string;
  /** No byte in either direction for this long aborts (default 60 s). */
  idleMs?: number;
  /** The whole exchange, body included, must finish within this. */
  deadlineMs?: number;
  /** After `graceMs` of body, every following `windowMs` must bring at least `bytes`. */
  minRate?: { bytes: number; windowMs: number; graceMs: number };
}

const DEFAULT_IDLE_MS = 60_000;

function seconds(ms: number): string {
  return ms >= 1000 ? `${Math.round(ms / 1000)} s` : `${ms} ms`;
}

export function sendRequest(
  url: URL,
  headers: Record<string, string>,
  tls: TlsOptions,
  signal?: AbortSignal,
  method = 'GET',
  limits?: RequestLimits,
): Promise<HttpResponse> {
  return new Promise((resolve, reject) => {
    const what = limits?.what === undefined ? url.origin : `${limits.what} (${url.host})`;
    const idleMs = limits?.idleMs ?? DEFAULT_IDLE_MS;
    const options = {
      method,
      headers: { 'user-agent': 'palisade', ...headers },
      signal,
      timeout: idleMs,
      ...(url.protocol === 'https:'
        ? { rejectUnauthorized: !tls.insecure, ...(tls.ca === undefined ? {} : { ca: tls.ca }) }
        : {}),
    };
    const send =
      url.protocol === 'https:' ? httpsRequest : url.protocol === 'http:' ? httpRequest : undefined;
    if (send === undefined) {
      reject(new PalisadeError('input-unreadable', `${url.href}: unsupported protocol ${url.protocol}`));
      return;
    }
    const timers: NodeJS.Timeout[] = [];
    const clear = (): void => {
      for (const timer of timers.splice(0)) clearTimeout(timer);
    };
    let response: IncomingMessage | undefined;
    const fail = (message: string): void => {
      clear();
      const error = new PalisadeError('input-unreadable', `${what}: ${message}`);
      if (response !== undefined) {
        // Whoever reads the body later gets the error from the destroyed stream; no reader yet must not crash.
        if (response.listenerCount('error') === 0) response.once('error', () => {});
        response.destroy(error);
      } else request.destroy(error);
    };
    const request = send(url, options, (incoming) => {
      response = incoming;
      incoming.once('close', clear);
      const rate = limits?.minRate;
      if (rate !== undefined) {
        // Counted on the socket (already flowing under the HTTP parser), not with a 'data' listener on the
        // body, which would start the body flowing before its reader is there.
        const socket = incoming.socket;
        const received = (): number => socket?.bytesRead ?? 0;
        let mark = 0;
        const check = (): void => {
          const got = received() - mark;
          if (got < rate.bytes) {
            fail(
              `transfer too slow: ${got} bytes in ${seconds(rate.windowMs)} (at least ${rate.bytes} needed)`,
            );
            return;
          }
          mark += got;
          timers.push(setTimeout(check, rate.windowMs).unref());
        };
        timers.push(
          setTimeout(() => {
            mark = received();
            timers.push(setTimeout(check, rate.windowMs).unref());
          }, rate.graceMs).unref(),
        );
      }
      resolve({ status: incoming.statusCode ?? 0, headers: incoming.headers, body: incoming });
    });
    if (limits?.deadlineMs !== undefined) {
      const deadlineMs = limits.deadlineMs;
      timers.push(
        setTimeout(() => fail(`not complete after ${seconds(deadlineMs)}: giving up`), deadlineMs).unref(),
      );
    }
    request.on('timeout', () => fail(`stalled: nothing received for ${seconds(idleMs)}`));
    request.on('error', (error) => {
      clear();
      reject(
        error instanceof PalisadeError
          ? error
          : new PalisadeError('input-unreadable', `${what}: ${(error as Error).message}`, { cause: error }),
      );
    });
    request.end();
  });
}

/** Reads a response body into memory, refusing more than `limit` bytes; stream failures name `where`. */
export async function readBody(response: HttpResponse, limit: number, where: string): Promise<Buffer> {
  const declared = Number(response.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) {
    response.body.destroy();
    throw new PalisadeError('input-unreadable', `${where}: response of ${declared} bytes is over ${limit}`);
  }
  const chunks: Buffer[] = [];
  let length = 0;
  try {
    for await (const chunk of response.body) {
      length += (chunk as Buffer).length;
      if (length > limit) {
        response.body.destroy();
        throw new PalisadeError('input-unreadable', `${where}: response is over ${limit} bytes`);
      }
      chunks.push(chunk as Buffer);
    }
  } catch (error) {
    if (error instanceof PalisadeError) throw error;
    throw new PalisadeError(
      'input-unreadable',
      `${where}: connection lost while reading the response after ${length} bytes (${(error as Error).message})`,
      { cause: error },
    );
  }
  return Buffer.concat(chunks);
}
