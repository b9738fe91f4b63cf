// Rule indexing by target resource, as Falco indexes syscall rules by event type: a rule whose condition
// requires `ka.target.resource` to be one of a set (directly or through macros, under `and`) is only
// evaluated for events on those resources. Order is kept, so `first` matching is unchanged.
import type { ConditionNode, ListItem } from '../condition/ast.ts';
import type { CompiledRule } from './compiled-rule.ts';

export interface IndexEnvironment {
  macros: { get(name: string): ConditionNode | undefined };
  lists: ReadonlyMap<string, readonly ListItem[]>;
}

/** Each named list is expanded once (the union is the same), so lists naming each other many times stay cheap. */
function expand(
  items: readonly ListItem[],
  env: IndexEnvironment,
  out: Set<string>,
  depth: number,
  expanded = new Set<string>(),
): void {
  for (const item of items) {
    const nested = item.quoted || depth > 32 ? undefined : env.lists.get(item.text);
    if (nested === undefined) out.add(item.text);
    else if (!expanded.has(item.text)) {
      expanded.add(item.text);
      expand(nested, env, out, depth + 1, expanded);
    }
  }
}

/** The resources a condition can match, or undefined when it may match any event. */
export function requiredResources(
  node: ConditionNode,
  env: IndexEnvironment,
  depth = 0,
): Set<string> | undefined {
  if (depth > 64) return undefined;
  switch (node.kind) {
    case 'check': {
      if (
        node.field.name !== 'ka.target.resource' ||
        node.field.transformers.length > 0 ||
        node.value === undefined
      )
        return undefined;
      const out = new Set<string>();
      if (node.operator === '=' && node.value.kind === 'literal') out.add(node.value.text);
      else if (node.operator === 'in' && node.value.kind === 'list') expand(node.value.items, env, out, 0);
      else return undefined;
      return out;
    }
    case 'macro': {
      const body = env.macros.get(node.name);
      return body === undefined ? undefined : requiredResources(body, env, depth + 1);
    }
    case 'and': {
      let result: Set<string> | undefined;
      for (const operand of node.operands) {
        const required = requiredResources(operand, env, depth + 1);
        if (required === undefined) continue;
        result =
          result === undefined ? required : new Set([...result].filter((resource) => required.has(resource)));
      }
      return result;
    }
    case 'or': {
      const result = new Set<string>();
      for (const operand of node.operands) {
        const required = requiredResources(operand, env, depth + 1);
        if (required === undefined) return undefined;
        for (const resource of required) result.add(resource);
      }
      return result;
    }
    default:
      return undefined;
  }
}

export class RuleIndex {
  private readonly byResource = new Map<string, CompiledRule[]>();
  private readonly anyResource: CompiledRule[];

  constructor(rules: readonly CompiledRule[], resources: readonly (Set<string> | undefined)[]) {
    const named = new Set<string>();
    for (const set of resources) if (set !== undefined) for (const resource of set) named.add(resource);
    this.anyResource = rules.filter((_, index) => resources[index] === undefined);
    for (const resource of named)
      this.byResource.set(
        resource,
        rules.filter((_, index) => resources[index] === undefined || resources[index]!.has(resource)),
      );
  }

  /** The rules to evaluate for an event on `resource`, in load order. */
  candidates(resource: unknown): readonly CompiledRule[] {
    return (typeof resource === 'string' ? this.byResource.get(resource) : undefined) ?? this.anyResource;
  }
}
