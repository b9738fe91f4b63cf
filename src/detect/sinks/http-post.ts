// One JSON POST over HTTP(S) with TLS verified (an extra CA may be given), a timeout and a bounded response read.
// The promise always settles: an oversized response is destroyed with an error, the socket's 'close' settles
// whatever is still pending, and an overall deadline bounds the whole exchange (a slow-dripping receiver
// cannot hold delivery or shutdown).
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';

export interface PostOptions {
  ca?: string | Buffer;
  headers?: Record<string, string>;
  /** Socket inactivity timeout (default 10 s). */
  timeoutMs?: number;
  /** Deadline for the whole request and response (default 30 s). */
  deadlineMs?: number;
}

export interface PostResult {
  status: number;
  retryAfterMs: number | undefined;
}

export const MAX_RESPONSE_BYTES = 1024 * 1024;

export function postJson(url: URL, body: string, options: PostOptions = {}): Promise<PostResult> {
  return new Promise((resolve, reject) => {
    let settled = false;
    const finish = (error: Error | undefined, result?: PostResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(deadline);
      if (error !== undefined) reject(error);
      else resolve(result!);
    };
    const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
    const timeoutMs = options.timeoutMs ?? 10_000;
    const deadlineMs = options.deadlineMs ?? 30_000;
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
        timeout: timeoutMs,
      },
      (response) => {
        let received = 0;
        response.on('data', (chunk: Buffer) => {
          received += chunk.length;
          if (received > MAX_RESPONSE_BYTES) {
            const error = new Error(`response larger than ${MAX_RESPONSE_BYTES} bytes`);
            response.destroy(error);
            req.destroy(error);
            finish(error);
          }
        });
        response.on('end', () => {
          const retryAfter = Number(response.headers['retry-after']);
          finish(undefined, {
            status: response.statusCode ?? 0,
            retryAfterMs: Number.isFinite(retryAfter) ? retryAfter * 1000 : undefined,
          });
        });
        response.on('error', (error) => finish(error));
        response.on('close', () => finish(new Error('connection closed before the response ended')));
      },
    );
    const deadline = setTimeout(() => {
      const error = new Error(`no complete answer within ${deadlineMs} ms`);
      req.destroy(error);
      finish(error);
    }, deadlineMs);
    deadline.unref?.();
    req.on('timeout', () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    req.on('error', (error) => finish(error));
    req.on('close', () => finish(new Error('connection closed before a response')));
    req.end(body);
  });
}
