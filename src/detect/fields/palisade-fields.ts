// Palisade's own fields: pod facts over every container kind, and facts from the detection state
// (the target pod's spec, bursts, recent powerful bindings, ServiceAccount power, unexpected sources).
import { isRecord } from '../../core/kube-object.ts';
import type { FieldValue } from '../field-value.ts';
import { type PodProfile, profileOfSpec } from '../state/pod-profile.ts';
import { enforceLabelChange } from './enforce-label-change.ts';
import type { EventContext, FieldDefinition } from './field-definition.ts';
import { at, textList } from './json-access.ts';

/** Host paths of container runtime sockets: mounting one hands over the node. */
export const RUNTIME_SOCKETS = [
  '/var/run/docker.sock',
  '/run/docker.sock',
  '/var/run/crio/crio.sock',
  '/run/crio/crio.sock',
  '/run/containerd/containerd.sock',
  '/var/run/containerd/containerd.sock',
  '/var/run/cri-dockerd.sock',
  // The directories holding them: the socket comes with the directory.
  '/run/containerd',
  '/var/run/containerd',
  '/run/crio',
  '/var/run/crio',
  '/var/run',
  '/run',
];

let lastContext: EventContext | undefined;
let lastProfile: PodProfile | undefined;

/** The request's pod profile, computed once per event however many fields read it. */
function requestProfile(context: EventContext): PodProfile | undefined {
  if (context === lastContext) return lastProfile;
  const request = context.event.requestObject;
  let profile: PodProfile | undefined;
  if (isRecord(request)) {
    // An ephemeral-containers update carries either a pod (spec.ephemeralContainers) or, in old API versions, an EphemeralContainers object.
    const spec = isRecord(request.spec)
      ? request.spec
      : Array.isArray(request.ephemeralContainers)
        ? { ephemeralContainers: request.ephemeralContainers }
        : undefined;
    profile = profileOfSpec(spec, 'stream');
  } else if (Array.isArray(request)) profile = profileOfSpec(specFromJsonPatch(request), 'stream');
  lastContext = context;
  lastProfile = profile;
  return profile;
}

const PATCHED_LIST = /^\/spec\/(containers|initContainers|ephemeralContainers|volumes)(?:\/(?:\d+|-))?$/;
const PATCHED_FLAG = /^\/spec\/(hostNetwork|hostPID|hostIPC)$/;

/**
 * What a JSON patch (RFC 6902) adds to a pod spec, as a spec of its own: the containers, ephemeral containers
 * (`kubectl debug` and hand-made patches of pods/ephemeralcontainers), volumes and host namespaces it adds or
 * replaces. A patch is judged by what it brings, as a create is.
 */
function specFromJsonPatch(operations: unknown[]): Record<string, unknown> | undefined {
  const spec: Record<string, unknown[] | boolean> = {};
  for (const operation of operations) {
    if (!isRecord(operation) || (operation.op !== 'add' && operation.op !== 'replace')) continue;
    const path = typeof operation.path === 'string' ? operation.path : '';
    const list = PATCHED_LIST.exec(path)?.[1];
    if (list !== undefined) {
      const items =
        Array.isArray(operation.value) && !/\/(?:\d+|-)$/.test(path) ? operation.value : [operation.value];
      spec[list] = [...((spec[list] as unknown[] | undefined) ?? []), ...items];
      continue;
    }
    const hostFlag = PATCHED_FLAG.exec(path)?.[1];
    if (hostFlag !== undefined && operation.value === true) spec[hostFlag] = true;
  }
  return Object.keys(spec).length > 0 ? spec : undefined;
}

function flag(value: boolean | undefined): FieldValue {
  return value === undefined ? undefined : String(value);
}

function fromRequest(
  name: string,
  doc: string,
  pick: (profile: PodProfile) => FieldValue,
  list = false,
): FieldDefinition {
  return {
    name,
    type: 'string',
    list,
    arg: 'none',
    doc,
    extract: (context) => {
      const profile = requestProfile(context);
      return profile === undefined ? undefined : pick(profile);
    },
  };
}

function fromTargetPod(
  name: string,
  doc: string,
  pick: (profile: PodProfile) => FieldValue,
  list = false,
): FieldDefinition {
  return {
    name,
    type: 'string',
    list,
    arg: 'none',
    doc,
    extract: ({ facts }) => (facts.targetPod === undefined ? undefined : pick(facts.targetPod)),
  };
}

function fact(
  name: string,
  doc: string,
  pick: (context: EventContext) => FieldValue,
  type: 'string' | 'number' = 'string',
): FieldDefinition {
  return { name, type, list: false, arg: 'none', doc, extract: pick };
}

