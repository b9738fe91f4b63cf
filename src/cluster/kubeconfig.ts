// Reads kubeconfig files (kubectl's format and merge rules) into a connection for one context.
import { readFileSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { load } from 'js-yaml';
import { PalisadeError } from '../core/errors.ts';
import { isRecord } from '../core/kube-object.ts';
import type { ClusterConnection } from './connection.ts';

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

function readText(file: string): string {
  let text: Buffer;
  try {
    text = readFileSync(file);
  } catch (error) {
    throw new PalisadeError(
      'input-not-found',
      `cannot read kubeconfig ${file}: ${(error as Error).message}`,
      {
        cause: error,
      },
    );
  }
  if (text.length > MAX_KUBECONFIG_BYTES)
    throw new PalisadeError(
      'config-invalid',
      `kubeconfig ${file}: larger than ${MAX_KUBECONFIG_BYTES} bytes`,
    );
  return text.toString('utf8');
}

function parseDocument(file: string): Record<string, unknown> {
  let document: unknown;
  try {
    document = load(readText(file), { filename: file });
  } catch (error) {
    // js-yaml messages carry line and column; they quote the offending text, which may hold a credential.
    const mark = (error as { mark?: { line: number; column: number } }).mark;
    const where = mark ? ` at line ${mark.line + 1}, column ${mark.column + 1}` : '';
    throw new PalisadeError('config-invalid', `kubeconfig ${file}: not valid YAML${where}`, { cause: error });
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
  try {
    return readFileSync(full);
  } catch (error) {
    throw new PalisadeError(
      'input-unreadable',
      `kubeconfig ${entry.file}: ${entry.where} (${entry.name}): cannot read ${field} ${full}: ${(error as Error).message}`,
      { cause: error },
    );
  }
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
  if (bearer !== undefined && bearer !== '') connection.token = bearer;
  const cert = dataOrFile(user, 'client-certificate-data', 'client-certificate');
  const key = dataOrFile(user, 'client-key-data', 'client-key');
  if ((cert === undefined) !== (key === undefined))
    throw new PalisadeError(
      'config-invalid',
      `kubeconfig ${user.file}: ${user.where} (${user.name}): a client certificate needs both the certificate and the key`,
    );
  if (cert && key) {
    connection.cert = cert;
    connection.key = key;
  }
  const as = stringField(user, 'as');
  if (as !== undefined) {
    const groups = user.value['as-groups'];
    connection.impersonate = {
      user: as,
      groups: Array.isArray(groups)
        ? groups.filter((group): group is string => typeof group === 'string')
        : [],
    };
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
    throw new PalisadeError(
      'config-invalid',
      `kubeconfig ${cluster.file}: ${cluster.where} (${cluster.name}): server is not a URL`,
    );
  }
  if (url.protocol !== 'https:')
    throw new PalisadeError(
      'config-invalid',
      `kubeconfig ${cluster.file}: ${cluster.where} (${cluster.name}): server must be https (got ${url.protocol}); credentials are never sent in clear`,
    );
  if (cluster.value['proxy-url'] !== undefined)
    throw unsupported(cluster, 'proxy-url', 'reach the API server directly or through a tunnel');
  connection.server = server.replace(/\/+$/, '');
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
