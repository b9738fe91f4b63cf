// A tiny type language for the fields rules read, and a checker that reports where a value has the wrong type.
import { type FieldPath, isRecord } from '../core/kube-object.ts';

export type Shape =
  | 'string'
  | 'boolean'
  | 'integer'
  | 'int-or-string'
  | 'quantity'
  | { object: Readonly<Record<string, Shape>> }
  | { array: Shape }
  | { map: Shape };

export const object = (fields: Record<string, Shape>): Shape => ({ object: fields });
export const array = (items: Shape): Shape => ({ array: items });
export const map = (values: Shape): Shape => ({ map: values });

export interface ShapeError {
  path: FieldPath;
  expected: string;
  /** The offending value, described: `string "yes"`, `array`, `number 1.5`. */
  actual: string;
}

function describeExpected(shape: Shape): string {
  if (typeof shape === 'string') {
    if (shape === 'int-or-string') return 'an integer or a string';
    if (shape === 'quantity') return 'a quantity that is not negative, such as 250m, 0.5, 128Mi or 1G';
    return shape === 'integer' ? 'an integer' : `a ${shape}`;
  }
  if ('array' in shape) return 'a list';
  return 'a mapping';
}

/**
 * The type of a wrong value, never the value: a wrongly typed field may hold a secret (an unquoted numeric PIN in a
 * Secret's data), and reports go to CI logs. The position points the user at the value.
 */
function describeActual(value: unknown): string {
  if (Array.isArray(value)) return 'a list';
  if (value === null) return 'null';
  // `!!binary` loads as bytes; Kubernetes reads binary only in a Secret's `data`, as base64 text.
  if (value instanceof Uint8Array) return 'binary data (a !!binary value)';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'number')
    return isInt64(value)
      ? 'an integer'
      : Number.isInteger(value)
        ? 'an integer beyond the 64-bit range'
        : 'a number';
  return `a ${typeof value}`;
}

/**
 * An integer the API server can decode: Kubernetes integers are int32 or int64, and a larger one fails to decode.
 * (2^63 - 1 reads as the double 2^63, so the bound is inclusive.)
 */
function isInt64(value: number): boolean {
  return Number.isInteger(value) && Math.abs(value) <= 2 ** 63;
}

function matchesScalar(shape: string, value: unknown): boolean {
  switch (shape) {
    case 'string':
      return typeof value === 'string';
    case 'boolean':
      return typeof value === 'boolean';
    case 'integer':
      return typeof value === 'number' && isInt64(value);
    case 'int-or-string':
      return typeof value === 'string' || (typeof value === 'number' && isInt64(value));
    default:
      return isQuantity(value);
  }
}

/**
 * The API server's quantity grammar: a signed decimal number, then a binary (Ki..Ei) or decimal (n, u, m, k..E)
 * suffix or an exponent (e3). Requests, limits and sizes must not be negative, and the only quantities rules read
 * are those, so a negative one is refused here too.
 */
const QUANTITY = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[KMGTPE]i|[numkMGTPE]|[eE][+-]?\d+)?$/;

function isQuantity(value: unknown): boolean {
  if (typeof value === 'number') return Number.isFinite(value) && value >= 0;
  if (typeof value !== 'string') return false;
  // A placeholder left for a template engine (`${GPUS}`, `<memory>`) is not the user's final value: not judged.
  if (/[${}<>]/.test(value)) return true;
  // `-0` is zero, which is allowed.
  return QUANTITY.test(value) && (value[0] !== '-' || Number.parseFloat(value) === 0);
}

function mismatch(value: unknown, shape: Shape, path: (string | number)[], errors: ShapeError[]): void {
  // The value itself is never quoted (see describeActual); a quantity is refused for its text or its sign.
  const actual =
    shape === 'quantity' && typeof value === 'string'
      ? 'a string that is not one'
      : shape === 'quantity' && typeof value === 'number' && value < 0
        ? 'a negative number'
        : describeActual(value);
  errors.push({ path: [...path], expected: describeExpected(shape), actual });
}

/**
 * A checker that appends to `errors` every place where a value does not have `shape`. `null` passes everywhere:
 * Kubernetes reads an explicit null as an absent optional field. Fields the shape does not name are not checked.
 * The shape is turned into one function per node once, rather than read again for every value.
 */
export type ShapeChecker = (value: unknown, path: (string | number)[], errors: ShapeError[]) => void;

export function compileShape(shape: Shape): ShapeChecker {
  if (typeof shape === 'string')
    return (value, path, errors) => {
      if (value !== null && value !== undefined && !matchesScalar(shape, value))
        mismatch(value, shape, path, errors);
    };
  if ('array' in shape) {
    const item = compileShape(shape.array);
    return (value, path, errors) => {
      if (value === null || value === undefined) return;
      if (!Array.isArray(value)) return mismatch(value, shape, path, errors);
      for (let i = 0; i < value.length; i++) {
        path.push(i);
        item(value[i], path, errors);
        path.pop();
      }
    };
  }
  if ('map' in shape) {
    const entry = compileShape(shape.map);
    return (value, path, errors) => {
      if (value === null || value === undefined) return;
      if (!isRecord(value)) return mismatch(value, shape, path, errors);
      for (const key in value) {
        path.push(key);
        entry(value[key], path, errors);
        path.pop();
      }
    };
  }
  const fields = Object.entries(shape.object).map(([key, field]) => ({ key, check: compileShape(field) }));
  return (value, path, errors) => {
    if (value === null || value === undefined) return;
    if (!isRecord(value)) return mismatch(value, shape, path, errors);
    for (const { key, check } of fields) {
      const field = value[key];
      if (field === undefined || field === null) continue;
      path.push(key);
      check(field, path, errors);
      path.pop();
    }
  };
}
