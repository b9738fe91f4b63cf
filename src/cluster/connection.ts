// How to reach one API server and who to be there: the result of reading a kubeconfig or the in-cluster files.

export interface ClusterConnection {
  /** Name shown in finding locations and the snapshot: the kubeconfig context, or `in-cluster`. */
  context: string;
  /** Base URL of the API server, without a trailing slash. */
  server: string;
  /** PEM CA bundle the server certificate must chain to; absent means the system roots. */
  ca?: Buffer;
  /** PEM client certificate and key, for client-certificate authentication. */
  cert?: Buffer;
  key?: Buffer;
  /** Bearer token. Never printed. */
  token?: string;
  /** Only when the kubeconfig says so explicitly; verification is on otherwise. */
  insecureSkipTlsVerify: boolean;
  /** Name the server certificate is checked against, when it differs from the URL's host. */
  tlsServerName?: string;
  /** Namespace of the kubeconfig context (used when --namespace is not given and the identity is namespaced). */
  namespace?: string;
  impersonate?: { user: string; groups: readonly string[] };
}

/** A connection with its secrets replaced, safe to print or store. */
export function describeConnection(connection: ClusterConnection): string {
  const auth = connection.token
    ? 'bearer token'
    : connection.cert
      ? 'client certificate'
      : 'no credentials (anonymous)';
  const tls = connection.insecureSkipTlsVerify
    ? 'TLS NOT VERIFIED (insecure-skip-tls-verify)'
    : 'TLS verified';
  return `${connection.server} (context ${connection.context}, ${auth}, ${tls})`;
}
