// A fast path for the YAML that manifests are made of: block mappings and sequences, one-line plain and quoted
// scalars, literal block scalars and one-line flow collections. Anything else (anchors, aliases, tags, folded or
// multi-line scalars, complex keys, duplicate or merge keys, tabs in structure, odd indentation) returns
// FALLBACK, and js-yaml parses the document as before, errors included. Values are resolved with the same schema
// js-yaml uses, and the oracle test holds the two parsers equal on every document of the real-world corpora.
import { KUBERNETES_YAML_SCHEMA } from './yaml-schema.ts';

/** Returned when the document is outside the subset: parse it with the full parser. */
export const FALLBACK: unique symbol = Symbol('fast-yaml fallback');

type Value = unknown;

const STR_TAG = 'tag:yaml.org,2002:str';

const SPACE = 32;
const TAB = 9;
const HASH = 35;
const DASH = 45;
const COLON = 58;
const DQUOTE = 34;
const SQUOTE = 39;
const LBRACKET = 91;
const RBRACKET = 93;
const LBRACE = 123;
const RBRACE = 125;
const COMMA = 44;
const PIPE = 124;
const GT = 62;
const BACKSLASH = 92;

/** Thrown inside the parser to leave the fast path; never escapes `parseFastYaml`. */
class Fallback extends Error {}
const fallback = new Fallback('fallback');

/** Characters that cannot start a plain scalar in our subset (YAML indicators, or ones we leave to js-yaml). */
function badPlainStart(c: number, next: number): boolean {
  switch (c) {
    case COMMA:
    case LBRACKET:
    case RBRACKET:
    case LBRACE:
    case RBRACE:
    case HASH:
    case 38: // & anchor
    case 42: // * alias
    case 33: // ! tag
    case PIPE:
    case GT:
    case DQUOTE:
    case SQUOTE:
    case 37: // %
    case 64: // @
    case 96: // `
      return true;
    case DASH:
    case 63: // ?
    case COLON:
      // An indicator when followed by a blank, a line end or a flow indicator (`k: -`, `[a, -]`): js-yaml decides.
      return (
        Number.isNaN(next) ||
        next === SPACE ||
        next === TAB ||
        next === 10 ||
        next === 13 ||
        next === COMMA ||
        next === LBRACKET ||
        next === RBRACKET ||
        next === LBRACE ||
        next === RBRACE
      );
    default:
      return false;
  }
}

/**
 * Whether a plain scalar is certainly a string under the schema, without asking it: one that starts with a letter
 * can only be something else when it is one of the short words null, true, false, yes, no, on, off, y or n (in
 * their spellings), and those start with n, t, f, y or o and have at most five letters. Most keys and values of
 * manifests pass this test, and skip the schema's chain of regular expressions.
 */
function isCertainlyString(text: string): boolean {
  const c = text.charCodeAt(0) | 0x20; // lower case for letters
  if (c < 97 || c > 122) return false;
  if (text.length > 5) return true;
  return c !== 110 && c !== 116 && c !== 102 && c !== 121 && c !== 111; // n t f y o
}

function resolvePlain(text: string): Value {
  if (isCertainlyString(text)) return text;
  return KUBERNETES_YAML_SCHEMA.resolveImplicitScalarTag(text).value;
}

/** The text of a double-quoted scalar's inside, or fallback on an escape we do not decode exactly. */
function decodeDouble(inner: string): string {
  if (!inner.includes('\\')) return inner;
  let out = '';
  for (let i = 0; i < inner.length; i++) {
    const c = inner.charCodeAt(i);
    if (c !== BACKSLASH) {
      out += inner[i];
      continue;
    }
    const e = inner[++i];
    switch (e) {
      case '0':
        out += '\0';
        break;
      case 'a':
        out += '\x07';
        break;
      case 'b':
        out += '\b';
        break;
      case 't':
      case '\t':
        out += '\t';
        break;
      case 'n':
        out += '\n';
        break;
      case 'v':
        out += '\v';
        break;
      case 'f':
        out += '\f';
        break;
      case 'r':
        out += '\r';
        break;
      case 'e':
        out += '\x1b';
        break;
      case ' ':
      case '"':
      case '/':
      case '\\':
        out += e;
        break;
      case 'N':
        out += '\x85';
        break;
      case '_':
        out += '\xa0';
        break;
      case 'L':
        out += '\u2028';
        break;
      case 'P':
        out += '\u2029';
        break;
      case 'x':
      case 'u':
      case 'U': {
        const length = e === 'x' ? 2 : e === 'u' ? 4 : 8;
        const hex = inner.slice(i + 1, i + 1 + length);
        if (!/^[0-9A-Fa-f]+$/.test(hex) || hex.length !== length) throw fallback;
        const code = Number.parseInt(hex, 16);
        if (code > 0x10ffff) throw fallback;
        out += String.fromCodePoint(code);
        i += length;
        break;
      }
      default:
        throw fallback;
    }
  }
  return out;
}

