// The security-relevant summary of a pod spec, computed the same way from a request, a response, a list
// response or a snapshot: privileged containers (of every kind), host paths, host namespaces, capabilities.
import { isRecord } from '../../core/kube-object.ts';

export interface PodProfile {
  privileged: boolean;
  hostPaths: string[];
  /** hostNetwork, hostPID, hostIPC when set. */
  hostNamespaces: string[];
  addedCapabilities: string[];
  /** Containers whose effective runAsUser is explicitly 0. */
  runsAsRoot: boolean;
  /** Where the profile was learned. */
  source: 'stream' | 'snapshot';
}

const CONTAINER_KINDS = ['containers', 'initContainers', 'ephemeralContainers'] as const;

function containersOfSpec(spec: Record<string, unknown>): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  for (const kind of CONTAINER_KINDS) {
    const list = spec[kind];
    if (Array.isArray(list)) for (const item of list) if (isRecord(item)) out.push(item);
  }
  return out;
}

export function profileOfSpec(spec: unknown, source: PodProfile['source']): PodProfile | undefined {
  if (!isRecord(spec)) return undefined;
  const containers = containersOfSpec(spec);
  const podContext = isRecord(spec.securityContext) ? spec.securityContext : {};
  const profile: PodProfile = {
    privileged: false,
    hostPaths: [],
    hostNamespaces: [],
    addedCapabilities: [],
    runsAsRoot: false,
    source,
  };
  for (const container of containers) {
    const context = isRecord(container.securityContext) ? container.securityContext : {};
    if (context.privileged === true) profile.privileged = true;
    const capabilities = isRecord(context.capabilities) ? context.capabilities.add : undefined;
    if (Array.isArray(capabilities))
      for (const cap of capabilities) if (typeof cap === 'string') profile.addedCapabilities.push(cap);
    const uid = context.runAsUser ?? podContext.runAsUser;
    if (uid === 0) profile.runsAsRoot = true;
  }
  if (Array.isArray(spec.volumes)) {
    for (const volume of spec.volumes) {
      if (isRecord(volume) && isRecord(volume.hostPath) && typeof volume.hostPath.path === 'string')
        profile.hostPaths.push(normaliseHostPath(volume.hostPath.path));
    }
  }
  for (const [key, label] of [
    ['hostNetwork', 'hostNetwork'],
    ['hostPID', 'hostPID'],
    ['hostIPC', 'hostIPC'],
  ] as const) {
    if (spec[key] === true) profile.hostNamespaces.push(label);
  }
  return profile;
}

/** Merges what a later partial spec (an ephemeral-containers patch) adds to a known profile. */
export function mergeProfiles(base: PodProfile | undefined, added: PodProfile): PodProfile {
  if (base === undefined) return added;
  return {
    privileged: base.privileged || added.privileged,
    hostPaths: [...new Set([...base.hostPaths, ...added.hostPaths])],
    hostNamespaces: [...new Set([...base.hostNamespaces, ...added.hostNamespaces])],
    addedCapabilities: [...new Set([...base.addedCapabilities, ...added.addedCapabilities])],
    runsAsRoot: base.runsAsRoot || added.runsAsRoot,
    source: added.source,
  };
}

export function isRiskyPod(profile: PodProfile): boolean {
  return profile.privileged || profile.hostPaths.length > 0;
}

/**
 * A host path as the kubelet resolves it: `//`, `/./` and trailing slashes or `/.` name the same directory
 * (`/etc/`, `/etc/.` and `//etc` are `/etc`), so rules comparing paths are not dodged by spelling. The API
 * server refuses `..`, so no segment climbs.
 */
export function normaliseHostPath(path: string): string {
  const absolute = path.startsWith('/');
  const segments = path.split('/').filter((segment) => segment !== '' && segment !== '.');
  const joined = segments.join('/');
  return absolute ? `/${joined}` : joined === '' ? '.' : joined;
}
