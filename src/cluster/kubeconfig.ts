// Reads kubeconfig files (kubectl's format and merge rules) into a connection for one context.
import { closeSync, constants, fstatSync, openSync, readFileSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { createSecureContext } from 'node:tls';
import { load } from 'js-yaml';
import { PalisadeError } from '../core/errors.ts';
import { isRecord } from '../core/kube-object.ts';
import { KUBERNETES_YAML_SCHEMA } from '../inputs/yaml-schema.ts';
import { type ClusterConnection, headerValueProblem } from './connection.ts';

/** One named entry of a kubeconfig list, with the file it came from (relative paths in it are relative to that). */
interface NamedEntry {
  name: string;
  value: Record<string, unknown>;
  file: string;
  where: string;
}

interface MergedKubeconfig {
  files: readonly string[];
  currentContext?: string;
  contexts: Map<string, NamedEntry>;
  clusters: Map<string, NamedEntry>;
  users: Map<string, NamedEntry>;
}

const MAX_KUBECONFIG_BYTES = 16 * 1024 * 1024;
/** Token, certificate and key files: far larger is not a credential, and must not be read whole. */
const MAX_CREDENTIAL_FILE_BYTES = 1024 * 1024;

type ReadProblem = { code: 'input-unreadable' | 'config-invalid'; message: string };

/** Why a file could not be read, in words, without the path (callers name it). */
// A kubeconfig, or a file it names, that is not there is a configuration error (exit 2), as KUBECONFIG naming no
// file is; not an input that could not be scanned.
function readProblem(error: unknown): ReadProblem {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return { code: 'config-invalid', message: 'no such file' };
  if (code === 'EACCES' || code === 'EPERM')
    return { code: 'input-unreadable', message: 'permission denied' };
  if (code === 'EISDIR') return { code: 'config-invalid', message: 'is a directory, not a file' };
  if (code === 'ENOTDIR') return { code: 'config-invalid', message: 'a part of the path is not a directory' };
  return { code: 'input-unreadable', message: (error as Error).message };
}

/**
 * Reads a regular file of at most `limit` bytes. The file is opened without blocking and checked before reading, so
 * a FIFO never hangs the command and a device or a huge file is never read whole.
 */
function readRegularFile(path: string, limit: number): Buffer | ReadProblem {
  let descriptor: number | undefined;
  try {
    descriptor = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
    const stat = fstatSync(descriptor);
    if (stat.isDirectory()) return { code: 'config-invalid', message: 'is a directory, not a file' };
    if (!stat.isFile())
      return { code: 'config-invalid', message: 'is not a regular file (a FIFO, socket or device)' };
    if (stat.size > limit)
      return { code: 'config-invalid', message: `is ${stat.size} bytes, over the limit of ${limit}` };
    return readFileSync(descriptor);
  } catch (error) {
    return readProblem(error);
  } finally {
    if (descriptor !== undefined) closeSync(descriptor);
  }
}

function readText(file: string): string {
  const read = readRegularFile(file, MAX_KUBECONFIG_BYTES);
  if (!Buffer.isBuffer(read))
    throw new PalisadeError(read.code, `cannot read kubeconfig ${file}: ${read.message}`);
  return read.toString('utf8');
}

function parseDocument(file: string): Record<string, unknown> {
  // Read outside the try below: a missing or unreadable file is not a YAML problem.
  const text = readText(file);
  let document: unknown;
  try {
    document = load(text, { filename: file, schema: KUBERNETES_YAML_SCHEMA });
  } catch (error) {
    // js-yaml's message quotes the offending text, which may hold a credential: only its reason and position.
    const { mark, reason } = error as { mark?: { line: number; column: number }; reason?: string };
    const where = mark ? ` at line ${mark.line + 1}, column ${mark.column + 1}` : '';
    const why = typeof reason === 'string' && reason !== '' ? ` (${reason})` : '';
    throw new PalisadeError('config-invalid', `kubeconfig ${file}: not valid YAML${where}${why}`, {
      cause: error,
    });
  }
  if (document === undefined || document === null) return {};
  if (!isRecord(document)) throw new PalisadeError('config-invalid', `kubeconfig ${file}: not a mapping`);
  return document;
}

function collect(
  target: Map<string, NamedEntry>,
  document: Record<string, unknown>,
  listName: string,
  itemField: string,
  file: string,
): void {
  const list = document[listName];
  if (list === undefined || list === null) return;
  if (!Array.isArray(list))
    throw new PalisadeError('config-invalid', `kubeconfig ${file}: ${listName} must be a list`);
  list.forEach((item: unknown, index) => {
    const where = `${listName}[${index}]`;
    if (!isRecord(item) || typeof item.name !== 'string' || item.name === '')
      throw new PalisadeError('config-invalid', `kubeconfig ${file}: ${where} needs a name`);
    const value = item[itemField] ?? {};
    if (!isRecord(value))
      throw new PalisadeError(
        'config-invalid',
        `kubeconfig ${file}: ${where}.${itemField} must be a mapping`,
      );
    // kubectl's merge rule: the first file to define a name wins.
    if (!target.has(item.name)) target.set(item.name, { name: item.name, value, file, where });
  });
}

/** Reads and merges kubeconfig files in order, as kubectl does with KUBECONFIG=a:b:c. */
export function readKubeconfigs(files: readonly string[]): MergedKubeconfig {
  const merged: MergedKubeconfig = {
    files,
    contexts: new Map(),
    clusters: new Map(),
    users: new Map(),
  };
  for (const file of files) {
    const document = parseDocument(file);
    const current = document['current-context'];
    if (merged.currentContext === undefined && typeof current === 'string' && current !== '')
      merged.currentContext = current;
    collect(merged.contexts, document, 'contexts', 'context', file);
    collect(merged.clusters, document, 'clusters', 'cluster', file);
    collect(merged.users, document, 'users', 'user', file);
  }
  return merged;
}

function stringField(entry: NamedEntry, field: string): string | undefined {
  const value = entry.value[field];
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string')
    throw new PalisadeError(
      'config-invalid',
      `kubeconfig ${entry.file}: ${entry.where} (${entry.name}): ${field} must be a string`,
    );
  return value;
}

function decodeData(entry: NamedEntry, field: string): Buffer | undefined {
  const text = stringField(entry, field);
  if (text === undefined) return undefined;
  const compact = text.replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(compact) || compact.length % 4 !== 0)
    throw new PalisadeError(
      'config-invalid',
      `kubeconfig ${entry.file}: ${entry.where} (${entry.name}): ${field} is not valid base64`,
    );
  return Buffer.from(compact, 'base64');
}