/** Offset after the closing quote of a one-line quoted scalar opened at `open`; fallback when it is not on the line. */
function quotedEnd(text: string, open: number, end: number): number {
  const quote = text.charCodeAt(open);
  for (let i = open + 1; i < end; i++) {
    const c = text.charCodeAt(i);
    if (quote === DQUOTE) {
      if (c === BACKSLASH) i++;
      else if (c === DQUOTE) return i + 1;
    } else if (c === SQUOTE) {
      if (text.charCodeAt(i + 1) === SQUOTE) i++;
      else return i + 1;
    }
  }
  throw fallback;
}

function quotedValue(text: string, open: number, close: number): string {
  const inner = text.slice(open + 1, close - 1);
  if (text.charCodeAt(open) === DQUOTE) return decodeDouble(inner);
  return inner.includes("''") ? inner.replaceAll("''", "'") : inner;
}

/** Offset of the first character from `pos` that is not a space; tabs in structure leave the fast path. */
function skipSpaces(text: string, pos: number, end: number): number {
  let i = pos;
  while (i < end) {
    const c = text.charCodeAt(i);
    if (c === SPACE) i++;
    else if (c === TAB) throw fallback;
    else break;
  }
  return i;
}

/** The rest of a line after a value must be blank or a comment. */
function expectLineEnd(text: string, pos: number, end: number): void {
  let i = pos;
  while (i < end) {
    const c = text.charCodeAt(i);
    if (c === SPACE || c === TAB) i++;
    else if (c === HASH && i > pos) return;
    else throw fallback;
  }
}

interface Line {
  start: number;
  end: number;
  indent: number;
}

class FastParser {
  readonly #text: string;
  readonly #lines: Line[];
  readonly #maxDepth: number;
  #index = 0;

  constructor(text: string, lines: Line[], maxDepth: number) {
    this.#text = text;
    this.#lines = lines;
    this.#maxDepth = maxDepth;
  }

