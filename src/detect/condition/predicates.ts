// Comparison operators on one extracted value against one right-hand side, built once per check.
import { setFlagsFromString } from 'node:v8';
import { compileGlob } from './glob.ts';

export type Predicate = (value: string | number) => boolean;

const NUMERIC = /^-?\d+(\.\d+)?$/;

function asNumber(value: string | number): number | undefined {
  if (typeof value === 'number') return value;
  return NUMERIC.test(value) ? Number(value) : undefined;
}

const INTEGER = /^-?\d+$/;
/** Digits of the largest 64-bit value (18446744073709551615): a longer integer is beyond what Falco compares. */
const MAX_INTEGER_DIGITS = 20;

/** An integer of at most 64 bits' digits: BigInt on it is cheap (a million digits would take half a second). */
function isBoundedInteger(text: string): boolean {
  const digits = text.startsWith('-') ? text.length - 1 : text.length;
  return digits <= MAX_INTEGER_DIGITS && INTEGER.test(text);
}

/** A value as quoted in a load error: long ones cut, so a hostile rules file cannot make a huge message. */
export function shownValue(text: string): string {
  return text.length <= 40 ? text : `${text.slice(0, 40)}…`;
}

/**
 * One text per number (`007`, `7` and `7.0` give `7`), exact beyond 2^53; undefined when it is not a number, or
 * an integer with more digits than a 64-bit value has.
 */
export function numericKey(value: string | number): string | undefined {
  const text = String(value);
  if (INTEGER.test(text)) return isBoundedInteger(text) ? BigInt(text).toString() : undefined;
  const number = asNumber(value);
  return number === undefined ? undefined : String(number);
}

/** The right-hand side of a numeric comparison, read once when the rule is loaded. */
interface NumericOperand {
  number: number;
  /** Set for integers, compared exactly when a value is beyond 2^53. */
  integer: bigint | undefined;
}

function numericOperand(text: string): NumericOperand {
  const number = asNumber(text);
  if (number === undefined)
    throw new Error(`'${shownValue(text)}' is not a number, and the field is numeric`);
  if (INTEGER.test(text) && !isBoundedInteger(text))
    throw new Error(`'${shownValue(text)}' has more digits than a 64-bit number, and the field is numeric`);
  return { number, integer: INTEGER.test(text) ? BigInt(text) : undefined };
}

/**
 * Sign of `left - right` for a numeric field, undefined when `left` is not a number. Integers beyond 2^53
 * (nanosecond timestamps) are compared exactly, as Falco's 64-bit comparisons do.
 */
function compareNumbers(left: string | number, right: NumericOperand): number | undefined {
  const leftNumber = asNumber(left);
  if (leftNumber === undefined) return undefined;
  if (Number.isSafeInteger(leftNumber) && Number.isSafeInteger(right.number))
    return Math.sign(leftNumber - right.number);
  const leftText = String(left);
  if (right.integer !== undefined && isBoundedInteger(leftText)) {
    const difference = BigInt(leftText) - right.integer;
    return difference < 0n ? -1 : difference > 0n ? 1 : 0;
  }
  return Math.sign(leftNumber - right.number);
}

/**
 * `<`, `<=`, `>`, `>=`: numbers on a numeric field, and on a string field the bytes in order (Falco compares
 * string fields with strcmp, so "10" < "9" there, and here).
 */
function ordered(
  op: string,
  left: string | number,
  right: string,
  operand: NumericOperand | undefined,
): boolean {
  let cmp: number;
  if (operand !== undefined) {
    const sign = compareNumbers(left, operand);
    if (sign === undefined) return false;
    cmp = sign;
  } else cmp = Buffer.compare(Buffer.from(String(left)), Buffer.from(right));
  if (op === '<') return cmp < 0;
  if (op === '<=') return cmp <= 0;
  if (op === '>') return cmp > 0;
  return cmp >= 0;
}

/** The `regex` operator matches at most this many characters of a value (the start of a longer value). */
export const MAX_REGEX_INPUT = 16 * 1024;

// Falco matches with RE2, which runs in linear time and has no backreferences or lookarounds. V8's
// experimental linear-time engine (the `l` flag, enabled by this flag) gives the same guarantee: a hostile value
// cannot make a rule backtrack. Setting the flag is idempotent; it only makes the `l` flag available.
setFlagsFromString('--enable-experimental-regexp-engine');

/** RE2's limit on a counted repetition (`{n,m}`). */
const MAX_REPEAT = 1000;
/** Largest pattern source after counted repetitions are spelled out. */
const MAX_EXPANDED_SOURCE = 64 * 1024;

/** Length of the escape at `index` (a backslash): `\xHH`, `\uHHHH`, `\u{...}`, `\p{...}`, `\cX`, `\k<...>`, or one character. */
function escapeLength(source: string, index: number): number {
  const next = source[index + 1];
  const rest = source.slice(index + 2);
  let match: RegExpExecArray | null = null;
  if (next === 'x') match = /^[0-9a-fA-F]{2}/.exec(rest);
  else if (next === 'u') match = /^(\{[0-9a-fA-F]+\}|[0-9a-fA-F]{4})/.exec(rest);
  else if (next === 'p' || next === 'P') match = /^\{[^}]*\}/.exec(rest);
  else if (next === 'c') match = /^[a-zA-Z]/.exec(rest);
  else if (next === 'k') match = /^<[^>]*>/.exec(rest);
  else if (next !== undefined && /[0-9]/.test(next)) match = /^[0-9]*/.exec(rest);
  return 2 + (match?.[0].length ?? 0);
}

