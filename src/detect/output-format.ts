// Rule output templates: `%field`, `%field[arg]` and `%tolower(field)` replaced by the event's values.
// Field names are matched longest-first against the field table, so `%ka.target.name/%ka.target.resource` works.

import { TRANSFORMERS } from './condition/ast.ts';
import { type CompileEnvironment, ConditionCompiler } from './condition/compile.ts';
import { displayText, type FieldValue } from './field-value.ts';
import type { EventContext } from './fields/field-definition.ts';

type Part = string | { label: string; get: (context: EventContext) => FieldValue };

export interface OutputTemplate {
  render(context: EventContext): { text: string; fields: Record<string, string | number | null> };
}

const NAME_CHARS = /[A-Za-z0-9_.]/;

/** Throws ConditionCompileError for unknown fields, with the offset into the template. */
export function compileOutput(template: string, env: CompileEnvironment): OutputTemplate {
  const compiler = new ConditionCompiler(env);
  const parts: Part[] = [];
  let literal = '';
  let index = 0;
  while (index < template.length) {
    const char = template[index]!;
    if (char !== '%') {
      literal += char;
      index++;
      continue;
    }
    const parsed = readFieldReference(template, index + 1, env);
    if (parsed === undefined) {
      literal += char;
      index++;
      continue;
    }
    if (literal !== '') parts.push(literal);
    literal = '';
    const field = compiler.compileField({
      name: parsed.name,
      arg: parsed.arg,
      transformers: parsed.transformers,
      offset: index,
    });
    parts.push({ label: template.slice(index + 1, parsed.end), get: field.get });
    index = parsed.end;
  }
  if (literal !== '') parts.push(literal);
  return {
    render(context) {
      let text = '';
      const fields: Record<string, string | number | null> = {};
      for (const part of parts) {
        if (typeof part === 'string') text += part;
        else {
          const value = part.get(context);
          const shown = displayText(value);
          text += shown;
          fields[part.label] = typeof value === 'number' ? value : value === undefined ? null : shown;
        }
      }
      return { text: text.trim(), fields };
    },
  };
}

interface FieldReference {
  name: string;
  arg: string | undefined;
  transformers: string[];
  end: number;
}

function readFieldReference(
  template: string,
  start: number,
  env: CompileEnvironment,
): FieldReference | undefined {
  let end = start;
  while (end < template.length && NAME_CHARS.test(template[end]!)) end++;
  const word = template.slice(start, end);
  if (TRANSFORMERS.has(word) && template[end] === '(') {
    const close = template.indexOf(')', end);
    if (close < 0) return undefined;
    const inner = readFieldReference(template.slice(0, close), end + 1, env);
    if (inner === undefined || inner.end !== close) return undefined;
    return { ...inner, transformers: [...inner.transformers, word], end: close + 1 };
  }
  // Longest known field name that prefixes the word (a sentence may end right after a field).
  for (let length = word.length; length > 0; length--) {
    const name = word.slice(0, length);
    if (env.field(name) === undefined) continue;
    const after = start + length;
    if (template[after] === '[') {
      const close = template.indexOf(']', after);
      if (close > after)
        return { name, arg: template.slice(after + 1, close), transformers: [], end: close + 1 };
    }
    return { name, arg: undefined, transformers: [], end: after };
  }
  if (word.includes('.')) throw new Error(`unknown field '%${word}' in output`);
  return undefined;
}
