// The subset of TOML that Cargo.lock, poetry.lock and uv.lock use: [[array]] and [table] headers with `key =
// value`. Strings are read as TOML defines them (basic with escapes, literal, and both multi-line forms), so a
// description spanning lines is never misread as keys or headers; flat arrays of strings (poetry's `groups =
// ["main", "dev"]`) are kept, and so are one-line inline tables of plain values (uv's `source = { registry = ... }`,
// as `source.registry`) and arrays of inline tables (uv's `dependencies = [{ name = "idna" }, ...]`); other arrays
// and inline tables (which may span lines and hold brackets inside strings) are skipped whole. One forward pass; a
// construct left open at the end is reported with its line.
import { type LockfileWarn, lineLocator } from './lockfile-reader.ts';

export interface TomlTable {
  header: string;
  /**
   * String values, and an inline table's entries under dotted keys (its bare values among them, as written). Bare
   * values of the table itself (numbers, booleans, dates) are read past, not kept: no lockfile reader needs one,
   * and none may be taken for a string (`version = 1` is not "1").
   */
  values: Map<string, string>;
  /** Arrays whose elements are all strings. */
  arrays: Map<string, string[]>;
  /** Arrays whose elements are all inline tables (an empty array is among `arrays`). */
  tableArrays: Map<string, InlineTable[]>;
  line: number;
}

/**
 * An inline table's strings, bare values and string arrays, by key; a nested inline table's entries under dotted
 * keys (`source = { registry = "..." }` as `source.registry`).
 */
export type InlineTable = Map<string, string | string[]>;

class TomlError extends Error {
  readonly at: number;
  constructor(message: string, at: number) {
    super(message);
    this.at = at;
  }
}

const ESCAPES: Record<string, string> = {
  b: '\b',
  t: '\t',
  n: '\n',
  f: '\f',
  r: '\r',
  e: '\u001b',
  '"': '"',
  '\\': '\\',
};
/** Inline tables nested deeper than this are skipped whole. */
const MAX_INLINE_DEPTH = 16;
const HEX_DIGITS: Record<string, number> = { x: 2, u: 4, U: 8 };

function skipBlanks(text: string, position: number): number {
  let at = position;
  while (text[at] === ' ' || text[at] === '\t') at++;
  return at;
}

function isBareKeyCharacter(character: string | undefined): boolean {
  return character !== undefined && /[A-Za-z0-9_-]/.test(character);
}

/** A `"…"` or `"""…"""` string starting at `start`; returns its value and the index after it. */
function basicString(text: string, start: number): { value: string; end: number } {
  const multiLine = text.startsWith('"""', start);
  let at = start + (multiLine ? 3 : 1);
  if (multiLine && text[at] === '\n') at++;
  let value = '';
  let chunk = at;
  while (at < text.length) {
    const character = text[at]!;
    if (character === '"') {
      if (!multiLine) return { value: value + text.slice(chunk, at), end: at + 1 };
      let run = 0;
      while (text[at + run] === '"') run++;
      if (run >= 3) {
        if (run > 5) throw new TomlError('too many quotes closing a multi-line string', at);
        return { value: value + text.slice(chunk, at + run - 3), end: at + run };
      }
      at += run;
      continue;
    }
    if (character === '\n' && !multiLine) throw new TomlError('string is not closed on its line', start);
    if (character !== '\\') {
      at++;
      continue;
    }
    value += text.slice(chunk, at);
    const code = text[at + 1];
    if (multiLine && code !== undefined && /[ \t\n]/.test(code)) {
      // Line-ending backslash: the newline and the blanks after it are dropped.
      let next = at + 1;
      while (next < text.length && /[ \t\n]/.test(text[next]!)) next++;
      at = next;
    } else if (code !== undefined && HEX_DIGITS[code] !== undefined) {
      const digits = text.slice(at + 2, at + 2 + HEX_DIGITS[code]);
      const point = /^[0-9A-Fa-f]+$/.test(digits) ? Number.parseInt(digits, 16) : Number.NaN;
      if (digits.length !== HEX_DIGITS[code] || !(point <= 0x10ffff) || (point >= 0xd800 && point <= 0xdfff))
        throw new TomlError(`invalid escape \\${code}${digits}`, at);
      value += String.fromCodePoint(point);
      at += 2 + digits.length;
    } else if (code !== undefined && Object.hasOwn(ESCAPES, code)) {
      value += ESCAPES[code];
      at += 2;
    } else throw new TomlError(`invalid escape \\${code ?? ''} in a string`, at);
    chunk = at;
  }
  throw new TomlError(`${multiLine ? 'multi-line ' : ''}string is not closed`, start);
}

