// JSON Patch building for the rules' fixes: set one field, creating the objects on the way, and never replace
// a user's value of an unexpected shape.

import { type JsonPatchOperation, toPointer } from '../../core/json-patch.ts';
import { type FieldPath, getPath, isRecord } from '../../core/kube-object.ts';
import { isSet } from './pss-check-helpers.ts';

function nest(path: readonly string[], value: unknown): unknown {
  let out = value;
  for (let index = path.length - 1; index >= 0; index--) out = { [path[index] as string]: out };
  return out;
}

/**
 * Operations that set `field` (relative to the object at `base`) to `value`. Missing or null objects on the way
 * are created; when one is present but not an object, nothing is done (a human should look at it).
 */
export function setField(
  root: unknown,
  base: FieldPath,
  field: readonly string[],
  value: unknown,
): JsonPatchOperation[] {
  const start = getPath(root, base);
  if (!isRecord(start)) return [];
  let current: Record<string, unknown> = start;
  for (let index = 0; index < field.length - 1; index++) {
    const next: unknown = current[field[index] as string];
    if (!isSet(next))
      return [
        {
          op: 'add',
          path: toPointer([...base, ...field.slice(0, index + 1)]),
          value: nest(field.slice(index + 1), value),
        },
      ];
    if (!isRecord(next)) return [];
    current = next;
  }
  return [{ op: 'add', path: toPointer([...base, ...field]), value }];
}

/** Operations that append `item` to the list at `field` (relative to `base`), creating the list when missing. */
export function appendToList(
  root: unknown,
  base: FieldPath,
  field: readonly string[],
  item: unknown,
): JsonPatchOperation[] {
  const list = getPath(root, [...base, ...field]);
  if (Array.isArray(list)) return [{ op: 'add', path: toPointer([...base, ...field, '-']), value: item }];
  if (isSet(list)) return [];
  return setField(root, base, field, [item]);
}
