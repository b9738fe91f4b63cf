// Registry authentication: the WWW-Authenticate challenge (RFC 7235) answered with Basic credentials or with a
// bearer token from the realm the registry names (the Docker token protocol).
import { PalisadeError } from '../core/errors.ts';
import { readBody, sendRequest, type TlsOptions } from './http-request.ts';

export interface Credentials {
  username: string;
  password: string;
}

export interface Challenge {
  scheme: string;
  params: Record<string, string>;
}

/** Parses `Bearer realm="...",service="...",scope="..."` (quoted strings with escapes, or tokens). */
export function parseChallenge(header: string): Challenge | undefined {
  const match = /^\s*([A-Za-z][\w-]*)\s*(.*)$/s.exec(header);
  if (match === null) return undefined;
  const params: Record<string, string> = {};
  const paramRe = /\s*([\w-]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^\s,]*))\s*,?/gy;
  const rest = match[2]!;
  let param: RegExpExecArray | null;
  paramRe.lastIndex = 0;
  // biome-ignore lint/suspicious/noAssignInExpressions: the usual sticky-regex loop
  while (paramRe.lastIndex < rest.length && (param = paramRe.exec(rest)) !== null) {
    params[param[1]!.toLowerCase()] = param[2] !== undefined ? param[2].replace(/\\(.)/g, '$1') : param[3]!;
    if (param[0] === '') break;
  }
  return { scheme: match[1]!.toLowerCase(), params };
}

export function basicHeader(credentials: Credentials): string {
  return `Basic ${Buffer.from(`${credentials.username}:${credentials.password}`).toString('base64')}`;
}

const MAX_TOKEN_RESPONSE = 1024 * 1024;

/** Asks the token realm for a token covering `scope`; the credentials, when any, go as Basic auth. */
export async function fetchBearerToken(
  challenge: Challenge,
  scope: string,
  credentials: Credentials | undefined,
  tls: TlsOptions,
  signal?: AbortSignal,
): Promise<string> {
  const realm = challenge.params.realm;
  if (realm === undefined) throw new PalisadeError('input-unreadable', 'bearer challenge without a realm');
  let url: URL;
  try {
    url = new URL(realm);
  } catch {
    throw new PalisadeError('input-unreadable', `bearer realm "${realm}" is not a URL`);
  }
  if (url.protocol !== 'https:' && !tls.insecure && !isLoopback(url.hostname))
    throw new PalisadeError(
      'input-unreadable',
      `token realm ${url.origin} is not HTTPS: refusing to send credentials (use --insecure-registry to allow)`,
    );
  if (challenge.params.service !== undefined) url.searchParams.set('service', challenge.params.service);
  const scopes = challenge.params.scope ?? scope;
  for (const part of scopes.split(' ')) if (part !== '') url.searchParams.append('scope', part);
  const headers: Record<string, string> = { accept: 'application/json' };
  if (credentials !== undefined) headers.authorization = basicHeader(credentials);
  const response = await sendRequest(url, headers, tls, signal);
  const body = await readBody(response, MAX_TOKEN_RESPONSE, url.origin);
  if (response.status === 401 || response.status === 403)
    throw new PalisadeError(
      'input-unreadable',
      `${url.origin}: token request refused (${response.status}): check credentials`,
    );
  if (response.status !== 200)
    throw new PalisadeError(
      'input-unreadable',
      `${url.origin}: token request failed with HTTP ${response.status}`,
    );
  let json: unknown;
  try {
    json = JSON.parse(body.toString('utf8'));
  } catch {
    throw new PalisadeError('input-unreadable', `${url.origin}: token response is not JSON`);
  }
  const record = (json ?? {}) as Record<string, unknown>;
  const token = record.token ?? record.access_token;
  if (typeof token !== 'string' || token === '')
    throw new PalisadeError('input-unreadable', `${url.origin}: token response has no token`);
  return token;
}

export function isLoopback(host: string): boolean {
  const bare = host.replace(/^\[|\]$/g, '');
  return bare === 'localhost' || bare === '::1' || /^127\.\d+\.\d+\.\d+$/.test(bare);
}
