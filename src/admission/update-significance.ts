// Which UPDATEs are re-evaluated. For a Pod, Pod Security Admission's isSignificantPodUpdate: only a change of
// container count or images (containers, initContainers, ephemeral containers by name), an ephemeral container
// added, or a change of the seccomp (and, here, AppArmor) annotations; every other pod update (labels,
// `activeDeadlineSeconds`, `tolerations`, scheduling gates removed, a resource resize...) is not newly blocked.
// For pod templates (Deployment...), any change of the template; the object's own metadata (labelling, scaling, a
// finalizer removed by the garbage collector) does not change what runs. For every other kind (Namespace...),
// any change of labels, annotations or spec counts: rules read them (the Pod Security labels of a Namespace).
import { isRecord, type KubeObject } from '../core/kube-object.ts';
import { podTemplateOf } from '../core/pod-spec.ts';
import { jsonEqual } from './json-equal.ts';

const POD_SECCOMP_ANNOTATION = 'seccomp.security.alpha.kubernetes.io/pod';
const CONTAINER_SECCOMP_PREFIX = 'container.seccomp.security.alpha.kubernetes.io/';
const CONTAINER_APPARMOR_PREFIX = 'container.apparmor.security.beta.kubernetes.io/';
/** Metadata the API server or controllers maintain; no rule reads it. */
const SERVER_METADATA = new Set([
  'managedFields',
  'resourceVersion',
  'generation',
  'uid',
  'creationTimestamp',
  'deletionTimestamp',
  'deletionGracePeriodSeconds',
  'finalizers',
  'ownerReferences',
  'selfLink',
]);

function annotationsOf(metadata: unknown): Record<string, unknown> {
  return isRecord(metadata) && isRecord(metadata.annotations) ? metadata.annotations : {};
}

function containersOf(spec: unknown, field: string): Record<string, unknown>[] {
  const list = isRecord(spec) ? spec[field] : undefined;
  return Array.isArray(list) ? list.map((item) => (isRecord(item) ? item : {})) : [];
}

function withoutKeys(value: unknown, keys: ReadonlySet<string>): unknown {
  if (!isRecord(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(value)) if (!keys.has(key)) out[key] = field;
  return out;
}

function significantContainerUpdate(
  container: Record<string, unknown>,
  old: Record<string, unknown>,
  annotations: Record<string, unknown>,
  oldAnnotations: Record<string, unknown>,
): boolean {
  if (container.image !== old.image) return true;
  const name = String(container.name ?? '');
  for (const prefix of [CONTAINER_SECCOMP_PREFIX, CONTAINER_APPARMOR_PREFIX])
    if (annotations[prefix + name] !== oldAnnotations[prefix + name]) return true;
  return false;
}

/** Pod Security Admission's isSignificantPodUpdate, on the pod's metadata and spec. */
function isSignificantPodUpdate(pod: KubeObject, oldPod: KubeObject): boolean {
  const annotations = annotationsOf(pod.metadata);
  const oldAnnotations = annotationsOf(oldPod.metadata);
  if (annotations[POD_SECCOMP_ANNOTATION] !== oldAnnotations[POD_SECCOMP_ANNOTATION]) return true;
  for (const field of ['containers', 'initContainers']) {
    const containers = containersOf(pod.spec, field);
    const oldContainers = containersOf(oldPod.spec, field);
    if (containers.length !== oldContainers.length) return true;
    for (const [index, container] of containers.entries())
      if (significantContainerUpdate(container, oldContainers[index] ?? {}, annotations, oldAnnotations))
        return true;
  }
  const oldEphemeral = containersOf(oldPod.spec, 'ephemeralContainers');
  for (const container of containersOf(pod.spec, 'ephemeralContainers')) {
    const old = oldEphemeral.find((candidate) => candidate.name === container.name);
    if (!old) return true; // an ephemeral container added
    if (significantContainerUpdate(container, old, annotations, oldAnnotations)) return true;
  }
  return false;
}

/** True when an UPDATE from `oldObject` to `object` can change what the rules judge, so it must be evaluated. */
export function isSignificantUpdate(object: KubeObject, oldObject: KubeObject): boolean {
  if (object.kind !== oldObject.kind || object.apiVersion !== oldObject.apiVersion) return true;
  if (object.kind === 'Pod' && object.apiVersion === 'v1') return isSignificantPodUpdate(object, oldObject);
  const pod = podTemplateOf(object);
  const oldPod = podTemplateOf(oldObject);
  if (pod || oldPod) {
    // In a template every change makes new pods: the whole template counts, the workload's own metadata does not.
    if (!pod || !oldPod) return true;
    return (
      !jsonEqual(withoutKeys(pod.metadata, SERVER_METADATA), withoutKeys(oldPod.metadata, SERVER_METADATA)) ||
      !jsonEqual(pod.spec, oldPod.spec)
    );
  }
  // Other kinds: everything but status and server-maintained metadata (a Namespace's labels are its policy).
  const ignored = new Set(['metadata', 'status']);
  if (!jsonEqual(withoutKeys(object, ignored), withoutKeys(oldObject, ignored))) return true;
  return !jsonEqual(
    withoutKeys(object.metadata, SERVER_METADATA),
    withoutKeys(oldObject.metadata, SERVER_METADATA),
  );
}
