// One HTTP(S) request on node:http/https: TLS verified unless the caller says otherwise, an extra CA when
// given, redirects followed by the caller, responses streamed.
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { PalisadeError } from '../core/errors.ts';

export interface TlsOptions {
  /** Skip certificate verification (only with --insecure-registry). */
  insecure: boolean;
  /** Extra trusted CA certificates (PEM). */
  ca?: string;
}

export interface HttpResponse {
  status: number;
  headers: IncomingMessage['headers'];
  body: IncomingMessage;
}

export function sendRequest(
  url: URL,
  headers: Record<string, string>,
  tls: TlsOptions,
  signal?: AbortSignal,
  method = 'GET',
): Promise<HttpResponse> {
  return new Promise((resolve, reject) => {
    const options = {
      method,
      headers: { 'user-agent': 'palisade', ...headers },
      signal,
      timeout: 60_000,
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
    const request = send(url, options, (response) =>
      resolve({ status: response.statusCode ?? 0, headers: response.headers, body: response }),
    );
    request.on('timeout', () => request.destroy(new Error('timed out')));
    request.on('error', (error) =>
      reject(
        new PalisadeError('input-unreadable', `${url.origin}: ${(error as Error).message}`, {
          cause: error,
        }),
      ),
    );
    request.end();
  });
}

/** Reads a response body into memory, refusing more than `limit` bytes. */
export async function readBody(response: HttpResponse, limit: number, where: string): Promise<Buffer> {
  const declared = Number(response.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) {
    response.body.destroy();
    throw new PalisadeError('input-unreadable', `${where}: response of ${declared} bytes is over ${limit}`);
  }
  const chunks: Buffer[] = [];
  let length = 0;
  for await (const chunk of response.body) {
    length += (chunk as Buffer).length;
    if (length > limit) {
      response.body.destroy();
      throw new PalisadeError('input-unreadable', `${where}: response is over ${limit} bytes`);
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}