  parse(): Value {
    const first = this.#lines[0];
    if (first === undefined) throw fallback;
    const value = this.#blockNode(first.start + first.indent, first.indent, 1);
    if (this.#index !== this.#lines.length) throw fallback;
    return value;
  }

  /** A node starting at offset `pos` of the current line, at column `column`; collections only (documents are). */
  #blockNode(pos: number, column: number, depth: number): Value {
    if (depth > this.#maxDepth) throw fallback;
    const text = this.#text;
    const c = text.charCodeAt(pos);
    const next = text.charCodeAt(pos + 1);
    if (c === DASH && (next === SPACE || Number.isNaN(next) || pos + 1 === this.#current().end))
      return this.#sequence(pos, column, depth);
    if (this.#entryColon(pos, this.#current().end) !== -1) return this.#mapping(pos, column, depth);
    throw fallback;
  }

  #current(): Line {
    const line = this.#lines[this.#index];
    if (line === undefined) throw fallback;
    return line;
  }

  /**
   * Where the `:` of a mapping entry that starts at `pos` is (a `:` followed by a space or the line end, outside
   * a quoted key), or -1 when the line is not a mapping entry.
   */
  #entryColon(pos: number, end: number): number {
    const text = this.#text;
    const c = text.charCodeAt(pos);
    let i = pos;
    if (c === DQUOTE || c === SQUOTE) {
      i = quotedEnd(text, pos, end);
      i = skipSpaces(text, i, end);
      if (text.charCodeAt(i) !== COLON) return -1;
      const after = text.charCodeAt(i + 1);
      return i + 1 === end || after === SPACE ? i : -1;
    }
    if (badPlainStart(c, text.charCodeAt(pos + 1))) return -1;
    for (; i < end; i++) {
      const d = text.charCodeAt(i);
      if (d === COLON) {
        if (i + 1 === end || text.charCodeAt(i + 1) === SPACE) return i;
        if (text.charCodeAt(i + 1) === TAB) throw fallback;
      } else if (d === HASH && text.charCodeAt(i - 1) === SPACE) return -1;
    }
    return -1;
  }

  #mapping(pos: number, column: number, depth: number): Value {
    const text = this.#text;
    const map: Record<string, Value> = {};
    let start = pos;
    for (;;) {
      const line = this.#current();
      const colon = this.#entryColon(start, line.end);
      if (colon === -1) throw fallback;
      const key = this.#key(start, colon);
      if (Object.hasOwn(map, key)) throw fallback; // js-yaml reports duplicates; let it
      map[key] = this.#value(colon + 1, column, depth, true);
      // The next entry must sit exactly at this mapping's column.
      const next = this.#lines[this.#index];
      if (next === undefined || next.indent < column) return map;
      if (next.indent > column) throw fallback;
      start = next.start + next.indent;
      if (text.charCodeAt(start) === DASH && this.#entryColon(start, next.end) === -1) {
        // `key:` followed by a sequence at the same column belongs to that key, handled in #value; here it is
        // a sequence after a complete entry: not ours.
        throw fallback;
      }
    }
  }

  #key(start: number, colon: number): string {
    const text = this.#text;
    const c = text.charCodeAt(start);
    if (c === DQUOTE || c === SQUOTE) {
      const close = quotedEnd(text, start, colon);
      const key = quotedValue(text, start, close);
      if (key === '__proto__') throw fallback;
      return key;
    }
    let end = colon;
    while (end > start && text.charCodeAt(end - 1) === SPACE) end--;
    const raw = text.slice(start, end);
    if (raw.includes('\t')) throw fallback;
    if (isCertainlyString(raw)) return raw;
    // Keys that resolve to anything but a string (numbers, booleans, null, the merge key `<<`) are left to
    // js-yaml's own conversion.
    const { value, tag } = KUBERNETES_YAML_SCHEMA.resolveImplicitScalarTag(raw);
    if (tag.tagName !== STR_TAG || typeof value !== 'string' || value === '__proto__') throw fallback;
    return value;
  }

  /**
   * The value after a mapping `:` or a sequence `- ` at offset `pos` of the current line; `column` is the column of
   * the collection the value belongs to. Advances past every line the value uses.
   */
  #value(pos: number, column: number, depth: number, isMappingValue: boolean): Value {
    const text = this.#text;
    const line = this.#current();
    const start = skipSpaces(text, pos, line.end);
    if (start === line.end || text.charCodeAt(start) === HASH) {
      // The value is on the next lines: a more-indented block, or a sequence at the same column, or nothing.
      this.#index++;
      const next = this.#lines[this.#index];
      if (next === undefined) return null;
      const first = next.start + next.indent;
      if (next.indent > column) return this.#blockNode(first, next.indent, depth + 1);
      // Only a mapping value may be a sequence at the mapping's own column (`key:` then `- a`); after an empty
      // `- `, a `- ` at the same column is the next item.
      if (
        isMappingValue &&
        next.indent === column &&
        text.charCodeAt(first) === DASH &&
        this.#isMappingValueSequence(first, next)
      )
        return this.#sequence(first, column, depth + 1);
      return null;
    }
    const c = text.charCodeAt(start);
    if (c === PIPE) return this.#literal(start, line, column);
    if (c === GT) throw fallback;
    if (c === LBRACKET || c === LBRACE) {
      const flow = new FlowParser(text, start, line.end, depth + 1, this.#maxDepth);
      const value = flow.value();
      expectLineEnd(text, flow.pos, line.end);
      this.#endScalarLine(column);
      return value;
    }
    if (c === DQUOTE || c === SQUOTE) {
      const close = quotedEnd(text, start, line.end);
      expectLineEnd(text, close, line.end);
      this.#endScalarLine(column);
      return quotedValue(text, start, close);
    }
    if (badPlainStart(c, text.charCodeAt(start + 1))) throw fallback;
    // One pass finds where a comment ends the value, and refuses `a: b: c` (an error; compact mappings after `- `
    // are read by #sequenceItem), leaving js-yaml to say so.
    const lineEnd = line.end;
    let end = lineEnd;
    for (let i = start; i < lineEnd; i++) {
      const d = text.charCodeAt(i);
      if (d === COLON) {
        const after = text.charCodeAt(i + 1);
        if (i + 1 === lineEnd || after === SPACE || after === TAB) throw fallback;
      } else if (d === HASH) {
        const before = text.charCodeAt(i - 1);
        if (before === SPACE || before === TAB) {
          end = i;
          break;
        }
      }
    }
    while (end > start) {
      const d = text.charCodeAt(end - 1);
      if (d === SPACE) end--;
      else if (d === TAB) throw fallback;
      else break;
    }
    this.#endScalarLine(column);
    return resolvePlain(text.slice(start, end));
  }

