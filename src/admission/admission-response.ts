// The response half of an AdmissionReview: echoes the request's apiVersion and uid, as the API server requires.
import type { JsonPatchOperation } from '../core/json-patch.ts';
import type { AdmissionApiVersion } from './admission-review.ts';

/** Kubernetes asks webhooks to keep each warning to 120 characters. */
export const MAX_WARNING_LENGTH = 120;
/** More warnings than this only bury the first ones in `kubectl` output. */
export const MAX_WARNINGS = 20;

export interface AdmissionStatus {
  code: number;
  reason: string;
  message: string;
}

export interface AdmissionResponse {
  uid: string;
  allowed: boolean;
  status?: AdmissionStatus;
  warnings?: string[];
  auditAnnotations?: Record<string, string>;
  patchType?: 'JSONPatch';
  /** Base64 of the JSON patch. */
  patch?: string;
}

export interface AdmissionReviewResponse {
  apiVersion: AdmissionApiVersion;
  kind: 'AdmissionReview';
  response: AdmissionResponse;
}

export function reviewResponse(
  apiVersion: AdmissionApiVersion,
  response: AdmissionResponse,
): AdmissionReviewResponse {
  return { apiVersion, kind: 'AdmissionReview', response };
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is being found
const CONTROL = /[\u0000-\u001f\u007f]/;
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is being removed
const CONTROL_RUNS = /[\u0000-\u001f\u007f]+/g;

/** Warnings travel in HTTP `Warning` headers: printable, one line, at most 120 characters. */
export function clampWarning(text: string): string {
  const oneLine = CONTROL.test(text) ? text.replace(CONTROL_RUNS, ' ').trim() : text.trim();
  if (oneLine.length <= MAX_WARNING_LENGTH) return oneLine;
  // Cut by UTF-16 units (the limit counts characters, so this is never longer), without splitting a surrogate pair.
  let cut = oneLine.slice(0, MAX_WARNING_LENGTH - 3);
  if (/[\ud800-\udbff]$/.test(cut)) cut = cut.slice(0, -1);
  return `${cut}...`;
}

export function withPatch(
  response: AdmissionResponse,
  patch: readonly JsonPatchOperation[],
): AdmissionResponse {
  if (patch.length === 0) return response;
  return {
    ...response,
    patchType: 'JSONPatch',
    patch: Buffer.from(JSON.stringify(patch)).toString('base64'),
  };
}
