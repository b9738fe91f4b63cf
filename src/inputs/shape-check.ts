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
    if (shape === 'quantity') return 'a quantity (string or number)';
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
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'number') return Number.isInteger(value) ? 'an integer' : 'a number';
  return `a ${typeof value}`;
}

function matchesScalar(shape: string, value: unknown): boolean {
  switch (shape) {
    case 'string':
      return typeof value === 'string';
    case 'boolean':
      return typeof value === 'boolean';
    case 'integer':
      return typeof value === 'number' && Number.isInteger(value);
    case 'int-or-string':
      return typeof value === 'string' || (typeof value === 'number' && Number.isInteger(value));
    default:
      return typeof value === 'string' || typeof value === 'number';
  }
}

function mismatch(value: unknown, shape: Shape, path: (string | number)[], errors: ShapeError[]): void {
  errors.push({ path: [...path], expected: describeExpected(shape), actual: describeActual(value) });
}

/**
 * Appends to `errors` every place where `value` does not have `shape`. `null` passes everywhere: Kubernetes
 * reads an explicit null as an absent optional field. Fields the shape does not name are not checked.
 */
export function checkShape(
  value: unknown,
  shape: Shape,
  path: (string | number)[],
  errors: ShapeError[],
): void {
  if (value === null || value === undefined) return;
  if (typeof shape === 'string') {
    if (!matchesScalar(shape, value)) mismatch(value, shape, path, errors);
    return;
  }
  if ('array' in shape) {
    if (!Array.isArray(value)) {
      mismatch(value, shape, path, errors);
      return;
    }
    for (let i = 0; i < value.length; i++) {
      path.push(i);
      checkShape(value[i], shape.array, path, errors);
      path.pop();
    }
    return;
  }
  if (!isRecord(value)) {
    mismatch(value, shape, path, errors);
    return;
  }
  if ('map' in shape) {
    for (const key in value) {
      path.push(key);
      checkShape(value[key], shape.map, path, errors);
      path.pop();
    }
    return;
  }
  for (const key in shape.object) {
    const field = value[key];
    if (field === undefined || field === null) continue;
    path.push(key);
    checkShape(field, shape.object[key] as Shape, path, errors);
    path.pop();
  }
}
