// Kubernetes label selectors (metav1.LabelSelector and the map-only form of Services), matched as the API server does.
import { isRecord } from './kube-object.ts';

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

/** The equality-only selector of Services and ReplicationControllers: an empty map selects nothing. */
export function matchesMapSelector(
  selector: Record<string, string> | undefined,
  labels: Record<string, string> | undefined,
): boolean {
  if (!isRecord(selector) || Object.keys(selector).length === 0) return false;
  return matchesSelector({ matchLabels: selector }, labels);
}
