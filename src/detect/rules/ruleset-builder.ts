// Merges rules files in load order as Falco does: later definitions replace earlier ones; `append: true` and
// `override: {key: append|replace}` extend or replace lists, macros and rules; a rule item with only
// `enabled` toggles an existing rule. Every problem names the file and line of the item.
import { isRecord } from '../../core/kube-object.ts';
import { falcoItemText } from '../condition/parser.ts';
import { parsePriority } from '../priority.ts';
import type { RuleLoadProblem } from './load-problem.ts';
import { type Override, readOverrides } from './override-keys.ts';
import type { ExceptionDraft, ListDraft, MacroDraft, RuleDraft } from './rule-draft.ts';
import type { RulesItem } from './rules-file.ts';
import { yamlBool } from './yaml-bool.ts';

const RULE_KEYS = new Set([
  'rule',
  'condition',
  'output',
  'desc',
  'priority',
  'source',
  'tags',
  'enabled',
  'exceptions',
  'append',
  'override',
  'warn_evttypes',
  'skip-if-unknown-filter',
  'capture',
  'capture_duration',
  'required_engine_version',
]);
/** The comparisons Falco allows between one exception field and its values (validate_exception_info). */
const SINGLE_FIELD_COMPS = new Set(['in', 'pmatch', 'intersects']);

/** A rule's tags as Falco keeps them (a std::set): each once, in byte order, which is how alerts list them. */
function sortedTags(tags: readonly string[]): string[] {
  return [...new Set(tags)].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
}

export class RulesetBuilder {
  readonly lists = new Map<string, ListDraft>();
  readonly macros = new Map<string, MacroDraft>();
  readonly rules = new Map<string, RuleDraft>();
  readonly problems: RuleLoadProblem[] = [];
  /** Falco's load-order counter (m_cur_index): a macro sees only the macros defined before its visibility. */
  private order = 0;

  add(items: readonly RulesItem[]): void {
    for (const item of items) {
      if (item.kind === 'list') this.addList(item);
      else if (item.kind === 'macro') this.addMacro(item);
      else if (item.kind === 'rule') this.addRule(item);
      else if (item.kind === 'required_engine_version') this.checkEngineVersion(item);
    }
  }

  private problem(
    item: RulesItem,
    message: string,
    severity: 'error' | 'warning' = 'error',
    key?: string,
  ): void {
    const line = key === undefined ? item.line : (item.keyLines[key] ?? item.line);
    this.problems.push({
      severity,
      file: item.file,
      line,
      column: key === undefined ? item.column : 1,
      message,
    });
  }

  private checkEngineVersion(item: RulesItem): void {
    const version = item.value.required_engine_version;
    if (typeof version !== 'number' && typeof version !== 'string')
      this.problem(item, 'required_engine_version must be a number or a version string');
  }

  /** `append` read as Falco reads it; undefined (after a problem) when it is not a boolean. */
  private appendFlag(item: RulesItem): boolean | undefined {
    if (item.value.append === undefined) return false;
    const append = yamlBool(item.value.append);
    if (append === undefined) this.problem(item, "'append' must be true or false", 'error', 'append');
    return append;
  }

  /** The item's `override` entries (see override-keys.ts); undefined, after its problems, when it is refused. */
  private overrides(item: RulesItem, kind: 'list' | 'macro' | 'rule'): Map<string, Override> | undefined {
    const { entries, problems } = readOverrides(item, kind);
    this.problems.push(...problems);
    return entries;
  }

  private addList(item: RulesItem): void {
    const raw = item.value.items;
    if (!Array.isArray(raw)) {
      this.problem(item, `list '${item.name}': 'items' must be a sequence`, 'error', 'items');
      return;
    }
    const items = [];
    let nonScalar = 0;
    for (const [index, entry] of raw.entries()) {
      if (typeof entry !== 'string') {
        nonScalar++;
        continue;
      }
      try {
        items.push(falcoItemText(entry));
      } catch (error) {
        this.problem(
          item,
          `list '${item.name}': item ${index + 1}: ${(error as Error).message}`,
          'error',
          'items',
        );
      }
    }
    if (nonScalar > 0)
      this.problem(
        item,
        `list '${item.name}': items must be scalars (${nonScalar} are not)`,
        'error',
        'items',
      );
    const append = this.appendFlag(item);
    const overrides = this.overrides(item, 'list');
    if (append === undefined || overrides === undefined) return;
    const mode = append ? 'append' : (overrides.get('items') ?? 'define');
    const existing = this.lists.get(item.name);
    this.order++;
    if (mode === 'append') {
      if (existing === undefined) {
        this.problem(
          item,
          `list '${item.name}' is appended to but was not defined before; defining it here (Falco's syscall rules file defines it)`,
          'warning',
        );
        this.lists.set(item.name, { items, file: item.file, line: item.line });
      } else existing.items.push(...items);
      return;
    }
    if (mode === 'replace' && existing === undefined)
      this.problem(item, `list '${item.name}' is overridden but was not defined before`);
    this.lists.set(item.name, { items, file: item.file, line: item.line });
  }

