// ClusterRole aggregation as the clusterrole-aggregation controller leaves it: an aggregated role's rules are replaced
// by the union of the rules of every other ClusterRole its selectors match, and aggregated roles feed each other.
// Roles are resolved in dependency order (strongly connected components, iteratively), so a long chain or a cycle
// of aggregated roles costs one pass, never one pass per link.
import { isRecord, scalarText } from '../core/kube-object.ts';
import { type LabelSelector, matchesSelector } from '../core/label-selector.ts';
import { type PolicyRule, ruleKey } from './policy-rule.ts';
import type { RoleRecord } from './role-records.ts';

function byName(a: RoleRecord, b: RoleRecord): number {
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}

/** Which ClusterRoles each aggregated ClusterRole selects (itself excluded, as the controller skips it). */
export function aggregationSources(clusterRoles: ReadonlyMap<string, RoleRecord>): Map<string, RoleRecord[]> {
  const all = [...clusterRoles.values()].sort(byName);
  // Roles by label pair: a selector with matchLabels is checked only against roles carrying one of its pairs, so
  // thousands of aggregated roles do not each scan every ClusterRole.
  const byLabel = new Map<string, RoleRecord[]>();
  for (const role of all)
    for (const [key, value] of Object.entries(role.labels)) {
      const pair = `${key}=${value}`;
      const list = byLabel.get(pair);
      if (list) list.push(role);
      else byLabel.set(pair, [role]);
    }
  const candidatesOf = (selector: LabelSelector): readonly RoleRecord[] => {
    const pairs = isRecord(selector.matchLabels) ? Object.entries(selector.matchLabels) : [];
    let smallest: readonly RoleRecord[] | undefined;
    for (const [key, value] of pairs) {
      // A value that is not a scalar is no label value: no role carries it.
      const list = byLabel.get(`${key}=${scalarText(value) ?? '\u0001'}`) ?? [];
      if (smallest === undefined || list.length < smallest.length) smallest = list;
    }
    return smallest ?? all;
  };
  const sources = new Map<string, RoleRecord[]>();
  for (const role of all) {
    const selectors = role.aggregationSelectors;
    if (selectors === undefined) continue;
    const matched = new Set<RoleRecord>();
    for (const selector of selectors)
      for (const candidate of candidatesOf(selector))
        if (candidate !== role && matchesSelector(selector, candidate.labels)) matched.add(candidate);
    // In name order, as the controller lists them.
    sources.set(role.name, [...matched].sort(byName));
  }
  return sources;
}

/** Strongly connected components of the aggregation graph, each after every component it draws from (Tarjan). */
function componentsInDependencyOrder(
  roles: readonly RoleRecord[],
  sources: ReadonlyMap<string, readonly RoleRecord[]>,
): RoleRecord[][] {
  const index = new Map<RoleRecord, number>();
  const low = new Map<RoleRecord, number>();
  const onStack = new Set<RoleRecord>();
  const stack: RoleRecord[] = [];
  const components: RoleRecord[][] = [];
  let counter = 0;
  for (const root of roles) {
    if (index.has(root)) continue;
    // Explicit work stack instead of recursion: chains of thousands of roles must not overflow the call stack.
    const work: { role: RoleRecord; next: number }[] = [{ role: root, next: 0 }];
    index.set(root, counter);
    low.set(root, counter++);
    stack.push(root);
    onStack.add(root);
    while (work.length > 0) {
      const frame = work[work.length - 1] as { role: RoleRecord; next: number };
      const edges = sources.get(frame.role.name) ?? [];
      if (frame.next < edges.length) {
        const target = edges[frame.next++] as RoleRecord;
        if (!index.has(target)) {
          index.set(target, counter);
          low.set(target, counter++);
          stack.push(target);
          onStack.add(target);
          work.push({ role: target, next: 0 });
        } else if (onStack.has(target))
          low.set(frame.role, Math.min(low.get(frame.role) ?? 0, index.get(target) ?? 0));
        continue;
      }
      work.pop();
      const parent = work[work.length - 1];
      if (parent) low.set(parent.role, Math.min(low.get(parent.role) ?? 0, low.get(frame.role) ?? 0));
      if (low.get(frame.role) === index.get(frame.role)) {
        const component: RoleRecord[] = [];
        for (let member = stack.pop(); member !== undefined; member = stack.pop()) {
          onStack.delete(member);
          component.push(member);
          if (member === frame.role) break;
        }
        components.push(component);
      }
    }
  }
  return components;
}

/** Fills `rules` and `ruleOrigins` of every role; returns each aggregated ClusterRole's sources. */
export function resolveAggregation(
  clusterRoles: ReadonlyMap<string, RoleRecord>,
  roles: Iterable<RoleRecord>,
): Map<string, RoleRecord[]> {
  for (const role of roles) {
    role.rules = [...role.ownRules];
    role.ruleOrigins = role.ownRules.map(() => role.name);
  }
  const sources = aggregationSources(clusterRoles);
  const ordered = [...clusterRoles.values()];
  for (const component of componentsInDependencyOrder(ordered, sources)) {
    const members = new Set(component);
    const aggregated = component.filter((role) => sources.has(role.name));
    if (aggregated.length === 0) {
      for (const role of component) {
        role.rules = [...role.ownRules];
        role.ruleOrigins = role.ownRules.map(() => role.name);
      }
      continue;
    }
    // Every member of a cycle ends with the union of what the cycle draws from outside itself, and of the rules the
    // members hold as written: the controller copies one member's rules into the next before overwriting them,
    // so they keep circulating and are never removed.
    const rules: PolicyRule[] = [];
    const origins: string[] = [];
    const seen = new Set<string>();
    const add = (rule: PolicyRule, origin: string): void => {
      const key = ruleKey(rule);
      if (seen.has(key)) return;
      seen.add(key);
      rules.push(rule);
      origins.push(origin);
    };
    for (const role of aggregated.sort(byName))
      for (const source of sources.get(role.name) ?? []) {
        if (members.has(source)) continue;
        source.rules.forEach((rule, index) => {
          add(rule, source.ruleOrigins[index] ?? source.name);
        });
      }
    if (component.length > 1)
      for (const role of [...component].sort(byName)) for (const rule of role.ownRules) add(rule, role.name);
    for (const role of aggregated) {
      role.rules = [...rules];
      role.ruleOrigins = [...origins];
    }
  }
  return sources;
}
