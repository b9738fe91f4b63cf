// Recursive-descent parser for Falco's condition grammar: and/or/not, parentheses, macros, field checks with
// comparison and word operators, value lists, quoted strings, transformers (`tolower(f)`) and `val(f)` operands.
import {
  type ConditionNode,
  type FieldRef,
  type ListItem,
  SYMBOL_OPERATORS,
  TRANSFORMERS,
  UNARY_OPERATORS,
  type ValueNode,
  WORD_OPERATORS,
} from './ast.ts';

export class ConditionSyntaxError extends Error {
  readonly offset: number;
  constructor(message: string, offset: number) {
    super(message);
    this.name = 'ConditionSyntaxError';
    this.offset = offset;
  }
}

const IDENT = /[A-Za-z0-9_.]/;
const MAX_DEPTH = 200;

/** `isField` tells fields from macro names (both are bare identifiers in the grammar). */
export function parseCondition(text: string, isField: (name: string) => boolean): ConditionNode {
  const parser = new Parser(text, isField);
  const node = parser.parseExpression(0);
  parser.skipSpace();
  if (!parser.atEnd()) parser.fail(`unexpected ${JSON.stringify(parser.rest(12))}`);
  return node;
}

class Parser {
  private pos = 0;
  private readonly text: string;
  private readonly isField: (name: string) => boolean;

  constructor(text: string, isField: (name: string) => boolean) {
    this.text = text;
    this.isField = isField;
  }

  atEnd(): boolean {
    return this.pos >= this.text.length;
  }

  rest(length: number): string {
    return this.text.slice(this.pos, this.pos + length);
  }

  fail(message: string, offset = this.pos): never {
    throw new ConditionSyntaxError(message, offset);
  }

  skipSpace(): void {
    while (this.pos < this.text.length && /\s/.test(this.text[this.pos]!)) this.pos++;
  }

  private peekKeyword(word: string): boolean {
    this.skipSpace();
    if (!this.text.startsWith(word, this.pos)) return false;
    const next = this.text[this.pos + word.length];
    return next === undefined || !IDENT.test(next);
  }

  private takeKeyword(word: string): boolean {
    if (!this.peekKeyword(word)) return false;
    this.pos += word.length;
    return true;
  }

  parseExpression(depth: number): ConditionNode {
    if (depth > MAX_DEPTH) this.fail('condition nested too deeply');
    const operands = [this.parseAnd(depth)];
    while (this.takeKeyword('or')) operands.push(this.parseAnd(depth));
    return operands.length === 1 ? operands[0]! : { kind: 'or', operands };
  }

  private parseAnd(depth: number): ConditionNode {
    const operands = [this.parseNot(depth)];
    while (this.takeKeyword('and')) operands.push(this.parseNot(depth));
    return operands.length === 1 ? operands[0]! : { kind: 'and', operands };
  }

  private parseNot(depth: number): ConditionNode {
    if (depth > MAX_DEPTH) this.fail('condition nested too deeply');
    if (this.takeKeyword('not')) return { kind: 'not', operand: this.parseNot(depth + 1) };
    return this.parsePrimary(depth);
  }

  private parsePrimary(depth: number): ConditionNode {
    this.skipSpace();
    if (this.atEnd()) this.fail('unexpected end of condition');
    if (this.text[this.pos] === '(') {
      this.pos++;
      const inner = this.parseExpression(depth + 1);
      this.skipSpace();
      if (this.text[this.pos] !== ')') this.fail("expected ')'");
      this.pos++;
      return inner;
    }
    const offset = this.pos;
    const word = this.readIdentifier();
    if (word === '') this.fail(`unexpected ${JSON.stringify(this.rest(12))}`);
    if (TRANSFORMERS.has(word) && this.text[this.pos] === '(') {
      const field = this.parseTransformed(word, offset, depth);
      return this.parseCheck(field, offset);
    }
    if (this.text[this.pos] === '[' || this.isField(word)) {
      const field: FieldRef = { name: word, arg: this.readArgument(), transformers: [], offset };
      return this.parseCheck(field, offset);
    }
    if (this.nextIsOperator()) this.fail(`unknown field '${word}'`, offset);
    return { kind: 'macro', name: word, offset };
  }

