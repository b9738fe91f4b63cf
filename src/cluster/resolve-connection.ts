// Chooses where the cluster credentials come from, in kubectl's order, with in-cluster config as the fallback.
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, join, resolve } from 'node:path';
import { PalisadeError } from '../core/errors.ts';
import { type ClusterConnection, headerValueProblem } from './connection.ts';
import { connectionFromKubeconfig, readKubeconfigs } from './kubeconfig.ts';

export interface ConnectionRequest {
  kubeconfig?: string;
  context?: string;
  cwd: string;
  env: Record<string, string | undefined>;
  /** Where the pod's service-account files are mounted; injected by tests. */
  serviceAccountDir?: string;
}

export const SERVICE_ACCOUNT_DIR = '/var/run/secrets/kubernetes.io/serviceaccount';

/** The pod's own identity: token and CA mounted by Kubernetes, address from the service environment variables. */
export function inClusterConnection(
  env: Record<string, string | undefined>,
  directory = SERVICE_ACCOUNT_DIR,
): ClusterConnection | undefined {
  const host = env.KUBERNETES_SERVICE_HOST;
  const port = env.KUBERNETES_SERVICE_PORT;
  if (!host || !port) return undefined;
  const tokenFile = join(directory, 'token');
  if (!existsSync(tokenFile)) return undefined;
  const read = (file: string): Buffer => {
    try {
      return readFileSync(join(directory, file));
    } catch (error) {
      throw new PalisadeError(
        'input-unreadable',
        `in-cluster config: cannot read ${join(directory, file)}: ${(error as Error).message}`,
        { cause: error },
      );
    }
  };
  // An IPv6 service address needs brackets in a URL.
  const hostPart = host.includes(':') ? `[${host}]` : host;
  const token = read('token').toString('utf8').trim();
  const problem = headerValueProblem(token);
  if (problem !== undefined)
    throw new PalisadeError(
      'config-invalid',
      `in-cluster config: the token in ${tokenFile} ${problem} (the value is not shown)`,
    );
  const connection: ClusterConnection = {
    context: 'in-cluster',
    server: `https://${hostPart}:${port}`,
    token,
    ca: read('ca.crt'),
    insecureSkipTlsVerify: false,
  };
  if (existsSync(join(directory, 'namespace')))
    connection.namespace = read('namespace').toString('utf8').trim();
  return connection;
}

/**
 * `--kubeconfig`, else `KUBECONFIG` (a list; files that do not exist are skipped, as kubectl does), else `~/.kube/config` when it exists, else the in-cluster config.
 * `--context` needs a kubeconfig.
 */
export function resolveConnection(request: ConnectionRequest): ClusterConnection {
  let files: string[] = [];
  if (request.kubeconfig !== undefined) files = [resolve(request.cwd, request.kubeconfig)];
  else if (request.env.KUBECONFIG) {
    const listed = request.env.KUBECONFIG.split(delimiter)
      .filter((part) => part !== '')
      .map((part) => resolve(request.cwd, part));
    // As kubectl: a file of the list that does not exist is skipped (a file that cannot be read is still an error).
    files = listed.filter((file) => existsSync(file));
    if (files.length === 0 && listed.length > 0)
      throw new PalisadeError(
        'config-invalid',
        `KUBECONFIG names no file that exists (${listed.join(', ')})`,
      );
  } else {
    const home = request.env.HOME ?? homedir();
    const fallback = join(home, '.kube', 'config');
    if (existsSync(fallback)) files = [fallback];
  }
  if (files.length > 0) return connectionFromKubeconfig(readKubeconfigs(files), request.context);
  if (request.context !== undefined)
    throw new PalisadeError('config-invalid', `--context ${request.context}: no kubeconfig found`);
  const inCluster = inClusterConnection(request.env, request.serviceAccountDir);
  if (inCluster) return inCluster;
  throw new PalisadeError(
    'config-invalid',
    'no cluster credentials: give --kubeconfig, set KUBECONFIG, create ~/.kube/config, or run in a pod with a service account',
  );
}
