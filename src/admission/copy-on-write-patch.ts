// RFC 6902 add/replace/remove/test applied by copying only the containers on each operation's path: untouched
// subtrees stay shared (and identical by reference), so applying a fix to a large pod (managedFields, status) and
// diffing the result cost little. Same semantics as core/json-patch.ts applyPatch, which deep-copies everything.
import { fromPointer, type JsonPatchOperation } from '../core/json-patch.ts';
import { isRecord } from '../core/kube-object.ts';
import { jsonEqual } from './json-equal.ts';

function arrayIndex(part: string, length: number, allowEnd: boolean): number {
  if (part === '-' && allowEnd) return length;
  if (!/^(0|[1-9][0-9]*)$/.test(part)) throw new Error(`bad array index "${part}"`);
  const index = Number(part);
  if (index > length || (!allowEnd && index === length)) throw new Error(`array index ${index} out of range`);
  return index;
}

/**
 * A shallow copy of `node` with `part` set to `value`. Copy, then assign: V8 builds this twice as fast as
 * `{ ...node, [part]: value }`. An own `__proto__` key is defined, not assigned, so it never sets the prototype.
 */
function withField(node: Record<string, unknown>, part: string, value: unknown): Record<string, unknown> {
  const copy = { ...node };
  if (part === '__proto__')
    Object.defineProperty(copy, part, { value, enumerable: true, writable: true, configurable: true });
  else copy[part] = value;
  return copy;
}

function applyAt(
  node: unknown,
  parts: readonly string[],
  depth: number,
  operation: JsonPatchOperation,
): unknown {
  const part = parts[depth] as string;
  const last = depth === parts.length - 1;
  if (Array.isArray(node)) {
    const copy = [...node];
    if (!last) {
      const index = arrayIndex(part, node.length, false);
      copy[index] = applyAt(node[index], parts, depth + 1, operation);
      return copy;
    }
    if (operation.op === 'add') copy.splice(arrayIndex(part, node.length, true), 0, operation.value);
    else if (operation.op === 'replace') copy[arrayIndex(part, node.length, false)] = operation.value;
    else if (operation.op === 'remove') copy.splice(arrayIndex(part, node.length, false), 1);
    return copy;
  }
  if (!isRecord(node)) throw new Error(`path ${operation.path} does not exist`);
  if (!last) {
    if (!Object.hasOwn(node, part)) throw new Error(`path ${operation.path} does not exist`);
    return withField(node, part, applyAt(node[part], parts, depth + 1, operation));
  }
  if (operation.op !== 'add' && !Object.hasOwn(node, part))
    throw new Error(`path ${operation.path} does not exist`);
  if (operation.op === 'remove') {
    const { [part]: _removed, ...rest } = node;
    return rest;
  }
  return withField(node, part, operation.value);
}

// Patch values are plain JSON (rule fixes build them): a recursive copy is several times cheaper than
// structuredClone for the small values fixes add; anything else still goes through structuredClone.
function copyJson(value: unknown): unknown {
  if (typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) return value.map(copyJson);
  if (Object.getPrototypeOf(value) !== Object.prototype) return structuredClone(value);
  const copy: Record<string, unknown> = {};
  // An own `__proto__` key (JSON.parse makes one) must stay a plain property, not set the prototype.
  for (const [key, field] of Object.entries(value))
    if (key === '__proto__')
      Object.defineProperty(copy, key, {
        value: copyJson(field),
        enumerable: true,
        writable: true,
        configurable: true,
      });
    else copy[key] = copyJson(field);
  return copy;
}

function valueAt(document: unknown, parts: readonly string[]): unknown {
  let current = document;
  for (const part of parts)
    current = Array.isArray(current) ? current[Number(part)] : isRecord(current) ? current[part] : undefined;
  return current;
}

/** Applies `operations` to `document` without changing it; throws on a path that does not exist (RFC 6902). */
export function applyPatchSharing<T>(document: T, operations: readonly JsonPatchOperation[]): T {
  let root: unknown = document;
  for (const operation of operations) {
    const parts = fromPointer(operation.path);
    if (operation.op === 'test') {
      if (!jsonEqual(valueAt(root, parts), operation.value))
        throw new Error(`test failed at ${operation.path}`);
      continue;
    }
    if (parts.length === 0) {
      if (operation.op === 'remove') throw new Error('cannot remove the document root');
      root = operation.value;
      continue;
    }
    // Values from a patch are copied once, so the result never aliases the patch's objects.
    const owned = 'value' in operation ? { ...operation, value: copyJson(operation.value) } : operation;
    root = applyAt(root, parts, 0, owned);
  }
  return root as T;
}
