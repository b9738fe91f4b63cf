// The smallest practical RFC 6902 patch from one JSON document to another: field-level adds, replaces and removes,
// appends and trailing removals in lists, and a whole-list replace only when items moved.
import { type JsonPatchOperation, toPointer } from '../core/json-patch.ts';
import { isRecord } from '../core/kube-object.ts';
import { jsonEqual } from './json-equal.ts';

export function diffJson(from: unknown, to: unknown): JsonPatchOperation[] {
  const operations: JsonPatchOperation[] = [];
  diffInto(from, to, [], operations);
  return operations;
}

function diffInto(from: unknown, to: unknown, path: (string | number)[], out: JsonPatchOperation[]): void {
  if (jsonEqual(from, to)) return;
  if (isRecord(from) && isRecord(to)) {
    for (const key of Object.keys(from))
      if (!Object.hasOwn(to, key)) out.push({ op: 'remove', path: toPointer([...path, key]) });
    for (const [key, value] of Object.entries(to)) {
      if (!Object.hasOwn(from, key)) out.push({ op: 'add', path: toPointer([...path, key]), value });
      else diffInto(from[key], value, [...path, key], out);
    }
    return;
  }
  if (Array.isArray(from) && Array.isArray(to)) {
    const shared = Math.min(from.length, to.length);
    let samePrefix = true;
    for (let index = 0; index < shared && samePrefix; index++)
      samePrefix = jsonEqual(from[index], to[index]) || (isRecord(from[index]) && isRecord(to[index]));
    if (samePrefix) {
      for (let index = 0; index < shared; index++) diffInto(from[index], to[index], [...path, index], out);
      for (let index = shared; index < to.length; index++)
        out.push({ op: 'add', path: toPointer([...path, index]), value: to[index] });
      // Removed from the end backwards, so that each index is still valid when its operation applies.
      for (let index = from.length - 1; index >= shared; index--)
        out.push({ op: 'remove', path: toPointer([...path, index]) });
      return;
    }
  }
  out.push({ op: 'replace', path: toPointer(path), value: to });
}
