// Merges rules files in load order as Falco does: later definitions replace earlier ones; `append: true` and
// `override: {key: append|replace}` extend or replace lists, macros and rules; a rule item with only
// `enabled` toggles an existing rule. Every problem names the file and line of the item.
import { isRecord } from '../../core/kube-object.ts';
import { falcoItemText } from '../condition/parser.ts';
import { parsePriority } from '../priority.ts';
import type { RuleLoadProblem } from './load-problem.ts';
import type { ExceptionDraft, ListDraft, MacroDraft, RuleDraft } from './rule-draft.ts';
import type { RulesItem } from './rules-file.ts';

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
const OVERRIDABLE = new Set([
  'condition',
  'output',
  'desc',
  'priority',
  'tags',
  'exceptions',
  'enabled',
  'source',
  'capture',
  'capture_duration',
  'warn_evttypes',
  'skip-if-unknown-filter',
]);

export class RulesetBuilder {
  readonly lists = new Map<string, ListDraft>();
  readonly macros = new Map<string, MacroDraft>();
  readonly rules = new Map<string, RuleDraft>();
  readonly problems: RuleLoadProblem[] = [];

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

  /** `append: true`, or override {key: append|replace}: how this item changes `key` of an existing definition. */
  private mode(item: RulesItem, key: string): 'define' | 'append' | 'replace' {
    const { append, override } = item.value;
    if (append !== undefined && typeof append !== 'boolean')
      this.problem(item, "'append' must be true or false", 'error', 'append');
    if (override !== undefined) {
      if (append === true)
        this.problem(item, "'append' and 'override' cannot be used together", 'error', 'override');
      if (!isRecord(override)) {
        this.problem(item, "'override' must map keys to append or replace", 'error', 'override');
        return 'define';
      }
      const how = override[key];
      if (how === undefined) return 'define';
      if (how !== 'append' && how !== 'replace') {
        this.problem(
          item,
          `override.${key} must be append or replace, not ${JSON.stringify(how)}`,
          'error',
          'override',
        );
        return 'define';
      }
      return how;
    }
    return append === true ? 'append' : 'define';
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
      if (typeof entry !== 'string' && typeof entry !== 'number' && typeof entry !== 'boolean') {
        nonScalar++;
        continue;
      }
      try {
        items.push(falcoItemText(String(entry)));
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
    const mode = this.mode(item, 'items');
    const existing = this.lists.get(item.name);
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
    const mode = this.mode(item, 'condition');
    const existing = this.macros.get(item.name);
    if (mode !== 'define' && existing === undefined) {
      this.problem(item, `macro '${item.name}' has ${mode} but no macro of that name was defined before`);
      return;
    }
    if (mode === 'append' && existing !== undefined)
      existing.condition = `${existing.condition} ${condition}`;
    else
      this.macros.set(item.name, { condition, file: item.file, line: item.keyLines.condition ?? item.line });
  }

  private addRule(item: RulesItem): void {
    const value = item.value;
    for (const key of Object.keys(value))
      if (!RULE_KEYS.has(key))
        this.problem(item, `rule '${item.name}': unknown key '${key}'`, 'warning', key);
    const existing = this.rules.get(item.name);
    const isAppend = value.append === true;
    const hasOverride = value.override !== undefined;
    if (isAppend || hasOverride) {
      if (existing === undefined) {
        this.problem(
          item,
          `rule '${item.name}' has ${isAppend ? 'append' : 'override'} but no rule of that name was defined before`,
        );
        return;
      }
      if (hasOverride && isRecord(value.override)) {
        for (const key of Object.keys(value.override)) {
          if (!OVERRIDABLE.has(key))
            this.problem(item, `rule '${item.name}': '${key}' cannot be overridden`, 'error', 'override');
          else if (!Object.hasOwn(value, key))
            this.problem(
              item,
              `rule '${item.name}': override.${key} is set but the item has no '${key}'`,
              'error',
              'override',
            );
        }
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
        if (isAppend && key !== 'condition' && key !== 'exceptions') {
          this.problem(
            item,
            `rule '${item.name}': with append: true only 'condition' and 'exceptions' are appended; '${key}' is ignored (use override)`,
            'warning',
            key,
          );
          continue;
        }
        const mode = isAppend ? 'append' : this.mode(item, key);
        if (mode === 'define') continue;
        this.mergeRuleKey(existing, item, key, mode);
      }
      return;
    }
    // As in Falco, an item naming an existing rule without condition, output, desc or priority only switches it
    // on or off; its other keys (source, tags) are not read.
    const switchOnly = ['condition', 'output', 'desc', 'priority'].every((key) => !Object.hasOwn(value, key));
    if (existing !== undefined && switchOnly && Object.hasOwn(value, 'enabled')) {
      if (typeof value.enabled !== 'boolean')
        this.problem(item, `rule '${item.name}': 'enabled' must be true or false`, 'error', 'enabled');
      else existing.enabled = value.enabled;
      return;
    }
    const draft = this.newRule(item);
    if (draft === undefined) return;
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
    const enabled = value.enabled ?? true;
    if (typeof enabled !== 'boolean') {
      this.problem(item, `rule '${item.name}': 'enabled' must be true or false`, 'error', 'enabled');
      ok = false;
    }
    const source = value.source ?? 'syscall';
    if (typeof source !== 'string') {
      this.problem(item, `rule '${item.name}': 'source' must be a string`, 'error', 'source');
      ok = false;
    }
    const exceptions = this.exceptionsOf(item);
    if (!ok || tags === undefined || exceptions === undefined) return undefined;
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
      enabled: enabled as boolean,
      exceptions,
      skipIfUnknownFilter: value['skip-if-unknown-filter'] === true,
      file: item.file,
      line: item.line,
    };
  }

  private tagsOf(item: RulesItem): string[] | undefined {
    const tags = item.value.tags ?? [];
    if (!Array.isArray(tags) || !tags.every((tag) => typeof tag === 'string' || typeof tag === 'number')) {
      this.problem(item, `rule '${item.name}': 'tags' must be a sequence of strings`, 'error', 'tags');
      return undefined;
    }
    return tags.map(String);
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
      case 'source':
        if (typeof value === 'string') rule.source = value;
        return;
      case 'enabled':
        if (typeof value !== 'boolean')
          this.problem(item, `rule '${item.name}': 'enabled' must be true or false`, 'error', key);
        else rule.enabled = value;
        return;
      case 'tags': {
        const tags = this.tagsOf(item);
        if (tags !== undefined) rule.tags = mode === 'append' ? [...new Set([...rule.tags, ...tags])] : tags;
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
          } else {
            if (!missingFields(index) && !sameShape(exception.fields, known.fields))
              problem = `gives fields ${JSON.stringify(exception.fields)}, but the rule's exception has ${JSON.stringify(known.fields)}; appending only adds values`;
            else if (raw[index]?.comps !== undefined && !sameShape(exception.comps, known.comps))
              problem = `gives comps ${JSON.stringify(exception.comps)}, but the rule's exception has ${JSON.stringify(known.comps ?? null)}; appending only adds values`;
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

/** Whether two exception `fields` (or `comps`) say the same: equal strings, or equal sequences. */
function sameShape(a: string | string[] | undefined, b: string | string[] | undefined): boolean {
  if (Array.isArray(a) && Array.isArray(b))
    return a.length === b.length && a.every((item, index) => item === b[index]);
  return a === b;
}