/** A `'…'` or `'''…'''` string (no escapes). */
function literalString(text: string, start: number): { value: string; end: number } {
  if (text.startsWith("'''", start)) {
    let from = start + 3;
    if (text[from] === '\n') from++;
    const close = text.indexOf("'''", from);
    if (close < 0) throw new TomlError('multi-line literal string is not closed', start);
    let run = 3;
    while (text[close + run] === "'") run++;
    if (run > 5) throw new TomlError('too many quotes closing a multi-line string', close);
    return { value: text.slice(from, close + run - 3), end: close + run };
  }
  const close = text.indexOf("'", start + 1);
  const newline = text.indexOf('\n', start + 1);
  if (close < 0 || (newline >= 0 && newline < close))
    throw new TomlError('literal string is not closed on its line', start);
  return { value: text.slice(start + 1, close), end: close + 1 };
}

function string(text: string, start: number): { value: string; end: number } {
  return text[start] === '"' ? basicString(text, start) : literalString(text, start);
}

/** The index after an array or inline table starting at `start` (strings and comments inside skipped). */
function skipContainer(text: string, start: number): number {
  let depth = 0;
  let at = start;
  while (at < text.length) {
    const character = text[at]!;
    if (character === '[' || character === '{') depth++;
    else if (character === ']' || character === '}') {
      depth--;
      if (depth === 0) return at + 1;
    } else if (character === '"' || character === "'") {
      at = string(text, at).end;
      continue;
    } else if (character === '#') {
      const newline = text.indexOf('\n', at);
      at = newline < 0 ? text.length : newline;
      continue;
    }
    at++;
  }
  throw new TomlError(`${text[start] === '[' ? 'array' : 'inline table'} is not closed`, start);
}

/**
 * An array starting at `start` (newlines, comments, a trailing comma allowed) whose every element `element` reads;
 * undefined when it cannot read one, and the caller skips the array whole.
 */
function arrayOf<T>(
  text: string,
  start: number,
  element: (at: number) => { value: T; end: number } | undefined,
): { values: T[]; end: number } | undefined {
  const values: T[] = [];
  let at = start + 1;
  let wantValue = true;
  for (;;) {
    while (text[at] === ' ' || text[at] === '\t' || text[at] === '\n' || text[at] === '#') {
      if (text[at] !== '#') at++;
      else {
        const newline = text.indexOf('\n', at);
        at = newline < 0 ? text.length : newline;
      }
    }
    const character = text[at];
    if (character === ']') return { values, end: at + 1 };
    if (wantValue) {
      const read = element(at);
      if (read === undefined) return undefined;
      values.push(read.value);
      at = read.end;
      wantValue = false;
    } else if (character === ',') {
      at++;
      wantValue = true;
    } else return undefined;
  }
}

/** A flat array of strings (`groups = ["main", "dev"]`). */
function stringArray(text: string, start: number): { values: string[]; end: number } | undefined {
  return arrayOf(text, start, (at) => (text[at] === '"' || text[at] === "'" ? string(text, at) : undefined));
}

/** An array of inline tables (`dependencies = [{ name = "idna" }, { name = "sniffio", marker = "..." }]`). */
function inlineTableArray(
  text: string,
  start: number,
  room: { left: number; exceeded: boolean },
): { values: InlineTable[]; end: number } | undefined {
  return arrayOf(text, start, (at) => {
    if (text[at] !== '{') return undefined;
    // Stops as soon as the file's allowance runs out, so a hostile array never builds its millions of tables.
    if (room.left-- <= 0) {
      room.exceeded = true;
      return undefined;
    }
    const table = inlineTable(text, at, true);
    return table && { value: table.entries, end: table.end };
  });
}

