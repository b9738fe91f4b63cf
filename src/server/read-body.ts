// Reads a request body with a size limit and a deadline, so that a huge or trickling body can neither exhaust
// memory nor hold a connection forever. Reusable by every HTTP endpoint (admission webhook, audit receiver).
import type { IncomingMessage } from 'node:http';

export type BodyResult = { ok: true; body: Buffer } | { ok: false; status: 400 | 408 | 413; reason: string };

export interface ReadBodyOptions {
  maxBytes: number;
  /** Milliseconds for the whole body to arrive. */
  timeoutMs: number;
}

export function readBody(request: IncomingMessage, options: ReadBodyOptions): Promise<BodyResult> {
  const declared = request.headers['content-length'];
  if (declared !== undefined) {
    const length = Number(declared);
    if (!Number.isSafeInteger(length) || length < 0)
      return Promise.resolve({ ok: false, status: 400, reason: 'invalid Content-Length header' });
    if (length > options.maxBytes)
      return Promise.resolve({
        ok: false,
        status: 413,
        reason: `body of ${length} bytes exceeds the limit of ${options.maxBytes} bytes`,
      });
  }
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let received = 0;
    let settled = false;
    const finish = (result: BodyResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      request.off('data', onData);
      request.off('end', onEnd);
      request.off('error', onError);
      request.off('aborted', onAborted);
      // Stop reading a body that will not be used; the caller answers and closes the connection.
      if (!result.ok) request.pause();
      resolve(result);
    };
    const onData = (chunk: Buffer) => {
      received += chunk.length;
      if (received > options.maxBytes) {
        finish({ ok: false, status: 413, reason: `body exceeds the limit of ${options.maxBytes} bytes` });
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => finish({ ok: true, body: Buffer.concat(chunks, received) });
    const onError = (error: Error) =>
      finish({ ok: false, status: 400, reason: `body could not be read: ${error.message}` });
    const onAborted = () => finish({ ok: false, status: 400, reason: 'client aborted the request' });
    const timer = setTimeout(
      () => finish({ ok: false, status: 408, reason: `body not received within ${options.timeoutMs} ms` }),
      options.timeoutMs,
    );
    request.on('data', onData);
    request.on('end', onEnd);
    request.on('error', onError);
    request.on('aborted', onAborted);
  });
}
