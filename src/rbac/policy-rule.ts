// PolicyRules as the RBAC authorizer reads them, and the matching functions it applies (rbac/v1 semantics).
import { isRecord } from '../core/kube-object.ts';

export interface PolicyRule {
  verbs: readonly string[];
  apiGroups: readonly string[];
  resources: readonly string[];
  resourceNames: readonly string[];
  nonResourceURLs: readonly string[];
}

/** What is asked of the authorizer: a resource request or a non-resource (URL) request. */
export type AccessRequest =
  | {
      type: 'resource';
      verb: string;
      apiGroup: string;
      resource: string;
      /** '' when none. */
      subresource: string;
      /** '' for collection requests (list, create, deletecollection) and when unknown. */
      name: string;
      /** '' for cluster-scoped resources and requests across all namespaces. */
      namespace: string;
    }
  | { type: 'non-resource'; verb: string; path: string };

export const ALL = '*';

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
}

/** Reads a rules array loosely: shapes the API server would refuse read as rules that match nothing. */
export function parsePolicyRules(value: unknown): PolicyRule[] {
  if (!Array.isArray(value)) return [];
  const rules: PolicyRule[] = [];
  for (const item of value) {
    if (!isRecord(item)) continue;
    rules.push({
      verbs: strings(item.verbs),
      apiGroups: strings(item.apiGroups),
      resources: strings(item.resources),
      resourceNames: strings(item.resourceNames),
      nonResourceURLs: strings(item.nonResourceURLs),
    });
  }
  return rules;
}

/** Identity of a rule's content, for the aggregation controller's de-duplication. */
export function ruleKey(rule: PolicyRule): string {
  return JSON.stringify([
    rule.verbs,
    rule.apiGroups,
    rule.resources,
    rule.resourceNames,
    rule.nonResourceURLs,
  ]);
}

export function verbMatches(rule: PolicyRule, verb: string): boolean {
  return rule.verbs.includes(ALL) || rule.verbs.includes(verb);
}

export function apiGroupMatches(rule: PolicyRule, group: string): boolean {
  return rule.apiGroups.includes(ALL) || rule.apiGroups.includes(group);
}

/** `*` matches every resource and subresource; `*\/scale` matches the scale subresource of any resource. */
export function resourceMatches(rule: PolicyRule, resource: string, subresource: string): boolean {
  const combined = subresource === '' ? resource : `${resource}/${subresource}`;
  for (const ruleResource of rule.resources) {
    if (ruleResource === ALL || ruleResource === combined) return true;
    if (subresource !== '' && ruleResource === `*/${subresource}`) return true;
  }
  return false;
}

/**
 * Names are compared as strings, as the authorizer does: a request without a name (list, watch, create,
 * deletecollection) carries the name "", so only a rule that lists "" among its resourceNames matches it.
 */
export function resourceNameMatches(rule: PolicyRule, name: string): boolean {
  return rule.resourceNames.length === 0 || rule.resourceNames.includes(name);
}

/** Verbs of requests that carry no object name. */
export const COLLECTION_VERBS: readonly string[] = ['create', 'list', 'watch', 'deletecollection'];

/**
 * The part of a rule that applies to every object of its resources: the rule itself without resourceNames, or
 * for a rule that names "" (which nameless requests match), its collection verbs; undefined when there is none.
 */
export function unnamedPart(rule: PolicyRule): PolicyRule | undefined {
  if (rule.resourceNames.length === 0) return rule;
  if (!rule.resourceNames.includes('')) return undefined;
  let part = unnamedParts.get(rule);
  if (part === undefined) {
    const verbs = rule.verbs.includes(ALL)
      ? COLLECTION_VERBS
      : rule.verbs.filter((verb) => COLLECTION_VERBS.includes(verb));
    part = { ...rule, verbs, resourceNames: [] };
    unnamedParts.set(rule, part);
  }
  return part;
}

const unnamedParts = new WeakMap<PolicyRule, PolicyRule>();

/** The object names a rule is limited to ("" left out: see unnamedPart). */
export function namedObjects(rule: PolicyRule): readonly string[] {
  return rule.resourceNames.filter((name) => name !== '');
}

/** Exact paths, `*`, and prefixes written with trailing `*`s (`/healthz/*`; `/api**` is the prefix `/api`). */
export function nonResourceURLMatches(rule: PolicyRule, path: string): boolean {
  for (const url of rule.nonResourceURLs) {
    if (url === ALL || url === path) return true;
    if (url.endsWith('*') && path.startsWith(url.replace(/\*+$/, ''))) return true;
  }
  return false;
}

export function ruleAllows(rule: PolicyRule, request: AccessRequest): boolean {
  if (!verbMatches(rule, request.verb)) return false;
  if (request.type === 'non-resource') return nonResourceURLMatches(rule, request.path);
  return (
    apiGroupMatches(rule, request.apiGroup) &&
    resourceMatches(rule, request.resource, request.subresource) &&
    resourceNameMatches(rule, request.name)
  );
}

/** `get pods`, `create pods/exec in apps` style text for messages. */
export function describeRule(rule: PolicyRule): string {
  const verbs = rule.verbs.join(',') || '(no verbs)';
  if (rule.nonResourceURLs.length > 0) return `${verbs} on URLs ${rule.nonResourceURLs.join(',')}`;
  const groups = rule.apiGroups.map((group) => (group === '' ? 'core' : group)).join(',');
  const names =
    rule.resourceNames.length > 0
      ? ` named ${rule.resourceNames.map((name) => (name === '' ? '""' : name)).join(',')}`
      : '';
  return `${verbs} ${rule.resources.join(',') || '(no resources)'}${names} [${groups || 'no groups'}]`;
}
