// How deep a YAML text nests, found without recursion: the `yaml` package composes documents recursively and
// reports a deeply nested one only as a stack overflow, somewhere in it.
import { type CST, LineCounter, Parser } from 'yaml';

/** Far deeper than any configuration file needs, far shallower than what exhausts the YAML composer's stack. */
export const MAX_YAML_NESTING = 64;

/**
 * Line and column (1-based) of the first collection nested deeper than `maxDepth`, or undefined. The concrete
 * syntax tree is walked here with an explicit stack; where building it overflows (thousands of compact `- - -`
 * levels) or would take seconds (runaway brackets), the answer is where those start.
 */
export function tooDeepYamlAt(
  text: string,
  maxDepth = MAX_YAML_NESTING,
): { line: number; column: number } | undefined {
  const lines = new LineCounter();
  const pending: { token: CST.Token; depth: number }[] = [];
  // The parser takes seconds over a million nested brackets; far fewer already settle it.
  const bracket = runawayBracketAt(text);
  if (bracket !== undefined) return positionOf(text, bracket);
  try {
    for (const token of new Parser(lines.addNewLine).parse(text)) pending.push({ token, depth: 0 });
  } catch (error) {
    // The parser recurses as it closes thousands of compact block sequences (`- - - …`) and overflows.
    if (!(error instanceof RangeError)) throw error;
    const compact = /(?:[-?:][ \t]+){64}/.exec(text);
    return positionOf(text, compact?.index ?? 0);
  }
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

/** Brackets opened and not closed past which no YAML is a configuration: 10,000, far above MAX_YAML_NESTING. */
const RUNAWAY_BRACKETS = 10_000;

/**
 * Offset of the bracket that leaves more than RUNAWAY_BRACKETS open, or undefined. Quotes and comments are not
 * told apart: the bound is so far above real nesting that brackets in text cannot reach it.
 */
function runawayBracketAt(text: string): number | undefined {
  let open = 0;
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if (code === 0x5b || code === 0x7b) {
      if (++open > RUNAWAY_BRACKETS) return index;
    } else if ((code === 0x5d || code === 0x7d) && open > 0) open--;
  }
  return undefined;
}

function positionOf(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let start = 0;
  for (
    let index = text.indexOf('\n');
    index !== -1 && index < offset;
    index = text.indexOf('\n', index + 1)
  ) {
    line++;
    start = index + 1;
  }
  return { line, column: offset - start + 1 };
}
