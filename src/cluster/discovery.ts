// API discovery: which resources the server serves, under which group, version and name, and what may be done to them.
import { PalisadeError } from '../core/errors.ts';
import { isRecord } from '../core/kube-object.ts';
import { type ApiResponse, describeFailure, type KubeApiClient } from './api-client.ts';
import { boundedMap } from './bounded-map.ts';
import { builtinGroupOf, groupOfGroupVersion } from './builtin-kinds.ts';

export interface ApiResource {
  /** '' for the core group. */
  group: string;
  version: string;
  /** `v1` or `apps/v1`: the apiVersion of the objects. */
  groupVersion: string;
  /** Plural resource name used in URLs. */
  resource: string;
  kind: string;
  namespaced: boolean;
  verbs: readonly string[];
}

export interface DiscoveryResult {
  /** `gitVersion` of `/version`, when readable. */
  serverVersion?: string;
  /** In the server's priority order: core first, then groups as `/apis` lists them. */
  resources: ApiResource[];
  /** Group-versions whose discovery failed (an aggregated API without endpoints answers 503). */
  failures: { groupVersion: string; reason: string }[];
}

/** Throws for answers that mean the whole cluster cannot be read (bad credentials, no access to discovery). */
function requireOk(response: ApiResponse, what: string, server: string): Record<string, unknown> {
  if (response.status === 401)
    throw new PalisadeError(
      'input-unreadable',
      `${server}: the credentials were refused (401 Unauthorized) on ${what}; the token may be expired or revoked`,
    );
  if (response.status !== 200 || !isRecord(response.body))
    throw new PalisadeError(
      'input-unreadable',
      `${server}: cannot read ${what}: ${describeFailure(response)}`,
    );
  return response.body;
}

function resourcesOf(body: Record<string, unknown>, group: string, version: string): ApiResource[] {
  const list = body.resources;
  if (!Array.isArray(list)) return [];
  const groupVersion = group === '' ? version : `${group}/${version}`;
  const resources: ApiResource[] = [];
  for (const item of list) {
    if (!isRecord(item) || typeof item.name !== 'string' || typeof item.kind !== 'string') continue;
    // Subresources (pods/log, nodes/proxy) are not listable collections.
    if (item.name.includes('/')) continue;
    resources.push({
      group,
      version,
      groupVersion,
      resource: item.name,
      kind: item.kind,
      namespaced: item.namespaced === true,
      verbs: Array.isArray(item.verbs) ? item.verbs.filter((verb) => typeof verb === 'string') : [],
    });
  }
  return resources;
}

export async function discover(
  client: KubeApiClient,
  concurrency: number,
  signal?: AbortSignal,
): Promise<DiscoveryResult> {
  const server = client.connection.server;
  const result: DiscoveryResult = { resources: [], failures: [] };
  const version = await client.get('/version', {}, signal);
  if (version.status === 401) requireOk(version, '/version', server);
  if (version.status === 200 && isRecord(version.body) && typeof version.body.gitVersion === 'string')
    result.serverVersion = version.body.gitVersion;

  const groups = requireOk(await client.get('/apis', {}, signal), '/apis', server);
  const core = requireOk(await client.get('/api', {}, signal), '/api', server);
  const coreVersions = Array.isArray(core.versions)
    ? core.versions.filter((v): v is string => typeof v === 'string')
    : [];
  const targets: { group: string; version: string }[] = coreVersions.map((v) => ({ group: '', version: v }));
  for (const group of Array.isArray(groups.groups) ? groups.groups : []) {
    if (!isRecord(group) || typeof group.name !== 'string') continue;
    const preferred = isRecord(group.preferredVersion) ? group.preferredVersion.version : undefined;
    if (typeof preferred === 'string') targets.push({ group: group.name, version: preferred });
  }
  const answers = await boundedMap(targets, concurrency, async ({ group, version: v }) => {
    const path = group === '' ? `/api/${v}` : `/apis/${group}/${v}`;
    return { group, version: v, path, response: await client.get(path, {}, signal) };
  });
  for (const { group, version: v, path, response } of answers) {
    if (response.status === 401) requireOk(response, path, server);
    if (response.status !== 200 || !isRecord(response.body)) {
      result.failures.push({
        groupVersion: group === '' ? v : `${group}/${v}`,
        reason: describeFailure(response),
      });
      continue;
    }
    result.resources.push(...resourcesOf(response.body, group, v));
  }
  return result;
}

/** Groups that ship with Kubernetes: preferred over a custom resource of the same kind name. */
function isBuiltinGroup(group: string): boolean {
  return group === '' || !group.includes('.') || group.endsWith('.k8s.io');
}

/**
 * The listable resource serving `kind`. A built-in kind is read from its own group only; any other kind from a
 * built-in group first, then in the server's own order.
 */
export function resourceForKind(discovery: DiscoveryResult, kind: string): ApiResource | undefined {
  const builtin = builtinGroupOf(kind);
  let fallback: ApiResource | undefined;
  for (const resource of discovery.resources) {
    if (resource.kind !== kind || !resource.verbs.includes('list')) continue;
    if (builtin !== undefined) {
      if (resource.group === builtin) return resource;
      continue;
    }
    if (isBuiltinGroup(resource.group)) return resource;
    fallback ??= resource;
  }
  return fallback;
}

/** The failed discovery that kept a built-in kind out of the result, if that is why it is missing. */
export function discoveryFailureOf(
  discovery: DiscoveryResult,
  kind: string,
): DiscoveryResult['failures'][number] | undefined {
  const builtin = builtinGroupOf(kind);
  if (builtin === undefined) return undefined;
  return discovery.failures.find((failure) => groupOfGroupVersion(failure.groupVersion) === builtin);
}