  private addMacro(item: RulesItem): void {
    const condition = item.value.condition;
    if (typeof condition !== 'string' || condition.trim() === '') {
      this.problem(
        item,
        `macro '${item.name}': 'condition' must be a non-empty string`,
        'error',
        'condition',
      );
      return;
    }
    const append = this.appendFlag(item);
    const overrides = this.overrides(item, 'macro');
    if (append === undefined || overrides === undefined) return;
    const mode = append ? 'append' : (overrides.get('condition') ?? 'define');
    const existing = this.macros.get(item.name);
    if (mode !== 'define' && existing === undefined) {
      this.problem(item, `macro '${item.name}' has ${mode} but no macro of that name was defined before`);
      return;
    }
    const position = this.order++;
    if (mode === 'append' && existing !== undefined) {
      existing.condition = `${existing.condition} ${condition}`;
      existing.visibility = position;
    } else
      this.macros.set(item.name, {
        condition,
        file: item.file,
        line: item.keyLines.condition ?? item.line,
        // A redefinition keeps its place among the macros, as in Falco's collector.
        index: existing?.index ?? position,
        visibility: position,
      });
  }

  private addRule(item: RulesItem): void {
    const value = item.value;
    for (const key of Object.keys(value))
      if (!RULE_KEYS.has(key))
        this.problem(item, `rule '${item.name}': unknown key '${key}'`, 'warning', key);
    const existing = this.rules.get(item.name);
    const isAppend = this.appendFlag(item);
    const overrides = this.overrides(item, 'rule');
    if (isAppend === undefined || overrides === undefined) return;
    if (isAppend || overrides.size > 0) {
      if (existing === undefined) {
        this.problem(
          item,
          `rule '${item.name}' has ${isAppend ? 'append' : 'override'} but no rule of that name was defined before`,
        );
        return;
      }
      this.order++;
      if (!isAppend) {
        for (const [key, how] of overrides) this.mergeRuleKey(existing, item, key, how);
        return;
      }
      if (!Object.hasOwn(value, 'condition') && !Object.hasOwn(value, 'exceptions')) {
        this.problem(
          item,
          `rule '${item.name}': an appended rule must have a condition or exceptions, as in Falco`,
        );
        return;
      }
      for (const key of [
        'condition',
        'output',
        'desc',
        'priority',
        'tags',
        'exceptions',
        'enabled',
        'source',
      ]) {
        if (!Object.hasOwn(value, key)) continue;
        // Falco's older `append: true` form appends the condition and exceptions and ignores every other key.
        if (key !== 'condition' && key !== 'exceptions') {
          this.problem(
            item,
            `rule '${item.name}': with append: true only 'condition' and 'exceptions' are appended; '${key}' is ignored (use override)`,
            'warning',
            key,
          );
          continue;
        }
        this.mergeRuleKey(existing, item, key, 'append');
      }
      return;
    }
    // As in Falco, an item naming an existing rule without condition, output, desc or priority only switches it
    // on or off; its other keys (source, tags) are not read.
    const switchOnly = ['condition', 'output', 'desc', 'priority'].every((key) => !Object.hasOwn(value, key));
    if (existing !== undefined && switchOnly && Object.hasOwn(value, 'enabled')) {
      const enabled = yamlBool(value.enabled);
      if (enabled === undefined)
        this.problem(item, `rule '${item.name}': 'enabled' must be true or false`, 'error', 'enabled');
      else existing.enabled = enabled;
      return;
    }
    const draft = this.newRule(item);
    if (draft === undefined) return;
    this.order++;
    this.rules.set(item.name, draft); // a redefinition replaces the rule (Map keeps the first position)
  }