  private readIdentifier(): string {
    const start = this.pos;
    while (this.pos < this.text.length && IDENT.test(this.text[this.pos]!)) this.pos++;
    return this.text.slice(start, this.pos);
  }

  /** `[arg]` after a field name: a quoted string (`ka.uri.param["x"]` is the argument `x`) or bare text. */
  private readArgument(): string | undefined {
    if (this.text[this.pos] !== '[') return undefined;
    this.pos++;
    const quote = this.text[this.pos];
    if (quote === '"' || quote === "'") {
      const arg = this.readQuoted();
      if (this.text[this.pos] !== ']') this.fail("expected ']' after the quoted field argument");
      this.pos++;
      return arg;
    }
    const close = this.text.indexOf(']', this.pos);
    if (close < 0) this.fail("missing ']' after field argument");
    const arg = this.text.slice(this.pos, close);
    this.pos = close + 1;
    return arg;
  }

  private parseTransformed(transformer: string, offset: number, depth: number): FieldRef {
    if (depth > MAX_DEPTH) this.fail('transformers nested too deeply');
    this.pos++; // '('
    this.skipSpace();
    const innerOffset = this.pos;
    const word = this.readIdentifier();
    let field: FieldRef;
    if (TRANSFORMERS.has(word) && this.text[this.pos] === '(') {
      field = this.parseTransformed(word, innerOffset, depth + 1);
    } else {
      if (word === '') this.fail(`expected a field inside ${transformer}()`);
      field = { name: word, arg: this.readArgument(), transformers: [], offset: innerOffset };
    }
    this.skipSpace();
    if (this.text[this.pos] !== ')') this.fail(`expected ')' to close ${transformer}(`);
    this.pos++;
    return { ...field, transformers: [...field.transformers, transformer], offset };
  }

  private nextIsOperator(): boolean {
    this.skipSpace();
    if (SYMBOL_OPERATORS.some((op) => this.text.startsWith(op, this.pos))) return true;
    return WORD_OPERATORS.some((op) => this.peekKeyword(op));
  }

  private readOperator(): string | undefined {
    this.skipSpace();
    for (const op of SYMBOL_OPERATORS) {
      if (this.text.startsWith(op, this.pos)) {
        this.pos += op.length;
        return op === '==' ? '=' : op;
      }
    }
    for (const op of WORD_OPERATORS) if (this.takeKeyword(op)) return op;
    return undefined;
  }

  private parseCheck(field: FieldRef, offset: number): ConditionNode {
    const operator = this.readOperator();
    if (operator === undefined) this.fail(`expected an operator after '${field.name}'`);
    if (UNARY_OPERATORS.has(operator)) return { kind: 'check', field, operator, value: undefined, offset };
    return { kind: 'check', field, operator, value: this.parseValue(), offset };
  }

  private parseValue(): ValueNode {
    this.skipSpace();
    const offset = this.pos;
    if (this.atEnd()) this.fail('expected a value');
    const char = this.text[this.pos]!;
    if (char === '(') return { kind: 'list', items: this.parseList(), offset };
    if (char === '"' || char === "'")
      return { kind: 'literal', text: this.readQuoted(), quoted: true, offset };
    if (this.text.startsWith('val(', this.pos)) {
      this.pos += 4;
      this.skipSpace();
      const fieldOffset = this.pos;
      const name = this.readIdentifier();
      if (name === '') this.fail('expected a field inside val()');
      const field: FieldRef = { name, arg: this.readArgument(), transformers: [], offset: fieldOffset };
      this.skipSpace();
      if (this.text[this.pos] !== ')') this.fail("expected ')' to close val(");
      this.pos++;
      return { kind: 'field', field, offset };
    }
    // A transformed field (`tolower(ka.target.name)`) is compared by its value, as libsinsp reads the right side.
    const word = this.readIdentifier();
    if (TRANSFORMERS.has(word) && this.text[this.pos] === '(')
      return { kind: 'field', field: this.parseTransformed(word, offset, 0), offset };
    this.pos = offset;
    const bare = this.readBare();
    if (bare === '') this.fail(`expected a value, found ${JSON.stringify(char)}`);
    return { kind: 'literal', text: bare, quoted: false, offset };
  }

