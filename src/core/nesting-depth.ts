// Whether a parsed JSON value nests deeper than a limit, found with an explicit stack: JSON.parse builds values far
// deeper than rules, messages and serialisers can recurse into.

/** True when some array or object in `value` sits more than `maxDepth` levels down (the value itself is level 1). */
export function nestsDeeperThan(value: unknown, maxDepth: number): boolean {
  const pending: [unknown, number][] = [[value, 1]];
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    const [current, depth] = next;
    if (typeof current !== 'object' || current === null) continue;
    if (depth > maxDepth) return true;
    const children = Array.isArray(current) ? current : Object.values(current);
    for (const child of children)
      if (typeof child === 'object' && child !== null) pending.push([child, depth + 1]);
  }
  return false;
}