  private newRule(item: RulesItem): RuleDraft | undefined {
    const value = item.value;
    let ok = true;
    const text = (key: string): string => {
      const v = value[key];
      if (typeof v === 'string' && v.trim() !== '') return v;
      this.problem(
        item,
        `rule '${item.name}': '${key}' is required and must be a non-empty string`,
        'error',
        v === undefined ? undefined : key,
      );
      ok = false;
      return '';
    };
    const condition = text('condition');
    const output = text('output');
    const desc = text('desc');
    const priority = text('priority');
    if (priority !== '' && parsePriority(priority) === undefined) {
      this.problem(item, `rule '${item.name}': unknown priority '${priority}'`, 'error', 'priority');
      ok = false;
    }
    const tags = this.tagsOf(item);
    const source = value.source ?? 'syscall';
    if (typeof source !== 'string') {
      this.problem(item, `rule '${item.name}': 'source' must be a string`, 'error', 'source');
      ok = false;
    }
    const enabled = this.optionalBool(item, 'enabled', true);
    const skipIfUnknownFilter = this.optionalBool(item, 'skip-if-unknown-filter', false);
    const exceptions = this.exceptionsOf(item);
    if (
      !ok ||
      tags === undefined ||
      exceptions === undefined ||
      enabled === undefined ||
      skipIfUnknownFilter === undefined
    )
      return undefined;
    return {
      name: item.name,
      condition,
      conditionLine: item.keyLines.condition ?? item.line,
      output: output.trim(),
      outputLine: item.keyLines.output ?? item.line,
      desc: desc.trim(),
      priority,
      source: source as string,
      tags,
      enabled,
      exceptions,
      skipIfUnknownFilter,
      file: item.file,
      line: item.line,
    };
  }

  /** A boolean key as Falco decodes it; undefined, after a problem, when it is not one. */
  private optionalBool(item: RulesItem, key: string, fallback: boolean): boolean | undefined {
    if (item.value[key] === undefined) return fallback;
    const value = yamlBool(item.value[key]);
    if (value === undefined)
      this.problem(item, `rule '${item.name}': '${key}' must be true or false`, 'error', key);
    return value;
  }

  private tagsOf(item: RulesItem): string[] | undefined {
    const tags = item.value.tags ?? [];
    if (!Array.isArray(tags) || !tags.every((tag) => typeof tag === 'string' || typeof tag === 'number')) {
      this.problem(item, `rule '${item.name}': 'tags' must be a sequence of strings`, 'error', 'tags');
      return undefined;
    }
    return sortedTags(tags.map(String));
  }

  /** `appending`: the item appends to a rule, so an exception it names that the rule already has may omit fields. */
  private exceptionsOf(item: RulesItem, appending = false): ExceptionDraft[] | undefined {
    const raw = item.value.exceptions ?? [];
    if (!Array.isArray(raw)) {
      this.problem(item, `rule '${item.name}': 'exceptions' must be a sequence`, 'error', 'exceptions');
      return undefined;
    }
    const out: ExceptionDraft[] = [];
    for (const entry of raw) {
      if (!isRecord(entry) || typeof entry.name !== 'string') {
        this.problem(item, `rule '${item.name}': each exception needs a name`, 'error', 'exceptions');
        return undefined;
      }
      const fields = entry.fields;
      const comps = entry.comps;
      const values = entry.values ?? [];
      const fieldsOk =
        typeof fields === 'string' || (Array.isArray(fields) && fields.every((f) => typeof f === 'string'));
      const compsOk =
        comps === undefined ||
        typeof comps === 'string' ||
        (Array.isArray(comps) && comps.every((c) => typeof c === 'string'));
      if (!Array.isArray(values) || (!fieldsOk && fields !== undefined) || !compsOk) {
        this.problem(
          item,
          `rule '${item.name}': exception '${entry.name}' has malformed fields, comps or values`,
          'error',
          'exceptions',
        );
        return undefined;
      }
      if (typeof fields === 'string' && comps !== undefined) {
        // Falco's validate_exception_info: one field is compared with the set of values, never value by value.
        const problem = Array.isArray(comps)
          ? 'a single field needs a single comps (fields and comps must both be strings)'
          : SINGLE_FIELD_COMPS.has(comps as string)
            ? undefined
            : `with a single field, comps must be one of (in, pmatch, intersects), not '${comps}'`;
        if (problem !== undefined) {
          this.problem(
            item,
            `rule '${item.name}': exception '${entry.name}': ${problem}`,
            'error',
            'exceptions',
          );
          return undefined;
        }
      }
      if (Array.isArray(fields) && Array.isArray(comps) && comps.length !== fields.length) {
        this.problem(
          item,
          `rule '${item.name}': exception '${entry.name}' has ${fields.length} fields but ${comps.length} comps`,
          'error',
          'exceptions',
        );
        return undefined;
      }
      const noFields =
        fields === undefined || (Array.isArray(fields) && fields.length === 0) || fields === '';
      if (noFields && !appending) {
        // An exception without fields would be an empty `and`, always true: it would silently disable the rule.
        this.problem(
          item,
          `rule '${item.name}': exception '${entry.name}' needs 'fields' (a field name or a non-empty sequence of them)`,
          'error',
          'exceptions',
        );
        return undefined;
      }
      if (Array.isArray(fields) && fields.length > 0) {
        const bad = values.find((tuple) => !Array.isArray(tuple) || tuple.length !== fields.length);
        if (bad !== undefined) {
          this.problem(
            item,
            `rule '${item.name}': exception '${entry.name}': each value must be a sequence of ${fields.length} item(s), one per field (found ${JSON.stringify(bad)})`,
            'error',
            'exceptions',
          );
          return undefined;
        }
      }
      out.push({
        name: entry.name,
        fields: noFields ? [] : (fields as string | string[]),
        comps: comps as string | string[] | undefined,
        values,
      });
    }
    return out;
  }

