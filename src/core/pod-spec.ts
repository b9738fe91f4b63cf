// The pod template inside every pod-bearing kind, and its containers, so that rules are written once for all kinds.
import { type FieldPath, getPath, isRecord, type KubeObject, type ObjectMeta } from './kube-object.ts';
import { LastUsedCache } from './last-used-cache.ts';
import type { Violation } from './rule.ts';

/** Where the pod spec and pod metadata sit in each kind that carries one, and the API groups that define it. */
const POD_TEMPLATE_PATHS: Record<
  string,
  { groups: readonly string[]; spec: FieldPath; metadata: FieldPath }
> = {
  Pod: { groups: [''], spec: ['spec'], metadata: ['metadata'] },
  PodTemplate: { groups: [''], spec: ['template', 'spec'], metadata: ['template', 'metadata'] },
  ReplicationController: {
    groups: [''],
    spec: ['spec', 'template', 'spec'],
    metadata: ['spec', 'template', 'metadata'],
  },
  // `extensions` served Deployments, ReplicaSets and DaemonSets until Kubernetes 1.16; old manifests still use it.
  Deployment: {
    groups: ['apps', 'extensions'],
    spec: ['spec', 'template', 'spec'],
    metadata: ['spec', 'template', 'metadata'],
  },
  ReplicaSet: {
    groups: ['apps', 'extensions'],
    spec: ['spec', 'template', 'spec'],
    metadata: ['spec', 'template', 'metadata'],
  },
  DaemonSet: {
    groups: ['apps', 'extensions'],
    spec: ['spec', 'template', 'spec'],
    metadata: ['spec', 'template', 'metadata'],
  },
  StatefulSet: {
    groups: ['apps'],
    spec: ['spec', 'template', 'spec'],
    metadata: ['spec', 'template', 'metadata'],
  },
  Job: { groups: ['batch'], spec: ['spec', 'template', 'spec'], metadata: ['spec', 'template', 'metadata'] },
  CronJob: {
    groups: ['batch'],
    spec: ['spec', 'jobTemplate', 'spec', 'template', 'spec'],
    metadata: ['spec', 'jobTemplate', 'spec', 'template', 'metadata'],
  },
  // Custom resources that run pods from a template of their own. Argo Rollouts replaces Deployments
  // (progressive delivery); a Rollout with `spec.workloadRef` instead of a template borrows a Deployment's.
  Rollout: {
    groups: ['argoproj.io'],
    spec: ['spec', 'template', 'spec'],
    metadata: ['spec', 'template', 'metadata'],
  },
  // OpenShift 3 served DeploymentConfigs in the core group (`apiVersion: v1`), as old templates still declare them.
  DeploymentConfig: {
    groups: ['apps.openshift.io', ''],
    spec: ['spec', 'template', 'spec'],
    metadata: ['spec', 'template', 'metadata'],
  },
  // Knative Serving's Configuration carries a subset of the PodSpec, copied into each Revision's pods. Its Service
  // (which manages a Configuration) is left out: rules and webhook registrations select by kind name alone, and
  // `Service` would bring every core Service into the workload rules; its template is reported as not checked.
  Configuration: {
    groups: ['serving.knative.dev'],
    spec: ['spec', 'template', 'spec'],
    metadata: ['spec', 'template', 'metadata'],
  },
};

/** The API group of an apiVersion: `apps` for `apps/v1`, `` for the core `v1`. */
export function apiGroupOf(apiVersion: string): string {
  const slash = apiVersion.indexOf('/');
  return slash === -1 ? '' : apiVersion.slice(0, slash);
}

/**
 * Every kind that carries a pod spec. A kind name alone does not make an object pod-bearing (a custom `Deployment`,
 * Crossplane's `Configuration`): `podTemplateOf` checks the API group.
 */
export const WORKLOAD_KINDS: readonly string[] = Object.freeze(Object.keys(POD_TEMPLATE_PATHS));

/** True when Palisade knows where the pod template of this kind, in this API group, is. */
export function isKnownWorkload(kind: string, apiVersion: string): boolean {
  return pathsOf(kind)?.groups.includes(apiGroupOf(apiVersion)) === true;
}

/** The API groups that define a workload kind (`''` for the core group); empty for a kind Palisade does not know. */
export function workloadGroupsOf(kind: string): readonly string[] {
  return pathsOf(kind)?.groups ?? [];
}

// Kinds come from users: `constructor` or `__proto__` must not reach Object.prototype.
function pathsOf(kind: string): (typeof POD_TEMPLATE_PATHS)[string] | undefined {
  return Object.hasOwn(POD_TEMPLATE_PATHS, kind) ? POD_TEMPLATE_PATHS[kind] : undefined;
}

/** Where pod templates usually sit in kinds Palisade does not know: used to say so rather than skip them silently. */
export const GENERIC_POD_TEMPLATE_PATHS: readonly FieldPath[] = [
  ['spec', 'template', 'spec'],
  ['spec', 'jobTemplate', 'spec', 'template', 'spec'],
];

export type ContainerType = 'containers' | 'initContainers' | 'ephemeralContainers';
export const CONTAINER_TYPES: readonly ContainerType[] = [
  'containers',
  'initContainers',
  'ephemeralContainers',
];

