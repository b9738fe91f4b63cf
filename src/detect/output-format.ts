// Rule output templates: `%field`, `%field[arg]` and `%tolower(field)` replaced by the event's values, and
// `%20field` with the value cut or padded with spaces to 20 bytes (Falco's length modifier). Field names are matched
// longest-first against the field table, so `%ka.target.name/%ka.target.resource` works.

import { TRANSFORMERS } from './condition/ast.ts';
import { type CompileEnvironment, ConditionCompiler } from './condition/compile.ts';
import { shownValue } from './condition/predicates.ts';
import { displayText, type FieldValue, type OutputFieldValue } from './field-value.ts';
import type { EventContext } from './fields/field-definition.ts';

interface FieldPart {
  label: string;
  get: (context: EventContext) => FieldValue;
  json: ((context: EventContext) => OutputFieldValue) | undefined;
  /** Bytes the text takes in the output (Falco's `%20field`); undefined: as long as the value. */
  width: number | undefined;
}
type Part = string | FieldPart;

export interface OutputTemplate {
  render(context: EventContext): { text: string; fields: Record<string, OutputFieldValue> };
}

/** The value in output_fields, as Falco's JSON output gives it: lists as arrays, numbers as numbers, null when missing. */
function jsonValue(value: FieldValue): OutputFieldValue {
  return value === undefined ? null : value;
}

/** Falco's `std::string::resize(width, ' ')`: cut to `width` bytes (never inside a character) or padded with spaces. */
function fitted(text: string, width: number): string {
  const bytes = Buffer.byteLength(text);
  if (bytes <= width) return text + ' '.repeat(width - bytes);
  let cut = '';
  let used = 0;
  for (const char of text) {
    const size = Buffer.byteLength(char);
    if (used + size > width) break;
    cut += char;
    used += size;
  }
  return cut + ' '.repeat(width - used);
}

const NAME_CHARS = /[A-Za-z0-9_.]/;
/** Widest length modifier accepted: every alert would otherwise carry the padding (Falco allocates it too). */
export const MAX_OUTPUT_FIELD_WIDTH = 4096;

/** Throws ConditionCompileError for unknown fields, with the offset into the template. */
export function compileOutput(template: string, env: CompileEnvironment): OutputTemplate {
  const compiler = new ConditionCompiler(env);
  const parts: Part[] = [];
  let literal = '';
  // A leading `*` is libsinsp's "show <NA> for missing values" flag, never printed (Falco adds it when absent).
  let index = template.startsWith('*') ? 1 : 0;
  while (index < template.length) {
    const char = template[index]!;
    if (char !== '%') {
      literal += char;
      index++;
      continue;
    }
    // A length modifier: digits right after the `%`, before the field name.
    let nameStart = index + 1;
    while (nameStart < template.length && template[nameStart]! >= '0' && template[nameStart]! <= '9')
      nameStart++;
    const digits = template.slice(index + 1, nameStart);
    // `%0field` is no modifier at all in libsinsp.
    const width = digits === '' || Number(digits) === 0 ? undefined : Number(digits);
    const parsed = readFieldReference(template, nameStart, env);
    if (parsed !== undefined && width !== undefined && width > MAX_OUTPUT_FIELD_WIDTH)
      throw new Error(
        `length modifier %${shownValue(digits)} is wider than ${MAX_OUTPUT_FIELD_WIDTH} bytes (at character ${index + 1} of the output)`,
      );
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
    parts.push({ label: template.slice(nameStart, parsed.end), get: field.get, json: field.json, width });
    index = parsed.end;
  }
  if (literal !== '') parts.push(literal);
  return {
    render(context) {
      let text = '';
      const fields: Record<string, OutputFieldValue> = {};
      for (const part of parts) {
        if (typeof part === 'string') text += part;
        else {
          const value = part.get(context);
          const shown = displayText(value);
          text += part.width === undefined ? shown : fitted(shown, part.width);
          fields[part.label] = part.json === undefined ? jsonValue(value) : part.json(context);
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