  private mergeRuleKey(rule: RuleDraft, item: RulesItem, key: string, mode: 'append' | 'replace'): void {
    const value = item.value[key];
    switch (key) {
      case 'condition':
      case 'output':
      case 'desc': {
        if (typeof value !== 'string') {
          this.problem(item, `rule '${item.name}': '${key}' must be a string`, 'error', key);
          return;
        }
        const current = key === 'condition' ? rule.condition : key === 'output' ? rule.output : rule.desc;
        const next = mode === 'append' ? `${current} ${value}` : value;
        if (key === 'condition') rule.condition = next;
        else if (key === 'output') rule.output = next.trim();
        else rule.desc = next.trim();
        return;
      }
      case 'priority':
        if (typeof value !== 'string' || parsePriority(value) === undefined)
          this.problem(item, `rule '${item.name}': unknown priority`, 'error', key);
        else rule.priority = value;
        return;
      case 'enabled':
      case 'skip-if-unknown-filter': {
        const flag = this.optionalBool(item, key, false);
        if (flag === undefined) return;
        if (key === 'enabled') rule.enabled = flag;
        else rule.skipIfUnknownFilter = flag;
        return;
      }
      case 'tags': {
        const tags = this.tagsOf(item);
        if (tags !== undefined) rule.tags = mode === 'append' ? sortedTags([...rule.tags, ...tags]) : tags;
        return;
      }
      case 'exceptions': {
        const exceptions = this.exceptionsOf(item, mode === 'append');
        if (exceptions === undefined) return;
        const raw = (item.value.exceptions ?? []) as Record<string, unknown>[];
        const missingFields = (index: number): boolean => raw[index]?.fields === undefined;
        const noFields = (exception: ExceptionDraft): boolean =>
          Array.isArray(exception.fields) && exception.fields.length === 0;
        if (mode === 'replace') {
          const bare = exceptions.find(noFields);
          if (bare !== undefined) {
            this.problem(
              item,
              `rule '${item.name}': exception '${bare.name}' needs 'fields' (a field name or a non-empty sequence of them)`,
              'error',
              'exceptions',
            );
            return;
          }
          rule.exceptions = exceptions;
          return;
        }
        // Check everything first, so a rejected item changes nothing.
        for (const [index, exception] of exceptions.entries()) {
          const known = rule.exceptions.find((candidate) => candidate.name === exception.name);
          let problem: string | undefined;
          if (known === undefined) {
            if (noFields(exception)) problem = "is new to the rule, so it needs 'fields'";
            else if (exception.values.length === 0) problem = "is new to the rule, so it needs 'values'";
          } else {
            // As Falco: an existing exception takes more values, and its fields and comps are never restated.
            if (!missingFields(index))
              problem = "gives 'fields'; appending to an existing exception only adds values";
            else if (raw[index]?.comps !== undefined)
              problem = "gives 'comps'; appending to an existing exception only adds values";
            else if (Array.isArray(known.fields)) {
              const width = known.fields.length;
              if (exception.values.some((tuple) => !Array.isArray(tuple) || tuple.length !== width))
                problem = `appends values that are not sequences of ${width} item(s), one per field`;
            }
          }
          if (problem !== undefined) {
            this.problem(
              item,
              `rule '${item.name}': appended exception '${exception.name}' ${problem}`,
              'error',
              'exceptions',
            );
            return;
          }
        }
        for (const exception of exceptions) {
          const known = rule.exceptions.find((candidate) => candidate.name === exception.name);
          if (known === undefined) rule.exceptions.push(exception);
          else known.values = [...known.values, ...exception.values];
        }
        return;
      }
    }
  }
}