// Loose shapes: objects come from users, so every field may be absent; shape errors are caught at load time.
export interface SecurityContextFields {
  privileged?: boolean;
  allowPrivilegeEscalation?: boolean;
  readOnlyRootFilesystem?: boolean;
  runAsUser?: number;
  runAsGroup?: number;
  runAsNonRoot?: boolean;
  procMount?: string;
  capabilities?: { add?: string[]; drop?: string[] };
  seccompProfile?: { type?: string; localhostProfile?: string };
  appArmorProfile?: { type?: string; localhostProfile?: string };
  seLinuxOptions?: { type?: string; user?: string; role?: string; level?: string };
  windowsOptions?: { hostProcess?: boolean; [field: string]: unknown };
  [field: string]: unknown;
}

export interface Container {
  name?: string;
  image?: string;
  securityContext?: SecurityContextFields;
  [field: string]: unknown;
}

export interface PodSpec {
  containers?: Container[];
  initContainers?: Container[];
  ephemeralContainers?: Container[];
  securityContext?: SecurityContextFields & {
    fsGroup?: number;
    sysctls?: { name?: string; value?: string }[];
  };
  volumes?: Record<string, unknown>[];
  [field: string]: unknown;
}

export interface PodTemplateView {
  kind: string;
  spec: PodSpec;
  metadata: ObjectMeta;
  specPath: FieldPath;
  metadataPath: FieldPath;
}

export interface ContainerView {
  container: Container;
  type: ContainerType;
  index: number;
  /** Path to the container inside the object. */
  path: FieldPath;
  name: string;
}

// Every pod rule asks for the same view of the same object, and the engine runs all rules of one object in a row:
// a few most recent answers are kept. Objects are never mutated after loading (rules are pure, fixes return
// patches), so the cache cannot go stale; a small cache (not a WeakMap over every object) keeps nothing alive.
const templateCache = new LastUsedCache<KubeObject, PodTemplateView | undefined>(8);
const containerCache = new LastUsedCache<PodTemplateView, readonly ContainerView[]>(8);

/** The pod template of a pod-bearing object; undefined for other kinds or when the spec is missing. */
export function podTemplateOf(object: KubeObject): PodTemplateView | undefined {
  return templateCache.get(object, computePodTemplate);
}

function computePodTemplate(object: KubeObject): PodTemplateView | undefined {
  const paths = pathsOf(object.kind);
  // A custom resource that happens to be called `Deployment` is not one.
  if (!paths?.groups.includes(apiGroupOf(object.apiVersion))) return undefined;
  const spec = getPath(object, paths.spec);
  if (!isRecord(spec)) return undefined;
  const metadata = getPath(object, paths.metadata);
  return {
    kind: object.kind,
    spec: spec as PodSpec,
    metadata: isRecord(metadata) ? (metadata as ObjectMeta) : {},
    specPath: paths.spec,
    metadataPath: paths.metadata,
  };
}

/** Every container of every type, in the order Kubernetes lists them (containers, init, ephemeral). */
export function containersOf(view: PodTemplateView): readonly ContainerView[] {
  return containerCache.get(view, frozenContainers);
}

function frozenContainers(view: PodTemplateView): readonly ContainerView[] {
  return Object.freeze(computeContainers(view));
}

function computeContainers(view: PodTemplateView): ContainerView[] {
  const out: ContainerView[] = [];
  for (const type of CONTAINER_TYPES) {
    const list = view.spec[type];
    if (!Array.isArray(list)) continue;
    list.forEach((container, index) => {
      if (!isRecord(container)) return;
      out.push({
        container: container as Container,
        type,
        index,
        path: [...view.specPath, type, index],
        name: typeof container.name === 'string' ? container.name : `${type}[${index}]`,
      });
    });
  }
  return out;
}

/** `spec.os.name: windows`: Linux-only security settings do not apply (the API server rejects them there). */
export function isWindowsPod(view: PodTemplateView): boolean {
  const os = view.spec.os;
  return isRecord(os) && os.name === 'windows';
}

/** A Pod whose containers have all terminated for good (`status.phase` Succeeded or Failed): it holds no connections. */
export function isFinishedPod(object: KubeObject): boolean {
  const status = object.status;
  return (
    object.kind === 'Pod' && isRecord(status) && (status.phase === 'Succeeded' || status.phase === 'Failed')
  );
}

/** Pod annotations (seccomp/AppArmor before their fields existed) of the pod template. */
export function podAnnotations(view: PodTemplateView): Record<string, string> {
  const annotations = view.metadata.annotations;
  return isRecord(annotations) ? (annotations as Record<string, string>) : {};
}

/**
 * Runs `visit` on every container of a pod-bearing object, collecting the violations it adds; none for other kinds.
 * The common shape of container rules, written once.
 */
export function containerViolations(
  object: KubeObject,
  visit: (container: ContainerView, out: Violation[], pod: PodTemplateView) => void,
): Violation[] {
  const pod = podTemplateOf(object);
  if (!pod) return [];
  const out: Violation[] = [];
  const containers = containersOf(pod);
  // Indexed: run for every container rule of every object (see formatPath).
  for (let index = 0; index < containers.length; index++) visit(containers[index] as ContainerView, out, pod);
  return out;
}
