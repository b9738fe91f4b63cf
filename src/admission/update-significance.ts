// Pod Security Admission does not newly block updates that cannot change what runs: metadata (except the seccomp
// and AppArmor annotations), `activeDeadlineSeconds` and `tolerations` of a pod. The same idea for pod templates
// (labelling a Deployment, scaling it, a finalizer removed by the garbage collector) and for other kinds (metadata).
import { isRecord, type KubeObject } from '../core/kube-object.ts';
import { podTemplateOf } from '../core/pod-spec.ts';
import { jsonEqual } from './json-equal.ts';

const SECURITY_ANNOTATION_PREFIXES = [
  'seccomp.security.alpha.kubernetes.io/',
  'container.seccomp.security.alpha.kubernetes.io/',
  'container.apparmor.security.beta.kubernetes.io/',
];
const POD_FIELDS_EXEMPT_ON_UPDATE = new Set(['activeDeadlineSeconds', 'tolerations']);

function securityAnnotations(metadata: unknown): Record<string, unknown> {
  const annotations = isRecord(metadata) && isRecord(metadata.annotations) ? metadata.annotations : {};
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(annotations))
    if (SECURITY_ANNOTATION_PREFIXES.some((prefix) => key.startsWith(prefix))) out[key] = value;
  return out;
}

function withoutKeys(value: unknown, keys: ReadonlySet<string>): unknown {
  if (!isRecord(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(value)) if (!keys.has(key)) out[key] = field;
  return out;
}

/** True when an UPDATE from `oldObject` to `object` can change what the rules judge, so it must be evaluated. */
export function isSignificantUpdate(object: KubeObject, oldObject: KubeObject): boolean {
  if (object.kind !== oldObject.kind || object.apiVersion !== oldObject.apiVersion) return true;
  const pod = podTemplateOf(object);
  const oldPod = podTemplateOf(oldObject);
  if (pod || oldPod) {
    if (!pod || !oldPod) return true;
    if (!jsonEqual(securityAnnotations(pod.metadata), securityAnnotations(oldPod.metadata))) return true;
    // Only a bare Pod may change these in place; in a template every change makes new pods.
    const exempt = object.kind === 'Pod' ? POD_FIELDS_EXEMPT_ON_UPDATE : new Set<string>();
    return !jsonEqual(withoutKeys(pod.spec, exempt), withoutKeys(oldPod.spec, exempt));
  }
  // Other kinds: labels, finalizers, managedFields and the like do not change what the rules judge; annotations can.
  const ignored = new Set(['metadata', 'status']);
  if (!jsonEqual(withoutKeys(object, ignored), withoutKeys(oldObject, ignored))) return true;
  return !jsonEqual(object.metadata.annotations ?? {}, oldObject.metadata.annotations ?? {});
}
