// Registry authentication: the WWW-Authenticate challenge (RFC 7235) answered with Basic credentials or with a
// bearer token from the realm the registry names (the Docker token protocol).
import { PalisadeError } from '../core/errors.ts';
import { isLoopback } from '../core/loopback.ts';
import { type RequestLimits, readBody, sendRequest, type TlsOptions } from './http-request.ts';

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

export interface TokenRequestOptions {
  /** The registry's base URL: an http:// realm is allowed only when both are loopback. */
  registry: URL;
  /** TLS settings for a URL (unverified only for the --insecure-registry host). */
  tlsFor: (url: URL) => TlsOptions;
  signal?: AbortSignal;
  limits?: RequestLimits;
}

/**
 * Checks the realm a registry names before anything goes there: HTTPS, or plain HTTP only from a loopback
 * registry to a loopback realm; never link-local addresses or cloud metadata endpoints.
 */
export function checkRealm(url: URL, registry: URL): void {
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    throw new PalisadeError('input-unreadable', `token realm ${url.href} is not an https:// URL`);
  if (isLinkLocalOrMetadata(url.hostname))
    throw new PalisadeError(
      'input-unreadable',
      `token realm ${url.origin} is a link-local or cloud metadata address: refusing to contact it`,
    );
  if (url.protocol === 'http:' && !(isLoopback(url.hostname) && isLoopback(registry.hostname)))
    throw new PalisadeError(
      'input-unreadable',
      `token realm ${url.origin} is not HTTPS: refusing to send a token request (and credentials) in clear text`,
    );
}

/** Asks the token realm for a token covering `scope`; the credentials, when any, go as Basic auth. */
export async function fetchBearerToken(
  challenge: Challenge,
  scope: string,
  credentials: Credentials | undefined,
  options: TokenRequestOptions,
): Promise<string> {
  const realm = challenge.params.realm;
  if (realm === undefined) throw new PalisadeError('input-unreadable', 'bearer challenge without a realm');
  let url: URL;
  try {
    url = new URL(realm);
  } catch {
    throw new PalisadeError('input-unreadable', `bearer realm "${realm}" is not a URL`);
  }
  checkRealm(url, options.registry);
  if (challenge.params.service !== undefined) url.searchParams.set('service', challenge.params.service);
  const scopes = challenge.params.scope ?? scope;
  for (const part of scopes.split(' ')) if (part !== '') url.searchParams.append('scope', part);
  const headers: Record<string, string> = { accept: 'application/json' };
  if (credentials !== undefined) headers.authorization = basicHeader(credentials);
  const response = await sendRequest(
    url,
    headers,
    options.tlsFor(url),
    options.signal,
    'GET',
    options.limits,
  );
  const body = await readBody(response, MAX_TOKEN_RESPONSE, options.limits?.what ?? url.origin);
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

/** 169.254.0.0/16, fe80::/10 (also IPv4-mapped), and the cloud metadata names and addresses. */
export function isLinkLocalOrMetadata(host: string): boolean {
  const bare = host
    .replace(/^\[|\]$/g, '')
    .toLowerCase()
    .replace(/\.$/, '');
  if (bare === 'metadata.google.internal' || bare === 'metadata' || bare === 'fd00:ec2::254') return true;
  if (/^169\.254\.\d+\.\d+$/.test(bare)) return true;
  if (/^fe[89ab][0-9a-f]:/.test(bare)) return true;
  // IPv4-mapped IPv6, as the URL parser writes it: ::ffff:a9fe:xxxx is 169.254.x.x.
  return /^::ffff:a9fe:[0-9a-f]{1,4}$/.test(bare);
}
