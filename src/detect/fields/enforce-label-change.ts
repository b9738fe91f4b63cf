// What a namespace write does to its Pod Security `enforce` label, read from the request as the API server
// applies it (a full object, a JSON merge or strategic merge patch, a JSON patch) and, where the event carries
// the resulting namespace (RequestResponse level), from that result.
import { isRecord } from '../../core/kube-object.ts';
import type { AuditEvent } from '../audit-event.ts';

const ENFORCE_LABEL = 'pod-security.kubernetes.io/enforce';
const ENFORCE_PATH = ['metadata', 'labels', ENFORCE_LABEL] as const;

/** The label is gone after the write: the namespace falls back to the cluster's default level. */
const REMOVED = 'removed';
/** The write touches the label but the request alone cannot say to what (a JSON patch `copy` or `move` into it). */
const UNRESOLVED = Symbol('unresolved');

type Change = string | typeof UNRESOLVED | undefined;

/**
 * The level the write sets, `removed`, or undefined when the write leaves the label alone. A full object (create,
 * update) that has no label says nothing: the audit event does not carry the labels it replaces.
 */
export function enforceLabelChange(event: AuditEvent): string | undefined {
  // namespaces/finalize and /status write spec.finalizers or status only; the labels they carry are unchanged.
  const objectRef = event.objectRef;
  if (isRecord(objectRef) && objectRef.subresource !== undefined && objectRef.subresource !== '')
    return undefined;
  const request = event.requestObject;
  const change = Array.isArray(request)
    ? jsonPatchChange(request)
    : event.verb === 'patch'
      ? mergePatchChange(request)
      : fullObjectChange(request);
  if (change === undefined) return undefined;
  // The namespace as the write left it is the ground truth (a mutating webhook may have put the label back).
  const result = resultingLevel(event.responseObject);
  if (result !== undefined) return result;
  return change === UNRESOLVED ? undefined : change;
}

/** RFC 6901: the reference tokens of a pointer, undefined when it is not one. */
function pointerTokens(pointer: unknown): string[] | undefined {
  if (typeof pointer !== 'string') return undefined;
  if (pointer === '') return [];
  if (!pointer.startsWith('/')) return undefined;
  return pointer
    .slice(1)
    .split('/')
    .map((token) => token.replaceAll('~1', '/').replaceAll('~0', '~'));
}

/** How many leading steps of the label's path the pointer names (0 is the whole document); undefined when it leads elsewhere. */
function labelPathDepth(pointer: unknown): number | undefined {
  const tokens = pointerTokens(pointer);
  if (tokens === undefined || tokens.length > ENFORCE_PATH.length) return undefined;
  return tokens.every((token, index) => token === ENFORCE_PATH[index]) ? tokens.length : undefined;
}

/** The label's level inside a value put at `depth` of its path: a string, `removed` when absent. */
function levelInside(value: unknown, depth: number): Change {
  let current = value;
  for (const key of ENFORCE_PATH.slice(depth)) {
    if (!isRecord(current)) return REMOVED;
    if (!Object.hasOwn(current, key)) return REMOVED;
    current = current[key];
  }
  return typeof current === 'string' ? current : UNRESOLVED;
}

/**
 * RFC 6902, operation by operation: `add`/`replace` at the label or at any object holding it (which replaces the
 * whole object, so one without the label removes it), `remove` of either, `move` away from either; `copy` or
 * `move` into them brings a value the request does not show.
 */
function jsonPatchChange(operations: unknown[]): Change {
  let change: Change;
  for (const operation of operations) {
    if (!isRecord(operation)) continue;
    const depth = labelPathDepth(operation.path);
    switch (operation.op) {
      case 'add':
      case 'replace':
        if (depth !== undefined) change = levelInside(operation.value, depth);
        break;
      case 'remove':
        if (depth !== undefined) change = REMOVED;
        break;
      case 'move':
        if (depth !== undefined) change = UNRESOLVED;
        else if (labelPathDepth(operation.from) !== undefined) change = REMOVED;
        break;
      case 'copy':
        if (depth !== undefined) change = UNRESOLVED;
        break;
    }
  }
  return change;
}

/**
 * RFC 7386 merge patch, and strategic merge patch, which treats a map the same way but for its `$patch`
 * directive: null removes a key (and `labels: null` every label); `$patch: replace` in the labels (or metadata)
 * replaces them, `$patch: delete` removes them; a key left out is left alone.
 */
function mergePatchChange(patch: unknown): Change {
  if (!isRecord(patch) || !Object.hasOwn(patch, 'metadata')) return undefined;
  const metadata = patch.metadata;
  if (metadata === null) return REMOVED;
  if (!isRecord(metadata)) return undefined;
  if (metadata.$patch === 'delete') return REMOVED;
  if (metadata.$patch === 'replace') return levelInside(metadata, 1);
  if (!Object.hasOwn(metadata, 'labels')) return undefined;
  const labels = metadata.labels;
  if (labels === null) return REMOVED;
  if (!isRecord(labels)) return undefined;
  if (labels.$patch === 'delete') return REMOVED;
  if (labels.$patch === 'replace') return levelInside(labels, 2);
  if (!Object.hasOwn(labels, ENFORCE_LABEL)) return undefined;
  const value = labels[ENFORCE_LABEL];
  return value === null ? REMOVED : typeof value === 'string' ? value : UNRESOLVED;
}

/** A full object: the level it carries; nothing when it carries none, since what it replaced is unknown. */
function fullObjectChange(object: unknown): Change {
  const labels = isRecord(object) && isRecord(object.metadata) ? object.metadata.labels : undefined;
  if (!isRecord(labels)) return undefined;
  const value = labels[ENFORCE_LABEL];
  return typeof value === 'string' ? value : undefined;
}

/** The level of the namespace a successful write returned; undefined when the response is not that namespace. */
function resultingLevel(response: unknown): string | undefined {
  if (!isRecord(response) || response.kind !== 'Namespace' || !isRecord(response.metadata)) return undefined;
  const labels = response.metadata.labels;
  if (labels === undefined || labels === null) return REMOVED;
  if (!isRecord(labels)) return undefined;
  const value = labels[ENFORCE_LABEL];
  return typeof value === 'string' ? value : REMOVED;
}