/** `binaryData` values are base64: decoded, a credential in a file put there reads as it would in `data`. */
function decodedBinary(value: unknown): unknown {
  if (typeof value === 'string') return Buffer.from(value, 'base64').toString('utf8');
  if (!isRecord(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) out[key] = decodedBinary(item);
  return out;
}

/**
 * What a ConfigMap write puts in it, as JSON text: `data` and decoded `binaryData` of an object or merge patch,
 * and the values a JSON patch adds or replaces under either. Undefined for other resources.
 */
function configMapContent({ event }: EventContext): FieldValue {
  if (at(event, 'objectRef', 'resource') !== 'configmaps') return undefined;
  const request = event.requestObject;
  const parts: unknown[] = [];
  if (Array.isArray(request)) {
    for (const operation of request) {
      if (!isRecord(operation) || (operation.op !== 'add' && operation.op !== 'replace')) continue;
      const path = typeof operation.path === 'string' ? operation.path : '';
      if (path === '/data' || path.startsWith('/data/')) parts.push({ [path]: operation.value });
      else if (path === '/binaryData' || path.startsWith('/binaryData/'))
        parts.push({ [path]: decodedBinary(operation.value) });
    }
  } else if (isRecord(request)) {
    if (request.data !== undefined && request.data !== null) parts.push(request.data);
    if (request.binaryData !== undefined && request.binaryData !== null)
      parts.push(decodedBinary(request.binaryData));
  }
  return parts.length === 0 ? undefined : JSON.stringify(parts.length === 1 ? parts[0] : parts);
}

export const PALISADE_FIELDS: readonly FieldDefinition[] = [
  fact(
    'palisade.req.configmap.data',
    'What a ConfigMap write puts in it, as JSON text: `data` and decoded `binaryData` (of an object or a merge patch), and the values a JSON patch adds under either; absent for other resources.',
    configMapContent,
  ),
  fact(
    'palisade.req.namespace.psa_enforce',
    'What a namespace write does to its `pod-security.kubernetes.io/enforce` label: the level it sets, or `removed` (the label, the labels map or metadata nulled by a merge patch, removed or replaced without it by a JSON patch); the resulting namespace decides when the event carries it (RequestResponse); absent when the write leaves the label alone, and for subresources (finalize, status), which cannot change it.',
    ({ event }) => enforceLabelChange(event),
  ),
  fact(
    'palisade.request.first_response',
    '`true` on the first response-carrying stage (ResponseStarted, ResponseComplete, Panic) seen for a request, so a rule fires once per request whichever of those stages the audit policy logs (none when it logs only RequestReceived).',
    ({ facts, event }) => String(facts.firstResponse && event.stage !== 'RequestReceived'),
  ),
  fact(
    'palisade.user.identity',
    'The identity the request acts as: the impersonated user when there is one, else the user.',
    ({ event }) => {
      const name = at(event, 'impersonatedUser', 'username') ?? at(event, 'user', 'username');
      return typeof name === 'string' ? name : undefined;
    },
  ),
  {
    name: 'palisade.impuser.groups',
    type: 'string',
    list: true,
    arg: 'none',
    doc: 'The groups of the impersonated user.',
    extract: ({ event }) => textList(at(event, 'impersonatedUser', 'groups')),
  },
  fromRequest(
    'palisade.req.pod.privileged',
    '`true` when any container, init container or ephemeral container in the request is privileged.',
    (p) => flag(p.privileged),
  ),
  fromRequest(
    'palisade.req.pod.hostpath',
    'The hostPath paths of the pod in the request.',
    (p) => p.hostPaths,
    true,
  ),
  fromRequest(
    'palisade.req.pod.host_namespaces',
    'The host namespaces (hostNetwork, hostPID, hostIPC) the pod in the request shares.',
    (p) => p.hostNamespaces,
    true,
  ),
  fromRequest(
    'palisade.req.pod.added_capabilities',
    'Capabilities added by any container of any kind in the request.',
    (p) => p.addedCapabilities,
    true,
  ),
  fromRequest(
    'palisade.req.pod.run_as_root',
    '`true` when a container of the pod in the request runs with an explicit runAsUser 0.',
    (p) => flag(p.runsAsRoot),
  ),
  fromRequest(
    'palisade.req.pod.runtime_socket',
    'The hostPath volumes of the pod in the request that expose a container runtime socket (or the directory holding it).',
    (p) => p.hostPaths.filter((path) => RUNTIME_SOCKETS.includes(path.replace(/\/+$/, '') || '/')),
    true,
  ),
  fact(
    'palisade.target.pod.known',
    '`true` when the detection state knows the spec of the pod a request targets (learned from the stream or a snapshot).',
    ({ facts }) => String(facts.targetPod !== undefined),
  ),
  fromTargetPod(
    'palisade.target.pod.privileged',
    '`true` when the targeted pod has a privileged container (of any kind); unavailable when the pod is unknown.',
    (p) => flag(p.privileged),
  ),
  fromTargetPod(
    'palisade.target.pod.hostpath',
    'The hostPath paths the targeted pod mounts.',
    (p) => p.hostPaths,
    true,
  ),
  fromTargetPod(
    'palisade.target.pod.host_namespaces',
    'The host namespaces the targeted pod shares.',
    (p) => p.hostNamespaces,
    true,
  ),
  fromTargetPod(
    'palisade.target.pod.source',
    'Where the targeted pod was learned: `stream` or `snapshot`.',
    (p) => p.source,
  ),
  fact(
    'palisade.user.secret_read_burst',
    'The number of Secret reads (get/list/watch) by the identity inside the burst window, set only on the read that reaches the threshold.',
    ({ facts }) => facts.secretReadBurst,
    'number',
  ),
  fact(
    'palisade.user.recent_powerful_binding',
    'The powerful (Cluster)RoleBinding created for this identity within the window, set on the first request the identity makes after it.',
    ({ facts }) => facts.recentPowerfulBinding,
  ),
  fact(
    'palisade.binding.role_power',
    'For (Cluster)RoleBinding writes: why the role it binds is powerful (cluster-admin, wildcard rules, Secret access...).',
    ({ facts }) => facts.boundRolePower,
  ),
  fact(
    'palisade.sa.power',
    'For ServiceAccount token requests: the binding that makes the ServiceAccount powerful.',
    ({ facts }) => facts.serviceAccountPower,
  ),
  fact(
    'palisade.source_ip.unexpected',
    'The first source IP outside the configured ranges (unavailable when no ranges are configured).',
    ({ facts }) => facts.unexpectedSourceIp,
  ),
];
