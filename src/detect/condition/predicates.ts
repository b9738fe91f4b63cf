// Comparison operators on one extracted value against one right-hand side, built once per check.
import { globToRegExp } from './glob.ts';

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
      const regex = globToRegExp(rhs, op === 'iglob');
      return (value) => regex.test(String(value));
    }
    case 'regex': {
      let regex: RegExp;
      try {
        // Falco matches the whole value (RE2, anchored at both ends).
        regex = new RegExp(`^(?:${rhs})$`);
      } catch (error) {
        throw new Error(`invalid regular expression: ${(error as Error).message}`);
      }
      return (value) => regex.test(String(value));
    }
    default:
      throw new Error(`operator '${op}' does not take a single value`);
  }
}
