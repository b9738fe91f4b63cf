// The smallest practical RFC 6902 patch from one JSON document to another: field-level adds, replaces and removes,
// appends and trailing removals in lists, and a whole-list replace only when items moved.
import { fromPointer, type JsonPatchOperation, toPointer } from '../core/json-patch.ts';
import { isRecord } from '../core/kube-object.ts';
import { jsonEqual } from './json-equal.ts';

export function diffJson(from: unknown, to: unknown): JsonPatchOperation[] {
  const operations: JsonPatchOperation[] = [];
  diffInto(from, to, [], operations, true);
  return operations;
}

/**
 * The first operation of `diffJson(from, to)` that changes something that was there: a replace, a remove, or an
 * item added to a non-empty list of plain values (which the user wrote as a whole). Other adds are neither built
 * nor kept, and the walk stops at the first hit (mutation asks this of every fix).
 */
export function firstOverride(from: unknown, to: unknown): JsonPatchOperation | undefined {
  const operations: JsonPatchOperation[] = [];
  diffInto(from, to, [], operations, false);
  return operations[0];
}

/**
 * False when applying `operations` to `from` cannot change anything that was there, so that firstOverride of the
 * result is certainly undefined: every operation adds a key its object lacks, or builds inside what an earlier one
 * added. True (the walk must decide) for any replace or remove, and for an add at a key that exists (null included)
 * or into an existing list. Mutation asks this before each fix's walk; most fixes only add what is missing.
 */
export function mayOverride(from: unknown, operations: readonly JsonPatchOperation[]): boolean {
  for (const operation of operations) {
    if (operation.op === 'test') continue;
    if (operation.op !== 'add') return true;
    const parts = fromPointer(operation.path);
    if (parts.length === 0) return true;
    let parent: unknown = from;
    for (let depth = 0; depth < parts.length - 1 && parent !== undefined; depth++) {
      const part = parts[depth] as string;
      parent = Array.isArray(parent)
        ? parent[Number(part)]
        : isRecord(parent) && Object.hasOwn(parent, part)
          ? parent[part]
          : undefined;
    }
    // Not in `from`: the operation builds inside something added before it.
    if (parent === undefined) continue;
    if (!isRecord(parent) || Object.hasOwn(parent, parts[parts.length - 1] as string)) return true;
  }
  return false;
}

// Mutation diffs objects that share every untouched subtree (copy-on-write patching), so identical references are
// skipped before anything is compared or allocated; `path` is one stack, copied only when an operation is emitted.
function diffInto(
  from: unknown,
  to: unknown,
  path: (string | number)[],
  out: JsonPatchOperation[],
  adds: boolean,
): void {
  if (from === to || (!adds && out.length > 0)) return;
  if (isRecord(from) && isRecord(to)) {
    for (const key in from)
      if (Object.hasOwn(from, key) && !Object.hasOwn(to, key)) {
        out.push({ op: 'remove', path: pointerTo(path, key) });
        if (!adds) return;
      }
    for (const key in to) {
      if (!Object.hasOwn(to, key)) continue;
      const value = to[key];
      if (!Object.hasOwn(from, key)) {
        if (adds) out.push({ op: 'add', path: pointerTo(path, key), value });
      } else if (!adds && from[key] === null) {
        // A null field is not a value the user set: the API server decodes it as unset (Helm's empty
        // `securityContext:`), and a default may fill it.
      } else if (from[key] !== value) {
        path.push(key);
        diffInto(from[key], value, path, out, adds);
        path.pop();
        if (!adds && out.length > 0) return;
      }
    }
    return;
  }
  if (Array.isArray(from) && Array.isArray(to)) {
    const shared = Math.min(from.length, to.length);
    let samePrefix = true;
    for (let index = 0; index < shared && samePrefix; index++)
      // The cheap test first: two objects are walked below anyway, and comparing them whole here would walk twice.
      samePrefix = (isRecord(from[index]) && isRecord(to[index])) || jsonEqual(from[index], to[index]);
    if (samePrefix) {
      for (let index = 0; index < shared; index++) {
        if (from[index] === to[index]) continue;
        path.push(index);
        diffInto(from[index], to[index], path, out, adds);
        path.pop();
        if (!adds && out.length > 0) return;
      }
      if (adds)
        for (let index = shared; index < to.length; index++)
          out.push({ op: 'add', path: pointerTo(path, index), value: to[index] });
      // A list of plain values the user wrote (capabilities.drop: [NET_RAW]) is one decision: growing it changes it.
      // A list of objects (containers, volumes) grows by items of their own.
      else if (
        to.length > shared &&
        shared > 0 &&
        from.every((item) => !isRecord(item) && !Array.isArray(item))
      ) {
        out.push({ op: 'add', path: pointerTo(path, shared), value: to[shared] });
        return;
      }
      // Removed from the end backwards, so that each index is still valid when its operation applies.
      for (let index = from.length - 1; index >= shared; index--)
        out.push({ op: 'remove', path: pointerTo(path, index) });
      return;
    }
  }
  if (jsonEqual(from, to)) return;
  out.push({ op: 'replace', path: toPointer(path), value: to });
}

function pointerTo(path: readonly (string | number)[], last: string | number): string {
  return toPointer([...path, last]);
}
