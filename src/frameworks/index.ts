// The explicit registry of control catalogues.
import type { FrameworkId } from '../core/rule.ts';
import type { Framework } from './framework.ts';

export const frameworks: readonly Framework[] = [];

export function findFramework(id: FrameworkId): Framework | undefined {
  return frameworks.find((framework) => framework.id === id);
}
