// One JSON POST over HTTP(S) with TLS verified (an extra CA may be given), a timeout and a bounded response read.
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';

export interface PostOptions {
  ca?: string | Buffer;
  headers?: Record<string, string>;
  timeoutMs?: number;
}

export interface PostResult {
  status: number;
  retryAfterMs: number | undefined;
}

export function postJson(url: URL, body: string, options: PostOptions = {}): Promise<PostResult> {
  return new Promise((resolve, reject) => {
    const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
    const req = send(
      url,
      {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(body),
          ...options.headers,
        },
        ...(options.ca !== undefined ? { ca: options.ca } : {}),
        timeout: options.timeoutMs ?? 10_000,
      },
      (response) => {
        let received = 0;
        response.on('data', (chunk: Buffer) => {
          received += chunk.length;
          if (received > 1024 * 1024) response.destroy();
        });
        response.on('end', () => {
          const retryAfter = Number(response.headers['retry-after']);
          resolve({
            status: response.statusCode ?? 0,
            retryAfterMs: Number.isFinite(retryAfter) ? retryAfter * 1000 : undefined,
          });
        });
        response.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error(`no answer within ${options.timeoutMs ?? 10_000} ms`)));
    req.on('error', reject);
    req.end(body);
  });
}
