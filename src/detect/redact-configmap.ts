// ConfigMaps in the masked view of an event: credentials put in them (Falco's configmap rule looks for exactly
// that) must not be carried on into alerts. `data` values are masked where they look like credentials: a JSON
// document by its keys, any other text (properties, INI, YAML, XML) by the text masking of secret-mask.ts, applied
// to the raw value, whose real line breaks end each `key = value`. `binaryData` values are base64: text is decoded,
// masked the same way and encoded again; bytes that are not text (a keystore, a DER key) are masked whole, as no
// masking can see into them. Both are masked in objects, lists, JSON-patch values and kubectl's
// last-applied-configuration annotation, which repeats the object.
import { isRecord } from '../core/kube-object.ts';
import { mapArray, mapRecord } from './copy-on-write.ts';
import { CREDENTIAL_WORDS, MASK, maskSecrets, SENSITIVE_KEY } from './secret-mask.ts';

const MAX_DEPTH = 64;
const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

/** A ConfigMap request or response (an object, a list, a merge patch or a JSON patch) with its credentials masked. */
export function maskConfigMapObject(value: unknown): unknown {
  if (Array.isArray(value)) return mapArray(value, maskPatchOperation);
  if (!isRecord(value)) return value;
  return mapRecord(value, (key, item) => {
    if (key === 'data') return maskDataMap(item);
    if (key === 'binaryData') return maskBinaryDataMap(item);
    if (key === 'items' && Array.isArray(item)) return mapArray(item, maskConfigMapObject);
    if (key === 'metadata') return maskLastApplied(item);
    return item;
  });
}

function maskDataMap(data: unknown): unknown {
  return isRecord(data)
    ? mapRecord(data, (key, text) => (typeof text === 'string' ? maskDataEntry(key, text) : text))
    : data;
}

/** A one-line value under a key naming a credential (`password: hunter2`) is the credential itself. */
function maskDataEntry(key: string, text: string): string {
  if (CREDENTIAL_KEY.test(key) && text.trim() !== '' && !text.trim().includes('\n')) return MASK;
  return maskDataValue(text);
}

function maskBinaryDataMap(data: unknown): unknown {
  return isRecord(data)
    ? mapRecord(data, (_, text) => (typeof text === 'string' ? maskBinaryDataValue(text) : text))
    : data;
}

/** A JSON-patch operation with its value masked as what it replaces would be. */
function maskPatchOperation(operation: unknown): unknown {
  if (!isRecord(operation) || typeof operation.path !== 'string' || !('value' in operation)) return operation;
  const value = operation.value;
  const masked = maskPatchValue(operation.path, value);
  return masked === value ? operation : { ...operation, value: masked };
}

const LAST_APPLIED_POINTER = `/metadata/annotations/${LAST_APPLIED.replace('/', '~1')}`;

/** By where the pointer leads: the whole object, its metadata, `data`/`binaryData`, one key of either, the annotation. */
function maskPatchValue(pointer: string, value: unknown): unknown {
  const tokens = pointer.split('/');
  const field = tokens[1];
  if (pointer === '') return maskConfigMapObject(value);
  if (tokens.length === 2)
    return field === 'data'
      ? maskDataMap(value)
      : field === 'binaryData'
        ? maskBinaryDataMap(value)
        : field === 'metadata'
          ? maskLastApplied(value)
          : value;
  // The whole annotations map, the last-applied copy of the object among them.
  if (pointer === '/metadata/annotations' && isRecord(value)) {
    const masked = maskLastApplied({ annotations: value });
    return isRecord(masked) ? masked.annotations : value;
  }
  if (typeof value !== 'string') return value;
  if (pointer === LAST_APPLIED_POINTER) return maskLastAppliedText(value);
  if (tokens.length !== 3) return value;
  return field === 'data'
    ? maskDataEntry(tokens[2]!.replaceAll('~1', '/').replaceAll('~0', '~'), value)
    : field === 'binaryData'
      ? maskBinaryDataValue(value)
      : value;
}

/** kubectl's last-applied-configuration annotation is the applied object as JSON text: masked as the object is. */
function maskLastApplied(metadata: unknown): unknown {
  if (!isRecord(metadata) || !isRecord(metadata.annotations)) return metadata;
  const text = metadata.annotations[LAST_APPLIED];
  if (typeof text !== 'string') return metadata;
  const masked = maskLastAppliedText(text);
  return masked === text
    ? metadata
    : { ...metadata, annotations: { ...metadata.annotations, [LAST_APPLIED]: masked } };
}