/**
 * The pattern with every counted repetition (`x{n}`, `x{n,}`, `x{n,m}`) spelled out as copies of its atom and
 * nested optional groups, and named groups made plain: V8's linear-time engine refuses counts above 16, RE2
 * accepts up to 1000. Throws when a count is above 1000 or the result would be too large.
 */
function expandCountedRepeats(source: string): string {
  let index = 0;
  const sequence = (): string => {
    let out = '';
    let atom = '';
    const flush = (): void => {
      out += atom;
      atom = '';
    };
    while (index < source.length) {
      const char = source[index]!;
      if (char === ')') break;
      if (char === '\\') {
        flush();
        const length = escapeLength(source, index);
        atom = source.slice(index, index + length);
        index += length;
      } else if (char === '[') {
        flush();
        let end = index + 1;
        if (source[end] === '^') end++;
        if (source[end] === ']') end++;
        while (end < source.length && source[end] !== ']')
          end += source[end] === '\\' ? escapeLength(source, end) : 1;
        atom = source.slice(index, end + 1);
        index = end + 1;
      } else if (char === '(') {
        flush();
        const head = /^\((\?(:|=|!|<=|<!|<[A-Za-z_$][\w$]*>))?/.exec(source.slice(index))![0];
        // Named groups become plain groups: copies of a name would clash (and nothing can refer back to them).
        const prefix = /^\(\?<[A-Za-z_$]/.test(head) ? '(?:' : head;
        index += head.length;
        const body = sequence();
        if (source[index] !== ')') throw new Error('unterminated group');
        index++;
        atom = `${prefix}${body})`;
      } else if (char === '{' && atom !== '' && /^\{\d+(,\d*)?\}/.test(source.slice(index))) {
        const match = /^\{(\d+)(,(\d*))?\}\??/.exec(source.slice(index))!;
        const min = Number(match[1]);
        const max = match[2] === undefined ? min : match[3] === '' ? undefined : Number(match[3]);
        if (min > MAX_REPEAT || (max !== undefined && max > MAX_REPEAT))
          throw new Error(`repeat count in '${match[0]}' is above ${MAX_REPEAT} (RE2's limit)`);
        if (max !== undefined && max < min) throw new Error(`repeat count in '${match[0]}' is out of order`);
        const unit = `(?:${atom})`;
        let expanded = unit.repeat(min);
        if (max === undefined) expanded += `${unit}*`;
        else {
          let optional = '';
          for (let count = min; count < max; count++) {
            optional = `(?:${atom}${optional})?`;
            if (optional.length > MAX_EXPANDED_SOURCE) break;
          }
          expanded += optional;
        }
        if (out.length + expanded.length > MAX_EXPANDED_SOURCE)
          throw new Error(`repeat '${match[0]}' makes the pattern too large`);
        out += expanded;
        atom = '';
        index += match[0].length;
      } else {
        flush();
        atom = char === '|' || char === '^' || char === '$' ? '' : char;
        if (atom === '') out += char;
        index++;
      }
    }
    flush();
    return out;
  };
  const out = sequence();
  if (index < source.length) throw new Error("unmatched ')'");
  return out;
}

/** A whole-value matcher in linear time; throws with a message for the rule author when RE2-style matching cannot run it. */
function compileLinearRegex(source: string): RegExp {
  const anchored = (pattern: string): RegExp => new RegExp(`^(?:${pattern})$`, 'l');
  try {
    return anchored(source);
  } catch (error) {
    const message = (error as Error).message;
    if (!message.includes('linear time')) throw new Error(`invalid regular expression: ${message}`);
  }
  if (/\\[1-9]|\\k<|\(\?[=!]|\(\?<[=!]/.test(source))
    throw new Error(
      'regular expression not supported: backreferences and lookarounds cannot be matched in linear time (Falco uses RE2, which has neither)',
    );
  try {
    return anchored(expandCountedRepeats(source));
  } catch (error) {
    const message = (error as Error).message.replace(/^Invalid regular expression: \/.*\/l: /, '');
    throw new Error(`regular expression not supported: ${message}`);
  }
}

function hexBytes(text: string): Buffer {
  const compact = text.replace(/\s+/g, '');
  if (!/^([0-9a-fA-F]{2})+$/.test(compact)) throw new Error(`'${text}' is not an even-length hex string`);
  return Buffer.from(compact, 'hex');
}

/** Throws (with a message for the rule author) when the right-hand side does not suit the operator. */
export function buildPredicate(op: string, rhs: string, numericField: boolean): Predicate {
  const operand =
    numericField && ['=', '!=', '<', '<=', '>', '>='].includes(op) ? numericOperand(rhs) : undefined;
  switch (op) {
    case '=':
      return operand ? (value) => compareNumbers(value, operand) === 0 : (value) => String(value) === rhs;
    case '!=':
      return operand ? (value) => compareNumbers(value, operand) !== 0 : (value) => String(value) !== rhs;
    case '<':
    case '<=':
    case '>':
    case '>=':
      return (value) => ordered(op, value, rhs, operand);
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
      // Linear-time matching, like Falco's RE2; each value is still matched on at most its first MAX_REGEX_INPUT characters.
      const regex = compileLinearRegex(rhs);
      return (value) => {
        const text = String(value);
        return regex.test(text.length > MAX_REGEX_INPUT ? text.slice(0, MAX_REGEX_INPUT) : text);
      };
    }
    default:
      throw new Error(`operator '${op}' does not take a single value`);
  }
}