  /** Whether `- ...` at the mapping's column is a sequence value (the line holds a sequence entry). */
  #isMappingValueSequence(first: number, line: Line): boolean {
    const next = this.#text.charCodeAt(first + 1);
    return next === SPACE || first + 1 === line.end;
  }

  /** After a one-line scalar: the next line may not be more indented (that would be a multi-line scalar). */
  #endScalarLine(column: number): void {
    this.#index++;
    const next = this.#lines[this.#index];
    if (next !== undefined && next.indent > column) throw fallback;
  }

  #sequence(pos: number, column: number, depth: number): Value {
    if (depth > this.#maxDepth) throw fallback;
    const text = this.#text;
    const items: Value[] = [];
    let start = pos;
    for (;;) {
      const line = this.#current();
      // `start` is at the `-`; the item's own column is that of the text after `- `.
      const after = start + 1;
      const contentStart = skipSpaces(text, after, line.end);
      if (contentStart < line.end && text.charCodeAt(contentStart) === DASH) {
        const d = text.charCodeAt(contentStart + 1);
        if (d === SPACE || contentStart + 1 === line.end) throw fallback; // `- - a`: nested compact sequence
      }
      // A compact mapping inside the entry sits at the column of its first key.
      const itemColumn = contentStart < line.end ? contentStart - line.start : column + 1;
      items.push(this.#sequenceItem(after, column, itemColumn, depth));
      const next = this.#lines[this.#index];
      if (next === undefined || next.indent < column) return items;
      if (next.indent > column) throw fallback;
      start = next.start + next.indent;
      if (text.charCodeAt(start) !== DASH) return items; // back to a mapping at the same column
      const d = text.charCodeAt(start + 1);
      if (!(d === SPACE || start + 1 === next.end)) return items;
    }
  }

  #sequenceItem(after: number, column: number, itemColumn: number, depth: number): Value {
    const line = this.#current();
    const text = this.#text;
    const start = skipSpaces(text, after, line.end);
    if (start < line.end && text.charCodeAt(start) !== HASH) {
      const colon = this.#entryColon(start, line.end);
      if (colon !== -1) return this.#mapping(start, itemColumn, depth + 1);
    }
    return this.#value(after, column, depth, false);
  }

  /** A literal block scalar (`|`, `|-`, `|+`); explicit indentation indicators leave the fast path. */
  #literal(pos: number, line: Line, column: number): string {
    const text = this.#text;
    let chomp: 'clip' | 'strip' | 'keep' = 'clip';
    let i = pos + 1;
    const c = text.charCodeAt(i);
    if (c === DASH) {
      chomp = 'strip';
      i++;
    } else if (c === 43) {
      chomp = 'keep';
      i++;
    }
    expectLineEndOrComment(text, i, line.end);
    // Block scalar lines come from the raw text, not from the content-line index (blank and comment-like lines
    // are content here).
    let offset = line.end + 1;
    const length = this.#textEnd;
    let indent = -1;
    const parts: string[] = [];
    let trailingBreaks = 0;
    let maxLeadingBlank = 0;
    while (offset < length) {
      const newline = text.indexOf('\n', offset);
      const lineEnd = newline === -1 ? length : newline;
      let spaces = 0;
      while (offset + spaces < lineEnd && text.charCodeAt(offset + spaces) === SPACE) spaces++;
      const blank = offset + spaces === lineEnd;
      if (blank) {
        if (indent === -1) maxLeadingBlank = Math.max(maxLeadingBlank, spaces);
        else if (spaces > indent) {
          // A blank line with more spaces than the indentation keeps the extra spaces as content.
          parts.push('\n'.repeat(trailingBreaks) + text.slice(offset + indent, lineEnd));
          trailingBreaks = 0;
        }
        trailingBreaks++;
        offset = lineEnd + 1;
        continue;
      }
      if (indent === -1) {
        if (spaces <= column) break;
        if (maxLeadingBlank > spaces) throw fallback; // leading blank lines more indented than the content
        indent = spaces;
      } else if (spaces < indent) break;
      // Leading blank lines, and blank lines between content lines, are line breaks of the content.
      const content = text.slice(offset + indent, lineEnd);
      parts.push(trailingBreaks === 0 ? content : '\n'.repeat(trailingBreaks) + content);
      trailingBreaks = 1;
      offset = lineEnd + 1;
    }
    // `trailingBreaks` counts the line breaks after the last content line (the first is its own).
    let body = parts.join('');
    if (parts.length === 0) {
      body = '';
      if (chomp === 'keep') body = '\n'.repeat(Math.max(0, trailingBreaks));
    } else if (chomp === 'clip') body += '\n';
    else if (chomp === 'keep') body += '\n'.repeat(trailingBreaks);
    // Move the content-line index past the scalar.
    this.#index++;
    while (this.#index < this.#lines.length && (this.#lines[this.#index] as Line).start < offset)
      this.#index++;
    if (parts.length > 0 || chomp === 'keep') {
      const next = this.#lines[this.#index];
      if (next !== undefined && next.indent > column && next.start >= offset) throw fallback;
    }
    return body;
  }

  get #textEnd(): number {
    return this.#text.length;
  }
}

