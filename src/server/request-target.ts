// The path and query of an HTTP request target, for the servers' handlers.

/** A path of one segment of letters, which WHATWG URL parsing leaves as it is. */
const PLAIN_PATH = /^\/[a-z]*$/;

/**
 * The API server sends the origin form (`/validate?timeout=10s`), split here directly: parsing every request with
 * WHATWG URL showed in the webhook's profile. Any other target (dot segments, escapes, the absolute form, a
 * fragment) goes through URL, so both ways give the same answer. Undefined for a target URL cannot read (`//[`):
 * the caller answers 400, where an exception out of a request handler would stop the server.
 */
export function requestTarget(raw: string): { path: string; query: URLSearchParams } | undefined {
  const mark = raw.indexOf('?');
  const path = mark === -1 ? raw : raw.slice(0, mark);
  if (PLAIN_PATH.test(path) && !raw.includes('#'))
    return { path, query: new URLSearchParams(mark === -1 ? '' : raw.slice(mark + 1)) };
  try {
    const url = new URL(raw, 'https://server.invalid');
    return { path: url.pathname, query: url.searchParams };
  } catch {
    return undefined;
  }
}
