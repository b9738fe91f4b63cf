// js-yaml shares aliased values instead of copying them, so a "billion laughs" document parses in linear
// memory; walking it would not. Count the nodes a full walk would visit, with a budget, before anyone walks it.

export type ExpansionProblem = 'budget' | 'depth' | 'cycle';

/** The first limit a full walk of `root` would break, or undefined when it stays within both. */
export function checkExpansion(
  root: unknown,
  maxNodes: number,
  maxDepth: number,
): ExpansionProblem | undefined {
  let nodes = 0;
  const onPath = new Set<object>();
  // Recursion is bounded by maxDepth, so the stack stays small.
  const visit = (value: unknown, depth: number): ExpansionProblem | undefined => {
    if (++nodes > maxNodes) return 'budget';
    if (typeof value !== 'object' || value === null) return undefined;
    if (depth > maxDepth) return 'depth';
    if (onPath.has(value)) return 'cycle';
    onPath.add(value);
    for (const child of Array.isArray(value) ? value : Object.values(value)) {
      const problem = visit(child, depth + 1);
      if (problem) return problem;
    }
    onPath.delete(value);
    return undefined;
  };
  return visit(root, 0);
}
