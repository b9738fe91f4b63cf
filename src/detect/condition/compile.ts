// Compiles a parsed condition into a closure over an event, resolving macros, lists and fields once.
// Field values and macro outcomes are memoized per event context (one slot in each closure, no lookups),
// since rules share macros (kevt, pod, kcreate...) and fields; field getters are shared by every rule.

import type { FieldValue, OutputFieldValue } from '../field-value.ts';
import type { EventContext, FieldDefinition } from '../fields/field-definition.ts';
import { type ConditionNode, type FieldRef, LIST_OPERATORS, type ListItem, type ValueNode } from './ast.ts';
import { compilePathPrefixes } from './path-prefix.ts';
import { buildPredicate, numericKey, type Predicate, shownValue } from './predicates.ts';
import { applyTransformer, transformedType } from './transformers.ts';

export type Evaluator = (context: EventContext) => boolean;

export class ConditionCompileError extends Error {
  readonly offset: number | undefined;
  constructor(message: string, offset?: number) {
    super(message);
    this.name = 'ConditionCompileError';
    this.offset = offset;
  }
}

export interface CompileEnvironment {
  field: (name: string) => FieldDefinition | undefined;
  /** Parsed macro conditions by name (parsed on first use, so unused macros of other sources never matter). */
  macros: { get(name: string): ConditionNode | undefined };
  /** List items by name, unexpanded (items may name other lists). */
  lists: ReadonlyMap<string, readonly ListItem[]>;
  /** Collects non-fatal notes (for example a Falco-incompatible operator on a list field). */
  warn: (message: string) => void;
  /** Names of the macros and lists a compilation used, so unused ones can be reported. */
  used?: Set<string>;
}

interface CompiledField {
  key: string;
  type: 'string' | 'number';
  list: boolean;
  get: (context: EventContext) => FieldValue;
  /** The value in output_fields when it is not the extracted one (see FieldDefinition.json). */
  json?: (context: EventContext) => OutputFieldValue;
}

/** Most distinct items one value list may expand to (through the lists it names). */
const MAX_LIST_ITEMS = 100_000;

/** One getter per field key for the whole process: its memo then serves every rule and ruleset. */
const SHARED_GETTERS = new Map<string, CompiledField>();

export class ConditionCompiler {
  private readonly env: CompileEnvironment;
  private readonly macroCache = new Map<string, Evaluator>();
  /** Macros being compiled, outermost first (to name a cycle). */
  private readonly expanding: string[] = [];

  constructor(env: CompileEnvironment) {
    this.env = env;
  }

  compile(node: ConditionNode): Evaluator {
    switch (node.kind) {
      case 'constant': {
        const value = node.value;
        return () => value;
      }
      case 'not': {
        const inner = this.compile(node.operand);
        return (context) => !inner(context);
      }
      case 'and': {
        const parts = node.operands.map((operand) => this.compile(operand));
        return (context) => {
          for (const part of parts) if (!part(context)) return false;
          return true;
        };
      }
      case 'or': {
        const parts = node.operands.map((operand) => this.compile(operand));
        return (context) => {
          for (const part of parts) if (part(context)) return true;
          return false;
        };
      }
      case 'macro':
        return this.compileMacro(node.name, node.offset);
      case 'check':
        return this.compileCheck(node.field, node.operator, node.value, node.offset);
    }
  }

  private compileMacro(name: string, offset: number): Evaluator {
    this.env.used?.add(name);
    const cached = this.macroCache.get(name);
    if (cached !== undefined) return cached;
    const body = this.env.macros.get(name);
    if (body === undefined) throw new ConditionCompileError(`undefined macro '${name}'`, offset);
    const cycleStart = this.expanding.indexOf(name);
    if (cycleStart >= 0) {
      const cycle = [...this.expanding.slice(cycleStart), name];
      throw new ConditionCompileError(
        cycle.length === 2
          ? `macro '${name}' refers to itself`
          : `macros refer to each other in a cycle: ${cycle.join(' -> ')}`,
        offset,
      );
    }
    this.expanding.push(name);
    let inner: Evaluator;
    try {
      inner = this.compile(body);
    } finally {
      this.expanding.pop();
    }
    let lastContext: EventContext | undefined;
    let lastOutcome = false;
    const evaluator: Evaluator = (context) => {
      if (context === lastContext) return lastOutcome;
      lastOutcome = inner(context);
      lastContext = context;
      return lastOutcome;
    };
    this.macroCache.set(name, evaluator);
    return evaluator;
  }

