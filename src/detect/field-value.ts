import { jsonText as deepJsonText } from '../core/json-text.ts';

// What a field extracts: nothing (not available), one string, one number, or a list of strings.
export type FieldValue = undefined | string | number | readonly string[];

/** JSON values as field text, as Falco's k8saudit plugin renders them: strings as they are, anything else as compact JSON. */
export function jsonText(value: unknown): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'string') return value;
  // Iterative beyond JSON.stringify's recursion limit: a value nested thousands deep still has a text.
  return deepJsonText(value);
}

/** Text of a value in alert output: lists as `(a,b)`, missing values as `<NA>` (Falco's rendering). */
export function displayText(value: FieldValue): string {
  if (value === undefined) return '<NA>';
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return String(value);
  return `(${value.join(',')})`;
}
