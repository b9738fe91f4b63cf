// The view of an event that alert output is rendered from: what an alert must never carry is masked in the
// structure itself, before any output field extracts it (the text masking in secret-mask.ts stays as a second
// line of defence). Conditions still evaluate the event as it arrived, as Falco's do: Falco's rules inspect
// ConfigMap data (credentials in ConfigMaps), and masking there would change which rules fire.
//
// Masked (keys kept, values replaced by `***`):
// - Secrets (objectRef.resource `secrets`): every value under data/stringData of requestObject and
//   responseObject (also list items and JSON-patch values), and the last-applied-configuration annotation;
// - every `env[].value` of a container list anywhere in requestObject/responseObject (pod specs and the pod
//   templates of workloads, also inside kubectl's last-applied-configuration annotation); `valueFrom` stays;
// - the same env values set through a JSON patch (an operation whose path goes through `env`);
// - bearer tokens: `status.token` (TokenRequest) and `spec.token` (TokenReview) of any other object;
// - ConfigMaps: credentials in `data` and `binaryData` values (redact-configmap.ts says how).
// The view is copy-on-write: objects without anything to mask are shared with the event, never modified.
import { isRecord } from '../core/kube-object.ts';
import type { AuditEvent } from './audit-event.ts';
import { mapArray, mapRecord } from './copy-on-write.ts';
import { maskConfigMapObject } from './redact-configmap.ts';
import { MASK } from './secret-mask.ts';

const MAX_DEPTH = 64;
const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';
const views = new WeakMap<AuditEvent, AuditEvent>();

/** The masked view of an event (the event itself when nothing needs masking); computed once per event. */
export function redactedEvent(event: AuditEvent): AuditEvent {
  const cached = views.get(event);
  if (cached !== undefined) return cached;
  const objectRef = event.objectRef;
  const resource = isRecord(objectRef) ? objectRef.resource : undefined;
  let view: AuditEvent = event;
  for (const key of ['requestObject', 'responseObject']) {
    const value = event[key];
    if (value === undefined || value === null) continue;
    let masked = maskEnvValues(value, 0);
    if (resource === 'secrets') masked = maskSecretObject(masked);
    else if (resource === 'configmaps') masked = maskConfigMapObject(masked);
    else masked = maskTokens(masked);
    if (masked !== value) view = { ...view, [key]: masked };
  }
  views.set(event, view);
  return view;
}

/**
 * Bearer tokens in API objects: a TokenRequest's issued `status.token` (serviceaccounts/token), a TokenReview's
 * `spec.token`, a SelfSubjectReview or any other object carrying one there. Kind is not trusted to say which:
 * both places are masked wherever they hold a string.
 */
function maskTokens(value: unknown): unknown {
  if (!isRecord(value)) return value;
  let out: Record<string, unknown> = value;
  for (const part of ['status', 'spec']) {
    const holder = value[part];
    if (isRecord(holder) && typeof holder.token === 'string' && holder.token !== '')
      out = { ...out, [part]: { ...holder, token: MASK } };
  }
  return out;
}

/** Every value replaced by the mask, keys kept. */
function maskAllValues(value: unknown): unknown {
  if (!isRecord(value)) return MASK;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value)) out[key] = MASK;
  return out;
}

function maskSecretObject(value: unknown): unknown {
  if (Array.isArray(value)) {
    // A JSON patch: each operation's value may carry secret data.
    return value.map((op) => (isRecord(op) && 'value' in op ? { ...op, value: MASK } : op));
  }
  if (!isRecord(value)) return value;
  let out: Record<string, unknown> = value;
  for (const key of ['data', 'stringData']) {
    if (value[key] !== undefined && value[key] !== null) out = { ...out, [key]: maskAllValues(value[key]) };
  }
  const metadata = value.metadata;
  if (isRecord(metadata) && isRecord(metadata.annotations) && LAST_APPLIED in metadata.annotations)
    out = {
      ...out,
      metadata: { ...metadata, annotations: { ...metadata.annotations, [LAST_APPLIED]: MASK } },
    };
  if (Array.isArray(value.items)) out = { ...out, items: value.items.map(maskSecretObject) };
  // A Table (kubectl get): each row may carry the whole object.
  if (Array.isArray(value.rows))
    out = {
      ...out,
      rows: value.rows.map((row) =>
        isRecord(row) && row.object !== undefined ? { ...row, object: maskSecretObject(row.object) } : row,
      ),
    };
  return out;
}

/** `env[].value` masked wherever an `env` list of name/value entries appears; copy-on-write. */
function maskEnvValues(value: unknown, depth: number): unknown {
  if (depth > MAX_DEPTH) return MASK;
  if (Array.isArray(value)) return mapArray(value, (item) => maskEnvValues(item, depth + 1));
  if (!isRecord(value)) return value;
  if (typeof value.op === 'string' && typeof value.path === 'string' && 'value' in value)
    return maskEnvPatch(value, depth);
  return mapRecord(value, (key, item) => {
    if (key === 'env' && Array.isArray(item)) return maskEnvList(item);
    if (key === LAST_APPLIED && typeof item === 'string') return maskEnvInJsonText(item, depth);
    return maskEnvValues(item, depth + 1);
  });
}

/** kubectl's last-applied-configuration annotation repeats the whole object, env values included. */
function maskEnvInJsonText(text: string, depth: number): string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return text;
  }
  const masked = maskEnvValues(parsed, depth + 1);
  return masked === parsed ? text : JSON.stringify(masked);
}

/** A JSON patch operation: through `env`, its value is an env list, one entry, or one entry's value. */
function maskEnvPatch(op: Record<string, unknown>, depth: number): Record<string, unknown> {
  const path = op.path as string;
  const value = op.value;
  const envAt = path.search(/\/env(?:\/|$)/);
  if (envAt < 0) {
    const masked = maskEnvValues(value, depth + 1);
    return masked === value ? op : { ...op, value: masked };
  }
  const rest = path.slice(envAt + '/env'.length);
  let masked: unknown = value;
  if (rest === '' && Array.isArray(value)) masked = maskEnvList(value);
  else if (/^\/(?:\d+|-)$/.test(rest) && isRecord(value)) masked = maskEnvList([value])[0];
  else if (/^\/(?:\d+|-)\/value$/.test(rest) && value !== null && value !== '') masked = MASK;
  return masked === value ? op : { ...op, value: masked };
}

function maskEnvList(env: unknown[]): unknown[] {
  return mapArray(env, (entry) =>
    isRecord(entry) && entry.value !== undefined && entry.value !== null && entry.value !== ''
      ? { ...entry, value: MASK }
      : entry,
  );
}
