// An AdmissionReview saved to a file (from a webhook's log, or `palisade test` data) is the API server's question
// about one object, not an object to apply: a scan reads the object under review, as the webhook would see it.
import { type FieldPath, isRecord } from '../core/kube-object.ts';

const ADMISSION_GROUP = 'admission.k8s.io/';

export function isAdmissionReview(value: unknown): value is Record<string, unknown> {
  return (
    isRecord(value) &&
    value.kind === 'AdmissionReview' &&
    typeof value.apiVersion === 'string' &&
    value.apiVersion.startsWith(ADMISSION_GROUP)
  );
}

export type ReviewedObject =
  | { found: true; object: Record<string, unknown>; path: FieldPath; message: string }
  | { found: false; message: string; path: FieldPath };

/**
 * The object under review, with the namespace of a request made through a namespaced URL filled in when the object
 * omits it (the API server, and so the webhook, places it there); or why there is none.
 */
export function reviewedObject(review: Record<string, unknown>, where: string): ReviewedObject {
  const request = review.request;
  if (!isRecord(request))
    return {
      found: false,
      path: [],
      message: `${where} is an AdmissionReview without a request (a webhook's answer?): nothing to scan`,
    };
  const operation = typeof request.operation === 'string' ? request.operation : 'request';
  const object = request.object;
  if (object === undefined || object === null)
    return {
      found: false,
      path: ['request'],
      message: `${where} is an AdmissionReview of a ${operation} with no request.object: nothing to scan`,
    };
  const path: FieldPath = ['request', 'object'];
  const message = `${where} is an AdmissionReview (the API server's question to a webhook), not an object to apply: its request.object, under ${operation}, is scanned as the webhook sees it`;
  const namespace = request.namespace;
  if (
    isRecord(object) &&
    isRecord(object.metadata) &&
    object.metadata.namespace === undefined &&
    typeof namespace === 'string' &&
    namespace !== ''
  )
    return { found: true, path, message, object: { ...object, metadata: { ...object.metadata, namespace } } };
  return isRecord(object)
    ? { found: true, path, message, object }
    : {
        found: false,
        path,
        message: `${where} is an AdmissionReview whose request.object is not a mapping: nothing to scan`,
      };
}
