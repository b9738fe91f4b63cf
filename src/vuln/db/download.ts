// Downloads one URL to a file over node:http(s): TLS verified (an extra CA may be trusted), redirects followed a
// few times, a size limit, conditional requests (ETag / Last-Modified) so an unchanged export is not fetched again.
import { createWriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { rootCertificates } from 'node:tls';
import { maskUserinfo } from '../../cluster/connection.ts';
import { PalisadeError } from '../../core/errors.ts';

export interface DownloadOptions {
  /** Extra trusted CA certificates (PEM), for mirrors behind a private CA. */
  ca?: string;
  etag?: string;
  lastModified?: string;
  maxBytes: number;
  signal?: AbortSignal | undefined;
  /** The slowest transfer kept going: at least `bytes` in every `windowMs` (default 16 KiB a minute). */
  minSpeed?: { bytes: number; windowMs: number };
}

export type DownloadResult =
  | { status: 'not-modified' }
  | { status: 'downloaded'; bytes: number; etag?: string; lastModified?: string };

const MAX_REDIRECTS = 5;
/** Slowest transfer kept going: 16 KiB a minute (a dial-up line does 20 times that). */
const MIN_SPEED = { bytes: 16 * 1024, windowMs: 60_000 };

/** A URL as it may be shown: user information (a mirror's password) replaced by `***`. */
function shown(url: URL | string): string {
  return maskUserinfo(typeof url === 'string' ? url : url.href);
}

function get(url: URL, headers: Record<string, string>, options: DownloadOptions): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    const send =
      url.protocol === 'https:' ? httpsRequest : url.protocol === 'http:' ? httpRequest : undefined;
    if (!send) {
      reject(new PalisadeError('usage', `${shown(url)}: only http and https URLs can be downloaded`));
      return;
    }
    const request = send(
      url,
      {
        headers: { 'user-agent': 'palisade', ...headers },
        timeout: 60_000,
        ...(options.signal ? { signal: options.signal } : {}),
        // An extra CA is added to the public ones, not put in their place: a mirror may redirect to a public CDN.
        ...(url.protocol === 'https:' && options.ca !== undefined
          ? { ca: [...rootCertificates, options.ca] }
          : {}),
      },
      resolve,
    );
    request.on('timeout', () => request.destroy(new Error('timed out')));
    request.on('error', (error) =>
      reject(
        new PalisadeError('input-unreadable', `download of ${shown(url)} failed: ${error.message}`, {
          cause: error,
        }),
      ),
    );
    request.end();
  });
}

export async function download(
  source: string,
  destination: string,
  options: DownloadOptions,
): Promise<DownloadResult> {
  let url = new URL(source);
  const headers: Record<string, string> = {};
  if (options.etag) headers['if-none-match'] = options.etag;
  if (options.lastModified) headers['if-modified-since'] = options.lastModified;
  for (let redirects = 0; ; redirects++) {
    const response = await get(url, headers, options);
    const status = response.statusCode ?? 0;
    if (status >= 300 && status < 400 && status !== 304 && response.headers.location) {
      response.destroy();
      if (redirects >= MAX_REDIRECTS)
        throw new PalisadeError('input-unreadable', `${shown(source)}: too many redirects`);
      const next = new URL(response.headers.location, url);
      // Never downgrade from TLS to plain HTTP on a redirect.
      if (url.protocol === 'https:' && next.protocol !== 'https:')
        throw new PalisadeError(
          'input-unreadable',
          `${shown(source)}: refused redirect from https to ${next.protocol}`,
        );
      url = next;
      continue;
    }
    // A body not read is not drained either: a server could trickle it forever and keep the process alive.
    if (status === 304) {
      response.destroy();
      // Only an answer to a conditional request: otherwise "unchanged" would keep stale data looking fresh.
      if (headers['if-none-match'] === undefined && headers['if-modified-since'] === undefined)
        throw new PalisadeError(
          'input-unreadable',
          `download of ${shown(url)} failed: HTTP 304 (not modified) to a request that was not conditional`,
        );
      return { status: 'not-modified' };
    }
    if (status !== 200) {
      response.destroy();
      throw new PalisadeError('input-unreadable', `download of ${shown(url)} failed: HTTP ${status}`);
    }
    const declared = Number(response.headers['content-length']);
    if (Number.isFinite(declared) && declared > options.maxBytes) {
      response.destroy();
      throw new PalisadeError(
        'input-unreadable',
        `${shown(url)}: ${declared} bytes exceed the ${options.maxBytes}-byte limit`,
      );
    }
    let bytes = 0;
    // The idle timeout alone lets a server send one byte a minute for ever: every window must bring some speed.
    const minSpeed = options.minSpeed ?? MIN_SPEED;
    let windowStart = Date.now();
    let windowBytes = 0;
    const limiter = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        bytes += chunk.length;
        windowBytes += chunk.length;
        const now = Date.now();
        if (now - windowStart >= minSpeed.windowMs) {
          if (windowBytes < minSpeed.bytes) {
            done(
              new PalisadeError(
                'input-unreadable',
                `download of ${shown(url)} failed: under ${minSpeed.bytes} bytes in ${minSpeed.windowMs / 1000} s`,
              ),
            );
            return;
          }
          windowStart = now;
          windowBytes = 0;
        }
        if (bytes > options.maxBytes)
          done(new PalisadeError('input-unreadable', `${shown(url)}: more than ${options.maxBytes} bytes`));
        else done(null, chunk);
      },
    });
    try {
      await pipeline(
        response,
        limiter,
        createWriteStream(destination),
        ...(options.signal ? [{ signal: options.signal }] : []),
      );
    } catch (error) {
      await rm(destination, { force: true });
      if (error instanceof PalisadeError) throw error;
      throw new PalisadeError(
        'input-unreadable',
        `download of ${shown(url)} failed: ${(error as Error).message}`,
        { cause: error },
      );
    }
    const result: DownloadResult = { status: 'downloaded', bytes };
    const etag = response.headers.etag;
    const lastModified = response.headers['last-modified'];
    if (typeof etag === 'string') result.etag = etag;
    if (typeof lastModified === 'string') result.lastModified = lastModified;
    return result;
  }
}