function maskLastAppliedText(text: string): string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return maskSecrets(text);
  }
  const masked = maskConfigMapObject(parsed);
  return masked === parsed ? text : JSON.stringify(masked);
}

/** A data value with its credentials masked: a JSON document by its keys, any other text by the text masking. */
function maskDataValue(text: string): string {
  const trimmed = text.trimStart();
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      return maskSecrets(text);
    }
    const masked = maskSensitiveKeys(parsed, 0);
    return masked === parsed ? text : JSON.stringify(masked);
  }
  return maskSecrets(maskCredentialLines(text));
}

// Keys whose value is a credential in properties, INI, env and YAML text (`auth` is left out: author, oauth-url).
const CREDENTIAL_KEY = new RegExp(CREDENTIAL_WORDS, 'i');
// A YAML block scalar header (`|`, `>-`, `|2+`...): the value is on the more indented lines after it.
const BLOCK_SCALAR = /^[|>][-+0-9]{0,2}\s*(?:#.*)?$/;

/**
 * Line by line, where real line breaks end each value: the whole rest of a `key = value` / `key: value` line
 * under a credential key (the text masking stops a bare value at white space: `db.password=correct horse`), and
 * every line of a YAML block scalar under one. One pass, each line looked at once.
 */
function maskCredentialLines(text: string): string {
  const lines = text.split('\n');
  let blockIndent = -1;
  let changed = false;
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index]!;
    const body = line.trimStart();
    const indent = line.length - body.length;
    const cr = line.endsWith('\r') ? '\r' : '';
    if (blockIndent >= 0) {
      if (body.trim() === '') continue;
      if (indent > blockIndent) {
        lines[index] = `${line.slice(0, indent)}${MASK}${cr}`;
        changed = true;
        continue;
      }
      blockIndent = -1;
    }
    const separator = body.search(/[=:]/);
    if (separator <= 0) continue;
    const key = body
      .slice(0, separator)
      .trim()
      .replace(/^(?:- |export )/, '')
      .replace(/^["']|["']$/g, '');
    if (key === '' || /\s/.test(key) || !CREDENTIAL_KEY.test(key)) continue;
    const value = body.slice(separator + 1).trim();
    if (value === '') continue;
    if (BLOCK_SCALAR.test(value)) {
      blockIndent = indent;
      continue;
    }
    lines[index] = `${line.slice(0, indent + separator + 1)} ${MASK}${cr}`;
    changed = true;
  }
  return changed ? lines.join('\n') : text;
}

const UTF8 = new TextDecoder('utf-8', { fatal: true });

/** A binaryData value: decoded text masked as a data value and encoded again; anything else masked whole. */
function maskBinaryDataValue(base64: string): string {
  const text = textOf(Buffer.from(base64, 'base64'));
  if (text === undefined) return base64 === '' ? base64 : MASK;
  const masked = maskDataValue(text);
  return masked === text ? base64 : Buffer.from(masked, 'utf8').toString('base64');
}

/** The bytes as text, or undefined when they are not UTF-8 or hold control characters other than white space. */
function textOf(bytes: Buffer): string | undefined {
  let text: string;
  try {
    text = UTF8.decode(bytes);
  } catch {
    return undefined;
  }
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if ((code < 0x20 && code !== 0x09 && code !== 0x0a && code !== 0x0d) || code === 0x7f) return undefined;
  }
  return text;
}

/** A value under a credential-looking key: itself when a scalar, each scalar item when a list. */
function maskSensitiveValue(item: unknown): unknown {
  if (item === null || item === '') return item;
  if (typeof item !== 'object') return MASK;
  if (Array.isArray(item))
    return mapArray(item, (entry) =>
      entry !== null && entry !== '' && typeof entry !== 'object' ? MASK : entry,
    );
  return undefined;
}

function maskSensitiveKeys(value: unknown, depth: number): unknown {
  if (depth > MAX_DEPTH) return MASK;
  if (Array.isArray(value)) return mapArray(value, (item) => maskSensitiveKeys(item, depth + 1));
  if (!isRecord(value)) return value;
  // A name/value list entry (`{"name": "DB_PASSWORD", "value": "..."}`) is named by its name field.
  if (typeof value.name === 'string' && SENSITIVE_KEY.test(value.name) && 'value' in value) {
    const masked = maskSensitiveValue(value.value);
    if (masked !== undefined && masked !== value.value) return { ...value, value: masked };
  }
  return mapRecord(value, (key, item) => {
    if (SENSITIVE_KEY.test(key)) {
      const masked = maskSensitiveValue(item);
      if (masked !== undefined) return masked;
    }
    return maskSensitiveKeys(item, depth + 1);
  });
}