/**
 * A one-line inline table starting at `start`: strings and bare values, and when `nested` is set also string arrays
 * and nested inline tables (their entries under dotted keys); undefined when it holds anything else, and the caller
 * skips it whole.
 */
function inlineTable(
  text: string,
  start: number,
  nested: boolean,
  prefix = '',
  entries: InlineTable = new Map(),
  depth = 0,
): { entries: InlineTable; end: number } | undefined {
  // Lockfiles nest a level or two; deeper is skipped whole (skipContainer does not recurse).
  if (depth > MAX_INLINE_DEPTH) return undefined;
  let at = skipBlanks(text, start + 1);
  if (text[at] === '}') return { entries, end: at + 1 };
  for (;;) {
    const name = key(text, at);
    if (text[name.end] !== '=') return undefined;
    const entry = prefix + name.key;
    at = skipBlanks(text, name.end + 1);
    const first = text[at];
    if (first === '"' || first === "'") {
      if (text.startsWith('"""', at) || text.startsWith("'''", at)) return undefined;
      const quoted = string(text, at);
      entries.set(entry, quoted.value);
      at = quoted.end;
    } else if (first === '[' || first === '{') {
      if (!nested) return undefined;
      const inner =
        first === '[' ? stringArray(text, at) : inlineTable(text, at, true, `${entry}.`, entries, depth + 1);
      if (inner === undefined) return undefined;
      if ('values' in inner) entries.set(entry, inner.values);
      at = inner.end;
    } else {
      const from = at;
      while (at < text.length && !/[,}\n#[{"']/.test(text[at] as string)) at++;
      const bare = text.slice(from, at).trim();
      if (bare === '') return undefined;
      entries.set(entry, bare);
    }
    at = skipBlanks(text, at);
    if (text[at] === '}') return { entries, end: at + 1 };
    if (text[at] !== ',') return undefined;
    at = skipBlanks(text, at + 1);
  }
}

/**
 * A possibly dotted, possibly quoted key: `name`, `"a.b"`, `package.extras`. `key` joins the parts with dots, as
 * the tables are keyed; `identity` tells `"a.b"` (one part) from `a.b` (two).
 */
function key(text: string, start: number): { key: string; identity: string; end: number } {
  const parts: string[] = [];
  let at = start;
  for (;;) {
    at = skipBlanks(text, at);
    if (text[at] === '"' || text[at] === "'") {
      if (text.startsWith('"""', at) || text.startsWith("'''", at))
        throw new TomlError('a multi-line string cannot be a key', at);
      const quoted = string(text, at);
      parts.push(quoted.value);
      at = quoted.end;
    } else {
      const from = at;
      while (isBareKeyCharacter(text[at])) at++;
      if (at === from) throw new TomlError('expected a key', at);
      parts.push(text.slice(from, at));
    }
    at = skipBlanks(text, at);
    if (text[at] !== '.') return { key: parts.join('.'), identity: parts.join('\u0000'), end: at };
    at++;
  }
}

/** What `read` returns, or undefined where it meets a construct it does not read (skipContainer then decides). */
function orUndefined<T>(read: () => T | undefined): T | undefined {
  try {
    return read();
  } catch (error) {
    if (!(error instanceof TomlError)) throw error;
    return undefined;
  }
}

/** After a header or value: blanks and a comment to the end of the line, nothing else. */
function endOfLine(text: string, start: number): number {
  const at = skipBlanks(text, start);
  if (at >= text.length || text[at] === '\n') return at;
  if (text[at] === '#') {
    const newline = text.indexOf('\n', at);
    return newline < 0 ? text.length : newline;
  }
  throw new TomlError('unexpected text after the value', at);
}

/**
 * Which arrays of inline tables to keep, by table header and key (`keep`); the others are skipped whole, which is much
 * faster (uv.lock's `wheels` lists run to dozens of entries per package). None are kept unless asked for. Each kept
 * element is a Map: past `maxElements` in a file (a hostile one), the rest are skipped, `exceeded` is set and a
 * warning says so, so that memory stays bounded and the caller knows its tables are incomplete.
 */
export interface TableArrays {
  keep: (header: string, key: string) => boolean;
  maxElements: number;
  exceeded?: boolean;
}

function emptyTable(header: string, line: number): TomlTable {
  return { header, values: new Map(), arrays: new Map(), tableArrays: new Map(), line };
}

export function readTomlTables(
  text: string,
  warn: LockfileWarn = () => {},
  tableArrays?: TableArrays,
): TomlTable[] {
  const room = { left: tableArrays?.maxElements ?? 0, exceeded: false };
  const lineOf = lineLocator(text);
  const tables: TomlTable[] = [];
  let current = emptyTable('', 1);
  // Keys of the current table, skipped values included: TOML (and Cargo, Poetry, uv) refuse a key defined twice.
  let keys = new Set<string>();
  let position = 0;
  while (position < text.length) {
    const start = skipBlanks(text, position);
    const character = text[start];
    if (character === '\n' || character === undefined) {
      position = start + 1;
      continue;
    }
    try {
      if (character === '#') {
        position = endOfLine(text, start);
        continue;
      }
      if (character === '[') {
        const array = text[start + 1] === '[';
        const header = key(text, start + (array ? 2 : 1));
        const close = array ? ']]' : ']';
        if (!text.startsWith(close, header.end))
          throw new TomlError(`expected "${close}" after the table name`, header.end);
        tables.push(current);
        current = emptyTable(header.key, lineOf(start));
        keys = new Set();
        position = endOfLine(text, header.end + close.length);
        continue;
      }
      const name = key(text, start);
      if (text[name.end] !== '=') throw new TomlError('expected "=" after the key', name.end);
      // The value of a key defined twice is still read to its end (a multi-line string or array must not be
      // taken for keys and headers), into a table that is thrown away.
      const duplicate = keys.has(name.identity);
      keys.add(name.identity);
      const target = duplicate ? emptyTable(current.header, current.line) : current;
      const valueStart = skipBlanks(text, name.end + 1);
      const first = text[valueStart];
      let end: number;
      if (first === '"' || first === "'") {
        const quoted = string(text, valueStart);
        target.values.set(name.key, quoted.value);
        end = quoted.end;
      } else if (first === '[') {
        const array = stringArray(text, valueStart);
        const tables =
          array === undefined && !room.exceeded && tableArrays?.keep(current.header, name.key)
            ? orUndefined(() => inlineTableArray(text, valueStart, room))
            : undefined;
        if (array !== undefined) target.arrays.set(name.key, array.values);
        if (tables !== undefined) target.tableArrays.set(name.key, tables.values);
        if (room.exceeded && tableArrays && !tableArrays.exceeded) {
          tableArrays.exceeded = true;
          warn(
            `more than ${tableArrays.maxElements} inline tables in arrays: this one and the rest are not read`,
            lineOf(valueStart),
          );
        }
        end = array?.end ?? tables?.end ?? skipContainer(text, valueStart);
      } else if (first === '{') {
        // Its entries as `key.entry` values (uv's `source = { editable = "." }`); other shapes are skipped whole.
        const table = orUndefined(() => inlineTable(text, valueStart, false));
        // Read flat (`nested` false), so every value is a string.
        for (const [entry, value] of table?.entries ?? [])
          target.values.set(`${name.key}.${entry}`, value as string);
        end = table?.end ?? skipContainer(text, valueStart);
      } else {
        end = valueStart;
        while (end < text.length && text[end] !== '\n' && text[end] !== '#') end++;
        const bare = text.slice(valueStart, end).trim();
        if (bare === '') throw new TomlError('expected a value after "="', valueStart);
      }
      if (duplicate)
        warn(`key "${name.key}" is defined twice in this table: the second value is ignored`, lineOf(start));
      position = endOfLine(text, end);
    } catch (error) {
      if (!(error instanceof TomlError)) throw error;
      warn(error.message, lineOf(error.at));
      // A one-line string ends at its line (TOML allows no newline in it), so reading goes on at the next one;
      // an unclosed multi-line string, array or inline table runs to the end: nothing after it can be trusted.
      if (/not closed$/.test(error.message)) break;
      const newline = text.indexOf('\n', error.at);
      position = newline < 0 ? text.length : newline + 1;
    }
  }
  tables.push(current);
  return tables.filter(
    (table) =>
      table.header !== '' || table.values.size > 0 || table.arrays.size > 0 || table.tableArrays.size > 0,
  );
}
