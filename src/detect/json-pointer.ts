// RFC 6901 JSON Pointer: `jevt.value[/annotations/authorization.k8s.io~1decision]`.

/** Resolves a pointer ("" is the whole document); undefined when any step is missing or the pointer is malformed. */
export function resolvePointer(root: unknown, pointer: string): unknown {
  if (pointer === '') return root;
  if (!pointer.startsWith('/')) return undefined;
  let current: unknown = root;
  for (const raw of pointer.slice(1).split('/')) {
    if (/~[^01]|~$/.test(raw)) return undefined;
    const token = raw.replaceAll('~1', '/').replaceAll('~0', '~');
    if (Array.isArray(current)) {
      if (!/^(0|[1-9]\d*)$/.test(token)) return undefined;
      current = current[Number(token)];
    } else if (current !== null && typeof current === 'object') {
      current = Object.hasOwn(current, token) ? (current as Record<string, unknown>)[token] : undefined;
    } else {
      return undefined;
    }
    if (current === undefined) return undefined;
  }
  return current;
}

/** True when the pointer text is syntactically valid (checked when a rule is compiled). */
export function isValidPointer(pointer: string): boolean {
  if (pointer === '') return true;
  return pointer.startsWith('/') && !/~[^01]|~$/.test(pointer.replaceAll('~0', '').replaceAll('~1', ''));
}