function readReferenced(entry: NamedEntry, field: string): Buffer | undefined {
  const path = stringField(entry, field);
  if (path === undefined) return undefined;
  const full = isAbsolute(path) ? path : resolve(dirname(entry.file), path);
  const read = readRegularFile(full, MAX_CREDENTIAL_FILE_BYTES);
  if (!Buffer.isBuffer(read))
    throw new PalisadeError(
      read.code === 'config-invalid' ? 'config-invalid' : 'input-unreadable',
      `kubeconfig ${entry.file}: ${entry.where} (${entry.name}): cannot read ${field} ${full}: ${read.message}`,
    );
  return read;
}

/** `x-data` wins over the file `x`, as in kubectl. */
function dataOrFile(entry: NamedEntry, dataField: string, fileField: string): Buffer | undefined {
  return decodeData(entry, dataField) ?? readReferenced(entry, fileField);
}

function unsupported(entry: NamedEntry, what: string, hint: string): PalisadeError {
  return new PalisadeError(
    'unsupported',
    `kubeconfig ${entry.file}: ${entry.where} (${entry.name}): ${what} is not supported yet; ${hint}`,
  );
}

function entryError(entry: NamedEntry, message: string): PalisadeError {
  return new PalisadeError(
    'config-invalid',
    `kubeconfig ${entry.file}: ${entry.where} (${entry.name}): ${message}`,
  );
}

/** A value sent in an HTTP header must be one a header can carry; it is named, never shown. */
function checkHeaderValue(entry: NamedEntry, what: string, value: string): void {
  const problem = headerValueProblem(value);
  if (problem !== undefined) throw entryError(entry, `${what} ${problem} (the value is not shown)`);
}

/** The certificate and key must be PEM that belong together: checked here, not on the first request. */
function checkClientCertificate(user: NamedEntry, cert: Buffer, key: Buffer): void {
  try {
    createSecureContext({ cert, key });
  } catch (error) {
    // OpenSSL's reason (`PEM routines::no start line`, `key values mismatch`) never quotes the key.
    throw entryError(
      user,
      `the client certificate and key are not a usable PEM certificate and matching private key (${(error as Error).message})`,
    );
  }
}

