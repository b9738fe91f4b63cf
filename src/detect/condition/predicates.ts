// Comparison operators on one extracted value against one right-hand side, built once per check.
import { compileGlob } from './glob.ts';

export type Predicate = (value: string | number) => boolean;

const NUMERIC = /^-?\d+(\.\d+)?$/;

function asNumber(value: string | number): number | undefined {
  if (typeof value === 'number') return value;
  return NUMERIC.test(value) ? Number(value) : undefined;
}

function ordered(op: string, left: string | number, right: string): boolean {
  const leftNumber = asNumber(left);
  const rightNumber = asNumber(right);
  let cmp: number;
  if (leftNumber !== undefined && rightNumber !== undefined) cmp = leftNumber - rightNumber;
  else {
    const leftText = String(left);
    cmp = leftText < right ? -1 : leftText > right ? 1 : 0;
  }
  if (op === '<') return cmp < 0;
  if (op === '<=') return cmp <= 0;
  if (op === '>') return cmp > 0;
  return cmp >= 0;
}

/** The `regex` operator matches at most this many characters of a value (the start of a longer value). */
export const MAX_REGEX_INPUT = 16 * 1024;

/** Length of a quantifier starting at `index` (`*`, `+`, `?`, `{n}`, `{n,}`, `{n,m}`, each maybe lazy), and whether it repeats. */
function quantifierAt(source: string, index: number): { length: number; repeats: boolean } | undefined {
  const char = source[index];
  let length: number;
  let repeats: boolean;
  if (char === '*' || char === '+') {
    length = 1;
    repeats = true;
  } else if (char === '?') {
    length = 1;
    repeats = false;
  } else if (char === '{') {
    const match = /^\{(\d+)(,(\d*))?\}/.exec(source.slice(index, index + 24));
    if (match === null) return undefined;
    length = match[0].length;
    repeats = match[2] !== undefined && (match[3] === '' || Number(match[3]) > 1);
  } else return undefined;
  if (source[index + length] === '?' || source[index + length] === '+') length++;
  return { length, repeats };
}

/**
 * Why a pattern would backtrack catastrophically, or undefined: a repeated group (`*`, `+`, `{n,}`, `{n,m}`)
 * whose body itself holds a repeating quantifier, such as `(a+)+`, `(\w*)*` or `(?:x|y+){2,}`.
 */
export function catastrophicRegexProblem(source: string): string | undefined {
  // For each open group: where it starts and whether its body repeats something.
  const groups: { start: number; repeats: boolean }[] = [];
  for (let index = 0; index < source.length; index++) {
    const char = source[index]!;
    if (char === '\\') {
      index++;
      continue;
    }
    if (char === '[') {
      // Skip the class: `]` first (or after `^`) is literal, escapes are skipped.
      let end = index + 1;
      if (source[end] === '^') end++;
      if (source[end] === ']') end++;
      while (end < source.length && source[end] !== ']') end += source[end] === '\\' ? 2 : 1;
      index = end;
      continue;
    }
    if (char === '(') {
      groups.push({ start: index, repeats: false });
      continue;
    }
    if (char === ')') {
      const group = groups.pop();
      const lastGroupRepeats = group?.repeats ?? false;
      if (group?.repeats && groups.length > 0) groups.at(-1)!.repeats = true;
      const quantifier = quantifierAt(source, index + 1);
      if (quantifier !== undefined) {
        if (quantifier.repeats && lastGroupRepeats)
          return `nested quantifier in '${source.slice(group?.start ?? 0, index + 1 + quantifier.length)}' backtracks exponentially`;
        if (quantifier.repeats && groups.length > 0) groups.at(-1)!.repeats = true;
        index += quantifier.length;
      }
      continue;
    }
    const quantifier = quantifierAt(source, index);
    if (quantifier !== undefined && index > 0) {
      if (quantifier.repeats && groups.length > 0) groups.at(-1)!.repeats = true;
      index += quantifier.length - 1;
    }
  }
  return undefined;
}

function hexBytes(text: string): Buffer {
  const compact = text.replace(/\s+/g, '');
  if (!/^([0-9a-fA-F]{2})+$/.test(compact)) throw new Error(`'${text}' is not an even-length hex string`);
  return Buffer.from(compact, 'hex');
}

/** Throws (with a message for the rule author) when the right-hand side does not suit the operator. */
export function buildPredicate(op: string, rhs: string, numericField: boolean): Predicate {
  if (numericField && ['=', '!=', '<', '<=', '>', '>='].includes(op) && asNumber(rhs) === undefined)
    throw new Error(`'${rhs}' is not a number, and the field is numeric`);
  switch (op) {
    case '=':
      return numericField ? (value) => asNumber(value) === Number(rhs) : (value) => String(value) === rhs;
    case '!=':
      return numericField ? (value) => asNumber(value) !== Number(rhs) : (value) => String(value) !== rhs;
    case '<':
    case '<=':
    case '>':
    case '>=':
      return (value) => ordered(op, value, rhs);
    case 'contains':
      return (value) => String(value).includes(rhs);
    case 'icontains': {
      const lower = rhs.toLowerCase();
      return (value) => String(value).toLowerCase().includes(lower);
    }
    case 'startswith':
      return (value) => String(value).startsWith(rhs);
    case 'endswith':
      return (value) => String(value).endsWith(rhs);
    case 'bcontains': {
      const bytes = hexBytes(rhs);
      return (value) => Buffer.from(String(value)).includes(bytes);
    }
    case 'bstartswith': {
      const bytes = hexBytes(rhs);
      return (value) => {
        const buffer = Buffer.from(String(value));
        return buffer.length >= bytes.length && buffer.subarray(0, bytes.length).equals(bytes);
      };
    }
    case 'glob':
    case 'iglob': {
      const matches = compileGlob(rhs, op === 'iglob');
      return (value) => matches(String(value));
    }
    case 'regex': {
      // JavaScript regexes backtrack (Falco's RE2 does not): patterns that backtrack exponentially are refused
      // here, at rule-load time, and every value is matched on at most its first MAX_REGEX_INPUT characters.
      const problem = catastrophicRegexProblem(rhs);
      if (problem !== undefined) throw new Error(`regular expression rejected: ${problem}`);
      let regex: RegExp;
      try {
        // Falco matches the whole value (RE2, anchored at both ends).
        regex = new RegExp(`^(?:${rhs})$`);
      } catch (error) {
        throw new Error(`invalid regular expression: ${(error as Error).message}`);
      }
      return (value) => {
        const text = String(value);
        return regex.test(text.length > MAX_REGEX_INPUT ? text.slice(0, MAX_REGEX_INPUT) : text);
      };
    }
    default:
      throw new Error(`operator '${op}' does not take a single value`);
  }
}
