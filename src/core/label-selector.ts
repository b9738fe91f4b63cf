// Kubernetes label selectors (metav1.LabelSelector and the map-only form of Services), matched as the API server does.
import { type FieldPath, isRecord } from './kube-object.ts';

export interface LabelSelectorRequirement {
  key: string;
  operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist';
  values?: string[];
}

export interface LabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: LabelSelectorRequirement[];
}

/**
 * True when `labels` satisfy the selector. An empty selector matches everything (as in NetworkPolicy podSelector);
 * a malformed selector matches nothing, since the API server would have refused it.
 */
export function matchesSelector(
  selector: LabelSelector | undefined,
  labels: Record<string, string> | undefined,
): boolean {
  if (selector === undefined || selector === null) return true;
  if (!isRecord(selector)) return false;
  const have = labels ?? {};
  // null is what an empty YAML value (`matchLabels:`, often a template that rendered nothing) reads as: omitted.
  if (selector.matchLabels !== undefined && selector.matchLabels !== null) {
    if (!isRecord(selector.matchLabels)) return false;
    for (const [key, value] of Object.entries(selector.matchLabels)) if (have[key] !== value) return false;
  }
  if (selector.matchExpressions !== undefined && selector.matchExpressions !== null) {
    if (!Array.isArray(selector.matchExpressions)) return false;
    for (const requirement of selector.matchExpressions)
      if (!matchesRequirement(requirement, have)) return false;
  }
  return true;
}

function matchesRequirement(requirement: LabelSelectorRequirement, labels: Record<string, string>): boolean {
  if (!isRecord(requirement) || typeof requirement.key !== 'string') return false;
  const present = Object.hasOwn(labels, requirement.key);
  const values = Array.isArray(requirement.values) ? requirement.values : [];
  switch (requirement.operator) {
    case 'In':
      return present && values.includes(labels[requirement.key] as string);
    case 'NotIn':
      return !present || !values.includes(labels[requirement.key] as string);
    case 'Exists':
      return present;
    case 'DoesNotExist':
      return !present;
    default:
      return false;
  }
}

/**
 * What the API server's validation (ValidateLabelSelectorRequirement) refuses in one `matchExpressions` entry at
 * `path`: an operator that does not exist, no key, no values for In/NotIn, values for Exists/DoesNotExist. Any of
 * them makes the selector match nothing, here as in a cluster (where the object would not exist).
 */
export function requirementProblems(
  requirement: unknown,
  path: FieldPath,
): { path: FieldPath; message: string }[] {
  const operator = isRecord(requirement) ? requirement.operator : undefined;
  if (operator !== 'In' && operator !== 'NotIn' && operator !== 'Exists' && operator !== 'DoesNotExist')
    return [
      {
        path: [...path, 'operator'],
        message: `unknown operator ${JSON.stringify(operator)}: the selector matches nothing`,
      },
    ];
  const problems: { path: FieldPath; message: string }[] = [];
  const key = isRecord(requirement) ? requirement.key : undefined;
  if (typeof key !== 'string' || key === '')
    problems.push({
      path,
      message: 'a requirement needs a key (the API server refuses it): the selector matches nothing',
    });
  const values = isRecord(requirement) ? requirement.values : undefined;
  const count = Array.isArray(values) ? values.length : 0;
  if ((operator === 'In' || operator === 'NotIn') && count === 0)
    problems.push({
      path,
      message: `${operator} needs at least one value (the API server refuses it): the selector matches nothing`,
    });
  else if ((operator === 'Exists' || operator === 'DoesNotExist') && count > 0)
    problems.push({
      path: [...path, 'values'],
      message: `${operator} takes no values (the API server refuses it): the selector matches nothing`,
    });
  return problems;
}

/** The equality-only selector of Services and ReplicationControllers: an empty map selects nothing. */
export function matchesMapSelector(
  selector: Record<string, string> | undefined,
  labels: Record<string, string> | undefined,
): boolean {
  if (!isRecord(selector) || Object.keys(selector).length === 0) return false;
  return matchesSelector({ matchLabels: selector }, labels);
}
