// JSON text of a value read from JSON, at any nesting depth. JSON.stringify recurses and throws a RangeError
// on a few thousand levels, which JSON.parse accepts: a value someone nested that deep (an audit event with a
// hostile object) must still be written out as it came in, not dropped.

/**
 * JSON.stringify for values that came from JSON.parse (plain objects, arrays, strings, numbers, booleans, null),
 * compact or indented by `indent` spaces.
 */
export function jsonText(value: unknown, indent = 0): string {
  if (indent > 0) return indentedText(value, indent);
  try {
    return JSON.stringify(value);
  } catch (error) {
    if (!(error instanceof RangeError)) throw error;
    return jsonTextIterative(value);
  }
}

/**
 * Indentation grows with the square of the nesting depth: an event nested a million deep fits in a few megabytes
 * compact and would need terabytes indented. Past eight times the compact size (real documents add well under
 * one time) the compact text is given instead.
 */
function indentedText(value: unknown, indent: number): string {
  const compact = jsonText(value);
  try {
    return jsonTextIterative(value, indent, compact.length * 8 + 65_536);
  } catch (error) {
    if (error instanceof RangeError) return compact;
    throw error;
  }
}

type Frame =
  | { kind: 'array'; items: readonly unknown[]; next: number }
  | { kind: 'object'; record: Record<string, unknown>; keys: string[]; next: number; written: number };

/** The same text, built with an explicit stack instead of recursion. */
export function jsonTextIterative(root: unknown, indent = 0, maxLength = Number.POSITIVE_INFINITY): string {
  const out: string[] = [];
  const stack: Frame[] = [];
  let length = 0;
  const write = (text: string): void => {
    length += text.length;
    if (length > maxLength) throw new RangeError(`JSON text longer than ${maxLength} characters`);
    out.push(text);
  };
  // As JSON.stringify indents: each member on its own line, closing brackets back one level, empty ones kept `{}`.
  const space = ' '.repeat(Math.min(10, Math.max(0, indent)));
  const newline = (depth: number): void => {
    if (space !== '') write(`\n${space.repeat(depth)}`);
  };
  const separator = space === '' ? ':' : ': ';
  // Writes a scalar, or opens a container (its members follow from the loop below).
  const open = (value: unknown): void => {
    if (Array.isArray(value)) {
      write('[');
      stack.push({ kind: 'array', items: value, next: 0 });
    } else if (value !== null && typeof value === 'object') {
      write('{');
      const record = value as Record<string, unknown>;
      stack.push({ kind: 'object', record, keys: Object.keys(record), next: 0, written: 0 });
    } else write(JSON.stringify(value) ?? 'null');
  };
  open(root);
  while (stack.length > 0) {
    const frame = stack[stack.length - 1]!;
    if (frame.kind === 'array') {
      if (frame.next === frame.items.length) {
        stack.pop();
        if (frame.next > 0) newline(stack.length);
        write(']');
        continue;
      }
      if (frame.next > 0) write(',');
      newline(stack.length);
      const item = frame.items[frame.next++];
      // As JSON.stringify writes them inside arrays.
      open(item === undefined || typeof item === 'function' || typeof item === 'symbol' ? null : item);
      continue;
    }
    if (frame.next === frame.keys.length) {
      stack.pop();
      if (frame.written > 0) newline(stack.length);
      write('}');
      continue;
    }
    const key = frame.keys[frame.next++]!;
    const member = frame.record[key];
    // As JSON.stringify leaves them out of objects.
    if (member === undefined || typeof member === 'function' || typeof member === 'symbol') continue;
    if (frame.written++ > 0) write(',');
    newline(stack.length);
    write(JSON.stringify(key));
    write(separator);
    open(member);
  }
  return out.join('');
}