  compileField(ref: FieldRef): CompiledField {
    const definition = this.env.field(ref.name);
    if (definition === undefined) throw new ConditionCompileError(`unknown field '${ref.name}'`, ref.offset);
    const { arg } = ref;
    if (definition.arg === 'required' && (arg === undefined || arg === ''))
      throw new ConditionCompileError(
        `field '${ref.name}' requires an argument: ${ref.name}[...]`,
        ref.offset,
      );
    if (definition.arg === 'none' && arg !== undefined)
      throw new ConditionCompileError(`field '${ref.name}' takes no argument`, ref.offset);
    if (definition.arg === 'index' && arg !== undefined && !/^\d+$/.test(arg))
      throw new ConditionCompileError(`field '${ref.name}' takes a numeric index, not '${arg}'`, ref.offset);
    const key = `${ref.name}[${arg ?? ''}]${ref.transformers.join(',')}`;
    const shared = SHARED_GETTERS.get(key);
    if (shared !== undefined) return shared;
    const transformers = ref.transformers;
    const extract = definition.extract;
    let lastContext: EventContext | undefined;
    let lastValue: FieldValue;
    const get = (context: EventContext): FieldValue => {
      if (context === lastContext) return lastValue;
      let value = extract(context, arg);
      for (const name of transformers) value = applyTransformer(name, value);
      if (Array.isArray(value) && value.length === 0) value = undefined;
      lastValue = value;
      lastContext = context;
      return value;
    };
    const list = definition.list && !transformers.includes('len');
    const compiled: CompiledField = { key, type: transformedType(definition.type, transformers), list, get };
    const json = definition.json;
    if (json !== undefined && transformers.length === 0) compiled.json = (context) => json(context, arg);
    SHARED_GETTERS.set(key, compiled);
    return compiled;
  }

  /**
   * Adds the items of a value list to `out`, expanding the lists it names. Each named list is expanded once per
   * value (so lists that name each other many times, a "billion laughs", stay cheap), a list that includes itself
   * is reported with its cycle, and a value that would expand to more than MAX_LIST_ITEMS distinct items is refused.
   */
  private expandList(
    items: readonly ListItem[],
    out: Set<string>,
    expanded: Set<string>,
    path: string[],
  ): void {
    for (const item of items) {
      const nested = item.quoted ? undefined : this.env.lists.get(item.text);
      if (nested === undefined) {
        out.add(item.text);
        if (out.size > MAX_LIST_ITEMS)
          throw new ConditionCompileError(
            `list '${path[0] ?? item.text}' expands to more than ${MAX_LIST_ITEMS} items`,
          );
        continue;
      }
      this.env.used?.add(item.text);
      if (path.includes(item.text))
        throw new ConditionCompileError(
          `list '${item.text}' includes itself (${[...path.slice(path.indexOf(item.text)), item.text].join(' -> ')})`,
        );
      if (expanded.has(item.text)) continue;
      if (path.length >= 64)
        throw new ConditionCompileError(`list '${path[0]}' nests lists more than 64 levels deep`);
      expanded.add(item.text);
      path.push(item.text);
      this.expandList(nested, out, expanded, path);
      path.pop();
    }
  }

  private valueSet(value: ValueNode): string[] {
    const out = new Set<string>();
    if (value.kind === 'list') this.expandList(value.items, out, new Set(), []);
    else if (value.kind === 'literal')
      this.expandList([{ text: value.text, quoted: value.quoted }], out, new Set(), []);
    return [...out];
  }

