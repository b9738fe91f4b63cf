// js-yaml shares aliased values instead of copying them, so a "billion laughs" document parses in linear
// memory; walking it would not. Count the nodes a full walk would visit, and the characters of text it would
// read (an alias of a one-megabyte string is one node, but every rule that reads strings reads it again), each
// with a budget, before anyone walks it.

export type ExpansionProblem = 'budget' | 'size' | 'depth' | 'cycle';

/** The first limit a full walk of `root` would break, or undefined when it stays within them. */
export function checkExpansion(
  root: unknown,
  maxNodes: number,
  maxDepth: number,
  maxChars = Number.POSITIVE_INFINITY,
): ExpansionProblem | undefined {
  let nodes = 0;
  let chars = 0;
  const onPath = new Set<object>();
  // Recursion is bounded by maxDepth, so the stack stays small.
  const visit = (value: unknown, depth: number): ExpansionProblem | undefined => {
    if (++nodes > maxNodes) return 'budget';
    if (typeof value === 'string') {
      chars += value.length;
      if (chars > maxChars) return 'size';
    }
    if (typeof value !== 'object' || value === null) return undefined;
    if (depth > maxDepth) return 'depth';
    if (onPath.has(value)) return 'cycle';
    onPath.add(value);
    if (!Array.isArray(value)) for (const key of Object.keys(value)) chars += key.length;
    for (const child of Array.isArray(value) ? value : Object.values(value)) {
      const problem = visit(child, depth + 1);
      if (problem) return problem;
    }
    onPath.delete(value);
    return undefined;
  };
  return visit(root, 0);
}
