// Reads a request body with a size limit and a deadline, so that a huge or trickling body can neither exhaust
// memory nor hold a connection forever. Reusable by every HTTP endpoint (admission webhook, audit receiver).
import type { IncomingMessage } from 'node:http';

export type BodyResult =
  | {
      ok: true;
      body: Buffer;
      /** Gives the body's bytes back to the budget (once the body is no longer needed); a no-op without one. */
      release: () => void;
    }
  | { ok: false; status: 400 | 408 | 413 | 503; reason: string };

/**
 * Bytes of request bodies held at once, across every request of a server: the per-request limit times the
 * connection cap is far more memory than a server has. A body is reserved up front when its Content-Length is
 * known, and chunk by chunk as it grows otherwise; a body that does not fit is refused (503) without being read.
 */
export class BodyBudget {
  readonly maxBytes: number;
  #inUse = 0;
  readonly #onChange: ((inUse: number) => void) | undefined;

  constructor(maxBytes: number, onChange?: (inUse: number) => void) {
    if (!Number.isSafeInteger(maxBytes) || maxBytes <= 0) throw new Error(`invalid body budget ${maxBytes}`);
    this.maxBytes = maxBytes;
    this.#onChange = onChange;
  }

  get inUse(): number {
    return this.#inUse;
  }

  tryReserve(bytes: number): boolean {
    if (this.#inUse + bytes > this.maxBytes) return false;
    this.#inUse += bytes;
    this.#onChange?.(this.#inUse);
    return true;
  }

  release(bytes: number): void {
    this.#inUse = Math.max(0, this.#inUse - bytes);
    this.#onChange?.(this.#inUse);
  }
}

export interface ReadBodyOptions {
  maxBytes: number;
  /** Milliseconds for the whole body to arrive. */
  timeoutMs: number;
  /** Shared by the server's requests; without it only `maxBytes` applies. */
  budget?: BodyBudget;
}

const NO_RELEASE = () => {};

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
  const budget = options.budget;
  // Bytes this request holds in the budget: the declared length up front, else what has arrived.
  let reserved = 0;
  if (budget && declared !== undefined) {
    const length = Number(declared);
    if (!budget.tryReserve(length)) return Promise.resolve(overBudget(budget));
    reserved = length;
  }
  let released = false;
  const release = () => {
    if (released || !budget) return;
    released = true;
    budget.release(reserved);
  };
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let received = 0;
    let settled = false;
    const finish = (result: BodyResult) => {
      if (settled) return;
      settled = true;
      if (!result.ok) release();
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
      if (budget && received > reserved) {
        // Chunked, or more than declared (Node stops at Content-Length, but do not rely on it).
        if (!budget.tryReserve(received - reserved)) {
          finish(overBudget(budget));
          return;
        }
        reserved = received;
      }
      chunks.push(chunk);
    };
    const onEnd = () =>
      finish({ ok: true, body: Buffer.concat(chunks, received), release: budget ? release : NO_RELEASE });
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

function overBudget(budget: BodyBudget): BodyResult {
  return {
    ok: false,
    status: 503,
    reason: `too many request bodies in flight (budget of ${budget.maxBytes} bytes); retry later`,
  };
}
