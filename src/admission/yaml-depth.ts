// How deep a YAML text nests, found without recursion: the `yaml` package composes documents recursively and
// reports a deeply nested one only as a stack overflow, somewhere in it.
import { type CST, LineCounter, Parser } from 'yaml';

/** Far deeper than any configuration file needs, far shallower than what exhausts the YAML composer's stack. */
export const MAX_YAML_NESTING = 64;

/**
 * Line and column (1-based) of the first collection nested deeper than `maxDepth`, or undefined. The concrete
 * syntax tree is built without recursion and walked here with an explicit stack, so this cannot overflow.
 */
export function tooDeepYamlAt(
  text: string,
  maxDepth = MAX_YAML_NESTING,
): { line: number; column: number } | undefined {
  const lines = new LineCounter();
  const pending: { token: CST.Token; depth: number }[] = [];
  for (const token of new Parser(lines.addNewLine).parse(text)) pending.push({ token, depth: 0 });
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    const { token, depth } = next;
    if (token.type === 'document') {
      if (token.value) pending.push({ token: token.value, depth });
      continue;
    }
    if (token.type !== 'block-map' && token.type !== 'block-seq' && token.type !== 'flow-collection')
      continue;
    if (depth >= maxDepth) {
      const { line, col } = lines.linePos(token.offset);
      return { line, column: col };
    }
    for (const item of token.items) {
      if (item.key) pending.push({ token: item.key, depth: depth + 1 });
      if (item.value) pending.push({ token: item.value, depth: depth + 1 });
    }
  }
  return undefined;
}