  private parseList(): ListItem[] {
    this.pos++; // '('
    const items: ListItem[] = [];
    for (;;) {
      this.skipSpace();
      if (this.atEnd()) this.fail("missing ')' to close the value list");
      const char = this.text[this.pos]!;
      if (char === ')') {
        this.pos++;
        return items;
      }
      if (char === ',') {
        this.pos++;
        continue;
      }
      if (char === '"' || char === "'") items.push({ text: this.readQuoted(), quoted: true });
      else {
        const bare = this.readBare();
        if (bare === '') this.fail(`unexpected ${JSON.stringify(char)} in value list`);
        items.push({ text: bare, quoted: false });
      }
    }
  }

  private readBare(): string {
    const start = this.pos;
    while (this.pos < this.text.length && !/[\s(),]/.test(this.text[this.pos]!)) this.pos++;
    return this.text.slice(start, this.pos);
  }

  private readQuoted(): string {
    const start = this.pos;
    const end = quotedStringEnd(this.text, start);
    if (end < 0) this.fail('unterminated quoted string', start);
    this.pos = end;
    return unescapeQuoted(this.text.slice(start, end), start);
  }
}

/** Offset just past the closing quote of the quoted string starting at `start`, or -1 when it is not closed. */
function quotedStringEnd(text: string, start: number): number {
  const quote = text[start];
  for (let index = start + 1; index < text.length; index++) {
    if (text[index] === '\\') index++;
    else if (text[index] === quote) return index + 1;
  }
  return -1;
}

/**
 * The value of a quoted string (quotes included in `quoted`), with the escapes Falco's filter parser accepts:
 * `\b \f \n \r \t \\ \/`, and the string's own quote. Any other escape is an error there, and so here.
 */
function unescapeQuoted(quoted: string, offset: number): string {
  const quote = quoted[0];
  let out = '';
  for (let index = 1; index < quoted.length - 1; index++) {
    const char = quoted[index]!;
    if (char !== '\\') {
      out += char;
      continue;
    }
    const next = quoted[++index]!;
    const simple = ESCAPES[next];
    if (simple !== undefined) out += simple;
    else if (next === quote) out += next;
    else if (next === '"' || next === "'")
      throw new ConditionSyntaxError(
        `invalid \\${next} escape in a ${quote}-quoted string (only the string's own quote can be escaped)`,
        offset + index - 1,
      );
    else throw new ConditionSyntaxError(`unsupported string escape sequence: \\${next}`, offset + index - 1);
  }
  return out;
}

const ESCAPES: Readonly<Record<string, string>> = {
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
  '\\': '\\',
  '/': '/',
  // Falco reads a backslash before a space as a backslash, kept for rules written that way.
  ' ': '\\',
};

/**
 * A list item or exception value as Falco reads it: Falco pastes these into the condition text, so an item
 * written in quotes (`'"kube-system"'`) is the quoted string's value, and any other item is taken as it is.
 */
export function falcoItemText(text: string): { text: string; quoted: boolean } {
  const first = text[0];
  if ((first === '"' || first === "'") && quotedStringEnd(text, 0) === text.length)
    return { text: unescapeQuoted(text, 0), quoted: true };
  return { text, quoted: false };
}
