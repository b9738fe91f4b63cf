// RFC 6902 JSON Patch operations, as produced by rule fixes and the mutating webhook.

export type JsonPatchOperation =
  | { op: 'add'; path: string; value: unknown }
  | { op: 'replace'; path: string; value: unknown }
  | { op: 'remove'; path: string }
  | { op: 'test'; path: string; value: unknown };

/** RFC 6901 pointer from a field path. */
export function toPointer(path: readonly (string | number)[]): string {
  let pointer = '';
  for (const part of path) {
    const name = String(part);
    // Most names need no escape: skip the two replacements (mutation builds pointers on every request).
    pointer += `/${name.includes('~') || name.includes('/') ? name.replaceAll('~', '~0').replaceAll('/', '~1') : name}`;
  }
  return pointer;
}

/** Field names of an RFC 6901 pointer, unescaped. */
export function fromPointer(pointer: string): string[] {
  if (pointer === '') return [];
  if (!pointer.startsWith('/')) throw new Error(`invalid JSON pointer "${pointer}"`);
  const parts = pointer.slice(1).split('/');
  if (pointer.includes('~'))
    for (let index = 0; index < parts.length; index++)
      parts[index] = (parts[index] as string).replaceAll('~1', '/').replaceAll('~0', '~');
  return parts;
}

/** Applies a patch to a deep copy of `document`; throws on a path that does not exist, as RFC 6902 requires. */
export function applyPatch<T>(document: T, operations: readonly JsonPatchOperation[]): T {
  let root: unknown = structuredClone(document);
  for (const operation of operations) {
    const parts = fromPointer(operation.path);
    if (parts.length === 0) {
      if (operation.op === 'remove') throw new Error('cannot remove the document root');
      if (operation.op !== 'test') root = structuredClone(operation.value);
      continue;
    }
    const last = parts[parts.length - 1] as string;
    let parent: unknown = root;
    for (const part of parts.slice(0, -1)) {
      parent = Array.isArray(parent)
        ? parent[Number(part)]
        : (parent as Record<string, unknown> | undefined)?.[part];
      if (typeof parent !== 'object' || parent === null)
        throw new Error(`path ${operation.path} does not exist`);
    }
    if (Array.isArray(parent)) {
      const index = last === '-' ? parent.length : Number(last);
      if (!Number.isInteger(index) || index < 0 || index > parent.length)
        throw new Error(`bad array index in ${operation.path}`);
      if (operation.op === 'add') parent.splice(index, 0, structuredClone(operation.value));
      else if (operation.op === 'replace') parent[index] = structuredClone(operation.value);
      else if (operation.op === 'remove') parent.splice(index, 1);
    } else {
      const record = parent as Record<string, unknown>;
      if (operation.op === 'add') record[last] = structuredClone(operation.value);
      else if (operation.op === 'replace') {
        if (!Object.hasOwn(record, last)) throw new Error(`path ${operation.path} does not exist`);
        record[last] = structuredClone(operation.value);
      } else if (operation.op === 'remove') {
        if (!Object.hasOwn(record, last)) throw new Error(`path ${operation.path} does not exist`);
        delete record[last];
      }
    }
  }
  return root as T;
}
