// How to reach one API server and who to be there: the result of reading a kubeconfig or the in-cluster files.

export interface ClusterConnection {
  /** Name shown in finding locations and the snapshot: the kubeconfig context, or `in-cluster`. */
  context: string;
  /** Base URL of the API server, without a trailing slash and without user information: safe to show and store. */
  server: string;
  /** PEM CA bundle the server certificate must chain to; absent means the system roots. */
  ca?: Buffer;
  /** PEM client certificate and key, for client-certificate authentication. */
  cert?: Buffer;
  key?: Buffer;
  /** Bearer token. Never printed. */
  token?: string;
  /**
   * User name and password that were written in the server URL (`https://user:pass@host`). Sent as HTTP basic
   * authentication when there is no token, as kubectl does; never printed, never stored.
   */
  basicAuth?: { username: string; password: string };
  /** Only when the kubeconfig says so explicitly; verification is on otherwise. */
  insecureSkipTlsVerify: boolean;
  /** Name the server certificate is checked against, when it differs from the URL's host. */
  tlsServerName?: string;
  /** Namespace of the kubeconfig context (used when --namespace is not given and the identity is namespaced). */
  namespace?: string;
  impersonate?: { user: string; groups: readonly string[] };
}

/** `scheme://user:pass@` at the start of a URL: the authority ends at the first `/`, `?` or `#`. */
const USERINFO = /^(\s*[A-Za-z][A-Za-z0-9+.-]*:\/\/)[^/?#]*@/;

/** The URL with its user information replaced by `***`, for showing or storing a URL that may carry a password. */
export function maskUserinfo(url: string): string {
  const masked = url.replace(USERINFO, '$1***@');
  if (masked !== url) return masked;
  // Forms the pattern does not see (`https:user:pass@host`) are still URLs with user information to WHATWG.
  try {
    const parsed = new URL(url);
    if (parsed.username === '' && parsed.password === '') return url;
    parsed.username = '***';
    parsed.password = '';
    return parsed.href;
  } catch {
    return url;
  }
}

/** A connection with its secrets replaced, safe to print or store. */
export function describeConnection(connection: ClusterConnection): string {
  const auth = connection.token
    ? 'bearer token'
    : connection.cert
      ? 'client certificate'
      : connection.basicAuth
        ? 'basic authentication (from the server URL)'
        : 'no credentials (anonymous)';
  const tls = connection.insecureSkipTlsVerify
    ? 'TLS NOT VERIFIED (insecure-skip-tls-verify)'
    : 'TLS verified';
  return `${maskUserinfo(connection.server)} (context ${connection.context}, ${auth}, ${tls})`;
}

/** What the user must know about a connection before trusting what is read through it. */
export function connectionWarnings(connection: ClusterConnection): string[] {
  if (!connection.insecureSkipTlsVerify) return [];
  return [tlsNotVerifiedWarning(connection.context, connection.server)];
}

export function tlsNotVerifiedWarning(context: string, server: string): string {
  return `TLS verification is OFF for ${maskUserinfo(server)} (context ${context}: insecure-skip-tls-verify in the kubeconfig): the server's identity was not checked, so credentials may have gone to, and objects come from, anyone on the network path`;
}

/**
 * Why `value` cannot be sent in an HTTP header, or undefined when it can. Printable ASCII only: a line break would
 * end the header (Node refuses it), and credentials are ASCII. The value itself is never part of the answer.
 */
export function headerValueProblem(value: string): string | undefined {
  for (let index = 0; index < value.length; index++) {
    const code = value.charCodeAt(index);
    if (code >= 0x20 && code <= 0x7e) continue;
    const what =
      code === 0x0a || code === 0x0d
        ? 'a line break'
        : code < 0x20 || code === 0x7f
          ? 'a control character'
          : 'a non-ASCII character';
    return `contains ${what} at character ${index + 1}, which an HTTP header cannot carry`;
  }
  return undefined;
}
