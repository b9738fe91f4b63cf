// Small readers over the raw event JSON shared by the field extractors.
import { isRecord } from '../../core/kube-object.ts';
import { jsonText } from '../field-value.ts';

export function at(root: unknown, ...keys: string[]): unknown {
  let current = root;
  for (const key of keys) {
    if (!isRecord(current)) return undefined;
    current = current[key];
  }
  return current;
}

/** The value under keys as text; a JSON null is the text `null`, as the k8saudit plugin marshals it. */
export function textAt(root: unknown, ...keys: string[]): string | undefined {
  return jsonText(at(root, ...keys));
}

/** A JSON array as a list of texts; undefined when the value is not an array. */
export function textList(value: unknown): string[] | undefined {
  if (!Array.isArray(value)) return undefined;
  const out: string[] = [];
  for (const item of value) {
    const text = jsonText(item);
    if (text !== undefined && item !== null) out.push(text);
  }
  return out;
}

/** Parses an `index` argument: undefined means all elements; NaN means an invalid index. */
export function indexArg(arg: string | undefined): number | undefined {
  if (arg === undefined || arg === '') return undefined;
  return /^\d+$/.test(arg) ? Number(arg) : undefined;
}

/** Array under keys, narrowed to one element by an index argument; undefined when absent or out of range. */
export function arrayAt(root: unknown, arg: string | undefined, ...keys: string[]): unknown[] | undefined {
  const value = at(root, ...keys);
  if (!Array.isArray(value)) return undefined;
  const index = indexArg(arg);
  if (index === undefined) return value;
  return index < value.length ? [value[index]] : undefined;
}
