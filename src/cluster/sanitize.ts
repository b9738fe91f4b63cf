// Removes what a scan must not keep from objects read from a cluster: secret values, and bulk no rule reads.
import { isRecord, type KubeObject } from '../core/kube-object.ts';

/** kubectl's copy of the object as last applied: on a Secret it holds the Secret's values in clear. */
const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

/** Set on every Secret whose values were removed, so that a reader of a snapshot knows why they are empty. */
export const REDACTED_ANNOTATION = 'palisade.dev/values-removed';

/**
 * Mutates `object` in place (it is ours, freshly parsed): Secret `data`/`stringData` values become empty strings
 * (keys stay: rules look at which keys exist, never at values), the last-applied copy is dropped from every object
 * (it duplicates the object and may carry values), and `managedFields` is dropped (server bookkeeping, often the
 * largest part of an object).
 */
export function sanitizeObject(object: KubeObject): KubeObject {
  const metadata = object.metadata;
  delete metadata.managedFields;
  if (isRecord(metadata.annotations) && LAST_APPLIED in metadata.annotations) {
    delete metadata.annotations[LAST_APPLIED];
    if (Object.keys(metadata.annotations).length === 0) delete metadata.annotations;
  }
  if (object.kind === 'Secret' && (object.apiVersion === 'v1' || object.apiVersion === '')) {
    let removed = false;
    for (const field of ['data', 'stringData'] as const) {
      const values = object[field];
      if (!isRecord(values)) {
        if (values !== undefined) {
          delete object[field];
          removed = true;
        }
        continue;
      }
      for (const key of Object.keys(values)) {
        values[key] = '';
        removed = true;
      }
    }
    if (removed) metadata.annotations = { ...(metadata.annotations ?? {}), [REDACTED_ANNOTATION]: 'true' };
  }
  return object;
}