  private compileCheck(
    ref: FieldRef,
    operator: string,
    value: ValueNode | undefined,
    offset: number,
  ): Evaluator {
    const field = this.compileField(ref);
    const { get } = field;
    if (operator === 'exists') return (context) => get(context) !== undefined;
    if (value === undefined) throw new ConditionCompileError(`operator '${operator}' needs a value`, offset);
    if (value.kind === 'field') return this.compileFieldComparison(field, operator, value.field, offset);

    if (operator === 'in' || operator === 'intersects') {
      const every = operator === 'in';
      if (field.type === 'number' && !field.list) {
        // A numeric field is compared as a number, as Falco parses the set's values as the field's type.
        const numbers = new Set<string>();
        for (const item of this.valueSet(value)) {
          const key = numericKey(item);
          if (key === undefined)
            throw new ConditionCompileError(
              `'${shownValue(item)}' is not a number (of at most 64 bits), and the field is numeric`,
              value.offset,
            );
          numbers.add(key);
        }
        return (context) => {
          const current = get(context);
          if (current === undefined || typeof current === 'object') return false;
          const key = numericKey(current);
          return key !== undefined && numbers.has(key);
        };
      }
      const set = new Set(this.valueSet(value));
      return (context) => {
        const current = get(context);
        if (current === undefined) return false;
        if (typeof current !== 'object') return set.has(String(current));
        return every ? current.every((item) => set.has(item)) : current.some((item) => set.has(item));
      };
    }
    if (operator === 'pmatch') {
      let matches: (value: string) => boolean;
      try {
        matches = compilePathPrefixes(this.valueSet(value));
      } catch (error) {
        throw new ConditionCompileError(`${ref.name} pmatch: ${(error as Error).message}`, value.offset);
      }
      return (context) => {
        const current = get(context);
        if (current === undefined) return false;
        if (typeof current !== 'object') return matches(String(current));
        return current.some((item) => matches(item));
      };
    }
    if (value.kind === 'list')
      throw new ConditionCompileError(
        `operator '${operator}' takes a single value, not a list`,
        value.offset,
      );
    let predicate: Predicate;
    try {
      predicate = buildPredicate(operator, value.text, field.type === 'number');
    } catch (error) {
      throw new ConditionCompileError(`${ref.name} ${operator}: ${(error as Error).message}`, value.offset);
    }
    if (field.list && !LIST_OPERATORS.has(operator))
      this.env.warn(
        `'${ref.name} ${operator} ...': Falco only accepts exists, in and intersects on list fields; Palisade matches when any element matches`,
      );
    return (context) => {
      const current = get(context);
      if (current === undefined) return false;
      if (typeof current !== 'object') return predicate(current);
      return current.some((item) => predicate(item));
    };
  }

  private compileFieldComparison(
    field: CompiledField,
    operator: string,
    rhsRef: FieldRef,
    offset: number,
  ): Evaluator {
    if (operator === 'pmatch' || operator === 'regex')
      throw new ConditionCompileError(`operator '${operator}' does not accept a field as its value`, offset);
    const rhs = this.compileField(rhsRef);
    return (context) => {
      const left = field.get(context);
      const right = rhs.get(context);
      if (left === undefined || right === undefined) return false;
      const rightItems = typeof right === 'object' ? right : [String(right)];
      const leftItems = typeof left === 'object' ? left : [left];
      if (operator === 'in' || operator === 'intersects') {
        const set = new Set(rightItems);
        const test = (item: string | number) => set.has(String(item));
        return operator === 'in' ? leftItems.every(test) : leftItems.some(test);
      }
      const first = rightItems[0];
      if (first === undefined) return false;
      let predicate: Predicate;
      try {
        predicate = buildPredicate(operator, first, field.type === 'number');
      } catch {
        return false;
      }
      return leftItems.some((item) => predicate(item));
    };
  }
}
