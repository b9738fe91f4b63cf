// Field transformers: tolower, toupper, b64 (decode), basename, len.
import type { FieldValue } from '../field-value.ts';

function mapText(value: FieldValue, map: (text: string) => string | undefined): FieldValue {
  if (value === undefined) return undefined;
  if (typeof value === 'string') return map(value);
  if (typeof value === 'number') return map(String(value));
  const out: string[] = [];
  for (const item of value) {
    const mapped = map(item);
    if (mapped !== undefined) out.push(mapped);
  }
  return out;
}

function decodeBase64(text: string): string | undefined {
  const compact = text.replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/_-]*={0,2}$/.test(compact)) return undefined;
  return Buffer.from(compact, 'base64').toString('utf8');
}

export function applyTransformer(name: string, value: FieldValue): FieldValue {
  switch (name) {
    case 'tolower':
      return mapText(value, (text) => text.toLowerCase());
    case 'toupper':
      return mapText(value, (text) => text.toUpperCase());
    case 'b64':
      return mapText(value, decodeBase64);
    case 'basename':
      return mapText(value, (text) => text.slice(text.lastIndexOf('/') + 1));
    case 'len':
      if (value === undefined) return undefined;
      if (typeof value === 'string') return value.length;
      if (typeof value === 'number') return String(value).length;
      return value.length;
    default:
      return undefined;
  }
}

/** The type a transformer chain yields, given the field's type. */
export function transformedType(
  type: 'string' | 'number',
  transformers: readonly string[],
): 'string' | 'number' {
  let current = type;
  for (const name of transformers) current = name === 'len' ? 'number' : 'string';
  return current;
}
