import { jsonText as deepJsonText } from '../core/json-text.ts';

// What a field extracts: nothing (not available), one string, one number, or a list of strings.
export type FieldValue = undefined | string | number | readonly string[];

/** JSON.rawJSON's result: a number JSON.stringify writes digit for digit (TypeScript's ES2023 library lacks it). */
export interface RawJsonNumber {
  readonly rawJSON: string;
}

/** A value in an alert's `output_fields`, as Falco's JSON output gives it: null when the field is not available. */
export type OutputFieldValue = string | number | null | readonly string[] | RawJsonNumber;

const rawJson = (JSON as unknown as { rawJSON: (text: string) => RawJsonNumber }).rawJSON;

/**
 * An integer for JSON output without rounding: nanosecond timestamps (about 1.7e18) are beyond the 2^53 a
 * JavaScript number holds exactly, and Falco writes them as 64-bit integers.
 */
export function exactInteger(value: bigint): number | RawJsonNumber {
  const asNumber = Number(value);
  return Number.isSafeInteger(asNumber) ? asNumber : rawJson(String(value));
}

/** JSON values as field text, as Falco's k8saudit plugin renders them: strings as they are, anything else as compact JSON. */
export function jsonText(value: unknown, indent = 0): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'string') return value;
  // Iterative beyond JSON.stringify's recursion limit: a value nested thousands deep still has a text.
  return deepJsonText(value, indent);
}

/** Text of a value in alert output: lists as `(a,b)`, missing values as `<NA>` (Falco's rendering). */
export function displayText(value: FieldValue): string {
  if (value === undefined) return '<NA>';
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return String(value);
  return `(${value.join(',')})`;
}
