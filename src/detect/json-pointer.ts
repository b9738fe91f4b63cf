// The JSON pointers of `jevt.value[...]` / `json.value[...]`, read as Falco's json plugin reads them: RFC 6901's
// `~1` and `~0` escapes and array indexes, with the leading `/` optional (`[user/username]` is `[/user/username]`)
// and no pointer refused (an unknown escape such as `~2` is kept as it is written).

/** The value the pointer leads to; undefined when a step is missing. */
export function resolvePointer(root: unknown, pointer: string): unknown {
  const path = pointer.startsWith('/') ? pointer.slice(1) : pointer;
  let current: unknown = root;
  for (const raw of path.split('/')) {
    const token = raw.replaceAll('~1', '/').replaceAll('~0', '~');
    if (Array.isArray(current)) {
      // As Go's strconv.Atoi reads an index: an optional sign and decimal digits, leading zeros allowed.
      if (!/^[+-]?\d+$/.test(token)) return undefined;
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