function applyUser(connection: ClusterConnection, user: NamedEntry): void {
  if (user.value.exec !== undefined)
    throw unsupported(
      user,
      'exec credential plugins',
      'get a token (for example with the plugin itself) and use a kubeconfig with `token` or `tokenFile`',
    );
  if (user.value['auth-provider'] !== undefined)
    throw unsupported(user, 'auth-provider plugins', 'use a kubeconfig with `token` or a client certificate');
  if (user.value.username !== undefined || user.value.password !== undefined)
    throw unsupported(
      user,
      'basic authentication (username/password)',
      'Kubernetes removed it in 1.19; use a token',
    );
  const token = stringField(user, 'token');
  const tokenFile = token === undefined ? readReferenced(user, 'tokenFile') : undefined;
  const bearer = token ?? tokenFile?.toString('utf8').trim();
  if (bearer !== undefined && bearer !== '') {
    checkHeaderValue(user, token === undefined ? `the token in tokenFile` : 'token', bearer);
    connection.token = bearer;
  }
  const cert = dataOrFile(user, 'client-certificate-data', 'client-certificate');
  const key = dataOrFile(user, 'client-key-data', 'client-key');
  if ((cert === undefined) !== (key === undefined))
    throw entryError(user, 'a client certificate needs both the certificate and the key');
  if (cert && key) {
    checkClientCertificate(user, cert, key);
    connection.cert = cert;
    connection.key = key;
  }
  const as = stringField(user, 'as');
  const groups = user.value['as-groups'];
  if (groups !== undefined && groups !== null) {
    if (!Array.isArray(groups) || !groups.every((group) => typeof group === 'string' && group !== ''))
      throw entryError(user, 'as-groups must be a list of group names');
    if (as === undefined) throw entryError(user, 'as-groups needs as (the user to impersonate)');
  }
  if (as !== undefined) {
    checkHeaderValue(user, 'as', as);
    const asGroups = (groups ?? []) as string[];
    for (const [index, group] of asGroups.entries()) checkHeaderValue(user, `as-groups[${index}]`, group);
    connection.impersonate = { user: as, groups: asGroups };
  }
}

/** URL user information is percent-encoded; a malformed escape is kept as written rather than thrown on. */
function percentDecoded(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

function applyCluster(connection: ClusterConnection, cluster: NamedEntry): void {
  const server = stringField(cluster, 'server');
  if (server === undefined)
    throw new PalisadeError(
      'config-invalid',
      `kubeconfig ${cluster.file}: ${cluster.where} (${cluster.name}) has no server`,
    );
  let url: URL;
  try {
    url = new URL(server);
  } catch {
    throw entryError(cluster, 'server is not a URL');
  }
  if (url.protocol !== 'https:')
    throw new PalisadeError(
      'config-invalid',
      `kubeconfig ${cluster.file}: ${cluster.where} (${cluster.name}): server must be https (got ${url.protocol}); credentials are never sent in clear`,
    );
  if (cluster.value['proxy-url'] !== undefined)
    throw unsupported(cluster, 'proxy-url', 'reach the API server directly or through a tunnel');
  // A user name and password in the URL are kept apart from it, so that the server, which is printed and stored in
  // snapshots, never carries them.
  let shown = server;
  if (url.username !== '' || url.password !== '') {
    connection.basicAuth = { username: percentDecoded(url.username), password: percentDecoded(url.password) };
    url.username = '';
    url.password = '';
    shown = url.href;
  }
  connection.server = shown.replace(/\/+$/, '');
  const insecure = cluster.value['insecure-skip-tls-verify'];
  connection.insecureSkipTlsVerify = insecure === true;
  const ca = dataOrFile(cluster, 'certificate-authority-data', 'certificate-authority');
  if (ca && connection.insecureSkipTlsVerify)
    throw new PalisadeError(
      'config-invalid',
      `kubeconfig ${cluster.file}: ${cluster.where} (${cluster.name}): a certificate authority together with insecure-skip-tls-verify is contradictory (kubectl refuses it too)`,
    );
  if (ca) connection.ca = ca;
  const serverName = stringField(cluster, 'tls-server-name');
  if (serverName !== undefined) connection.tlsServerName = serverName;
}

/** The connection for `contextName`, or the current context when it is not given. */
export function connectionFromKubeconfig(
  merged: MergedKubeconfig,
  contextName: string | undefined,
): ClusterConnection {
  const files = merged.files.join(', ');
  const name = contextName ?? merged.currentContext;
  if (name === undefined)
    throw new PalisadeError(
      'config-invalid',
      `kubeconfig ${files}: no current-context; choose one with --context`,
    );
  const context = merged.contexts.get(name);
  if (!context) {
    const known = [...merged.contexts.keys()];
    throw new PalisadeError(
      'config-invalid',
      `kubeconfig ${files}: no context "${name}"${known.length > 0 ? ` (known: ${known.join(', ')})` : ''}`,
    );
  }
  const clusterName = stringField(context, 'cluster');
  const cluster = clusterName === undefined ? undefined : merged.clusters.get(clusterName);
  if (!cluster)
    throw new PalisadeError(
      'config-invalid',
      `kubeconfig ${context.file}: ${context.where} (${name}): cluster "${clusterName ?? ''}" is not defined`,
    );
  const connection: ClusterConnection = { context: name, server: '', insecureSkipTlsVerify: false };
  applyCluster(connection, cluster);
  const userName = stringField(context, 'user');
  if (userName !== undefined) {
    const user = merged.users.get(userName);
    if (!user)
      throw new PalisadeError(
        'config-invalid',
        `kubeconfig ${context.file}: ${context.where} (${name}): user "${userName}" is not defined`,
      );
    applyUser(connection, user);
  }
  const namespace = stringField(context, 'namespace');
  if (namespace !== undefined) connection.namespace = namespace;
  return connection;
}