function expectLineEndOrComment(text: string, pos: number, end: number): void {
  let i = pos;
  if (i < end && text.charCodeAt(i) >= 49 && text.charCodeAt(i) <= 57) throw fallback; // indentation indicator
  while (i < end) {
    const c = text.charCodeAt(i);
    if (c === SPACE) i++;
    else if (c === HASH && i > pos) return;
    else throw fallback;
  }
}

/** One-line flow collections: `[a, "b"]`, `{}`, `{a: 1, b: [c]}`. */
class FlowParser {
  pos: number;
  readonly #text: string;
  readonly #end: number;
  readonly #depth: number;
  readonly #maxDepth: number;

  constructor(text: string, pos: number, end: number, depth: number, maxDepth: number) {
    this.#text = text;
    this.pos = pos;
    this.#end = end;
    this.#depth = depth;
    this.#maxDepth = maxDepth;
  }

  value(depth = this.#depth): Value {
    if (depth > this.#maxDepth) throw fallback;
    const text = this.#text;
    const c = text.charCodeAt(this.pos);
    if (c === LBRACKET) {
      this.pos++;
      const items: Value[] = [];
      this.#skip();
      if (text.charCodeAt(this.pos) === RBRACKET) {
        this.pos++;
        return items;
      }
      for (;;) {
        items.push(this.value(depth + 1));
        this.#skip();
        const d = text.charCodeAt(this.pos);
        if (d === COLON) throw fallback; // a single-pair mapping inside a sequence
        this.pos++;
        if (d === RBRACKET) return items;
        if (d !== COMMA) throw fallback;
        this.#skip();
        if (text.charCodeAt(this.pos) === RBRACKET) throw fallback; // trailing comma: leave to js-yaml
      }
    }
    if (c === LBRACE) {
      this.pos++;
      const map: Record<string, Value> = {};
      this.#skip();
      if (text.charCodeAt(this.pos) === RBRACE) {
        this.pos++;
        return map;
      }
      for (;;) {
        const key = this.#scalar(true);
        if (typeof key !== 'string' || key === '__proto__' || Object.hasOwn(map, key)) throw fallback;
        this.#skip();
        if (text.charCodeAt(this.pos) !== COLON) throw fallback;
        this.pos++;
        this.#skip();
        map[key] = this.value(depth + 1);
        this.#skip();
        const d = text.charCodeAt(this.pos);
        this.pos++;
        if (d === RBRACE) return map;
        if (d !== COMMA) throw fallback;
        this.#skip();
        if (text.charCodeAt(this.pos) === RBRACE) throw fallback;
      }
    }
    return this.#scalar(false);
  }

  #skip(): void {
    this.pos = skipSpaces(this.#text, this.pos, this.#end);
    if (this.pos >= this.#end) throw fallback; // the collection goes on past the line
  }

  #scalar(isKey: boolean): Value {
    const text = this.#text;
    const c = text.charCodeAt(this.pos);
    if (c === DQUOTE || c === SQUOTE) {
      const close = quotedEnd(text, this.pos, this.#end);
      const value = quotedValue(text, this.pos, close);
      this.pos = close;
      return value;
    }
    if (c === LBRACKET || c === LBRACE) {
      if (isKey) throw fallback;
      return this.value();
    }
    if (badPlainStart(c, text.charCodeAt(this.pos + 1))) throw fallback;
    const start = this.pos;
    let i = start;
    for (; i < this.#end; i++) {
      const d = text.charCodeAt(i);
      if (d === COMMA || d === RBRACKET || d === RBRACE || d === LBRACKET || d === LBRACE) break;
      if (d === COLON) {
        const e = text.charCodeAt(i + 1);
        if (e === SPACE || e === COMMA || e === RBRACKET || e === RBRACE || i + 1 === this.#end) break;
        throw fallback; // `a:b` inside flow: YAML 1.2 and js-yaml differ on adjacency; leave it
      }
      if (d === HASH && text.charCodeAt(i - 1) === SPACE) throw fallback;
      if (d === TAB) throw fallback;
    }
    let end = i;
    while (end > start && text.charCodeAt(end - 1) === SPACE) end--;
    if (end === start) throw fallback;
    this.pos = i;
    const raw = text.slice(start, end);
    if (isCertainlyString(raw)) return raw;
    const { value, tag } = KUBERNETES_YAML_SCHEMA.resolveImplicitScalarTag(raw);
    if (isKey && tag.tagName !== STR_TAG) throw fallback;
    return value;
  }
}

/**
 * The content lines of a document (not blank, not comments, not a leading `---`), or fallback for what the fast
 * path does not read: directives, `...`, carriage returns, tabs in indentation, content on the `---` line.
 */
function contentLines(text: string): Line[] {
  const lines: Line[] = [];
  const length = text.length;
  let pos = 0;
  let sawContent = false;
  while (pos < length) {
    const newline = text.indexOf('\n', pos);
    const end = newline === -1 ? length : newline;
    let i = pos;
    while (i < end && text.charCodeAt(i) === SPACE) i++;
    const c = text.charCodeAt(i);
    if (i === end || c === HASH) {
      // blank or comment line
    } else if (c === TAB || c === 13) throw fallback;
    else if (i === pos && (c === DASH || c === 46 || c === 37) && isMarkerLine(text, pos, end)) {
      if (sawContent || c !== DASH) throw fallback;
      // `---` alone (or with a comment) opens the document.
      expectLineEnd(text, pos + 3, end);
    } else {
      sawContent = true;
      if (text.charCodeAt(end - 1) === 13) throw fallback;
      lines.push({ start: pos, end, indent: i - pos });
    }
    pos = end + 1;
  }
  return lines;
}

function isMarkerLine(text: string, pos: number, end: number): boolean {
  const c = text.charCodeAt(pos);
  if (c === 37) return true; // a directive
  if (text.charCodeAt(pos + 1) !== c || text.charCodeAt(pos + 2) !== c) return false;
  return pos + 3 === end || text.charCodeAt(pos + 3) === SPACE || text.charCodeAt(pos + 3) === TAB;
}

/** What js-yaml refuses as non-printable (so that such documents get its error), plus a byte order mark. */
const NON_PRINTABLE =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is what this pattern is for.
  /[\x00-\x08\x0B\x0C\x0E-\x1F\x7F-\x84\x86-\x9F\uFEFF\uFFFE\uFFFF\r]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?:[^\uD800-\uDBFF]|^)[\uDC00-\uDFFF]/;

const NOT_PRINTABLE_ASCII = /[^\t\n\x20-\x7e]/;

/** The document's value, or FALLBACK when it is outside the fast subset (js-yaml then decides). */
export function parseFastYaml(text: string, maxDepth: number): Value | typeof FALLBACK {
  // Most manifests are printable ASCII, which a plain character class confirms twice as fast as NON_PRINTABLE.
  if (NOT_PRINTABLE_ASCII.test(text) && NON_PRINTABLE.test(text)) return FALLBACK;
  // Depth is counted a little differently by js-yaml; staying clear of the limit leaves the verdict to it.
  const depthLimit = maxDepth - 2;
  try {
    const lines = contentLines(text);
    if (lines.length === 0) return FALLBACK;
    const first = lines[0] as Line;
    if (first.indent !== 0) return FALLBACK;
    return new FastParser(text, lines, depthLimit).parse();
  } catch (error) {
    if (error instanceof Fallback) return FALLBACK;
    throw error;
  }
}
