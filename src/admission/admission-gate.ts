// Whether a request is evaluated at all, before any rule runs: operations, subresources, kinds, exemptions and
// updates that cannot change what runs. Each "no" carries the reason, for logs, metrics and `palisade test`.
import type { KubeObject } from '../core/kube-object.ts';
import { podTemplateOf } from '../core/pod-spec.ts';
import type { AdmissionRequest } from './admission-review.ts';
import type { CompiledPolicy } from './compiled-policy.ts';
import { isSignificantUpdate } from './update-significance.ts';

export type SkipReason =
  | 'delete'
  | 'connect'
  | 'subresource'
  | 'kind-not-checked'
  | 'exempt-namespace'
  | 'exempt-user'
  | 'exempt-runtime-class'
  | 'metadata-only-update';

export type Gate = { evaluate: true; object: KubeObject } | { evaluate: false; reason: SkipReason };

/** Subresources whose object is the parent object and can add something that runs. */
const EVALUATED_SUBRESOURCES = new Set(['pods/ephemeralcontainers']);

export function gateRequest(request: AdmissionRequest, policy: CompiledPolicy): Gate {
  if (request.operation === 'DELETE') return { evaluate: false, reason: 'delete' };
  if (request.operation === 'CONNECT') return { evaluate: false, reason: 'connect' };
  // `scale`, `status`, `binding` and the like carry another kind (Scale) or cannot change a pod's security.
  if (
    request.subResource !== undefined &&
    !EVALUATED_SUBRESOURCES.has(`${request.resource.resource}/${request.subResource}`)
  )
    return { evaluate: false, reason: 'subresource' };
  const object = request.object;
  if (!object || !policy.checksKind(object.kind)) return { evaluate: false, reason: 'kind-not-checked' };
  if (policy.isExemptNamespace(request.namespace)) return { evaluate: false, reason: 'exempt-namespace' };
  if (policy.isExemptUser(request.userInfo.username)) return { evaluate: false, reason: 'exempt-user' };
  const runtimeClass = podTemplateOf(object)?.spec.runtimeClassName;
  if (policy.isExemptRuntimeClass(typeof runtimeClass === 'string' ? runtimeClass : undefined))
    return { evaluate: false, reason: 'exempt-runtime-class' };
  if (request.operation === 'UPDATE' && request.oldObject && !isSignificantUpdate(object, request.oldObject))
    return { evaluate: false, reason: 'metadata-only-update' };
  return { evaluate: true, object: withRequestNamespace(object, request.namespace) };
}

/** Objects created through a namespaced URL may omit `metadata.namespace`; rules should still see it. */
function withRequestNamespace(object: KubeObject, namespace: string | undefined): KubeObject {
  if (namespace === undefined || object.metadata.namespace === namespace) return object;
  return { ...object, metadata: { ...object.metadata, namespace } };
}
