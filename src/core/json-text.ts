// JSON text of a value read from JSON, at any nesting depth. JSON.stringify recurses and throws a RangeError
// on a few thousand levels, which JSON.parse accepts: a value someone nested that deep (an audit event with a
// hostile object) must still be written out as it came in, not dropped.

/** JSON.stringify for values that came from JSON.parse (plain objects, arrays, strings, numbers, booleans, null). */
export function jsonText(value: unknown): string {
  try {
    return JSON.stringify(value);
  } catch (error) {
    if (!(error instanceof RangeError)) throw error;
    return jsonTextIterative(value);
  }
}

type Frame =
  | { kind: 'array'; items: readonly unknown[]; next: number }
  | { kind: 'object'; record: Record<string, unknown>; keys: string[]; next: number; written: number };

/** The same text, built with an explicit stack instead of recursion. */
export function jsonTextIterative(root: unknown): string {
  const out: string[] = [];
  const stack: Frame[] = [];
  // Writes a scalar, or opens a container (its members follow from the loop below).
  const open = (value: unknown): void => {
    if (Array.isArray(value)) {
      out.push('[');
      stack.push({ kind: 'array', items: value, next: 0 });
    } else if (value !== null && typeof value === 'object') {
      out.push('{');
      const record = value as Record<string, unknown>;
      stack.push({ kind: 'object', record, keys: Object.keys(record), next: 0, written: 0 });
    } else out.push(JSON.stringify(value) ?? 'null');
  };
  open(root);
  while (stack.length > 0) {
    const frame = stack[stack.length - 1]!;
    if (frame.kind === 'array') {
      if (frame.next === frame.items.length) {
        out.push(']');
        stack.pop();
        continue;
      }
      if (frame.next > 0) out.push(',');
      const item = frame.items[frame.next++];
      // As JSON.stringify writes them inside arrays.
      open(item === undefined || typeof item === 'function' || typeof item === 'symbol' ? null : item);
      continue;
    }
    if (frame.next === frame.keys.length) {
      out.push('}');
      stack.pop();
      continue;
    }
    const key = frame.keys[frame.next++]!;
    const member = frame.record[key];
    // As JSON.stringify leaves them out of objects.
    if (member === undefined || typeof member === 'function' || typeof member === 'symbol') continue;
    if (frame.written++ > 0) out.push(',');
    out.push(JSON.stringify(key), ':');
    open(member);
  }
  return out.join('');
}
