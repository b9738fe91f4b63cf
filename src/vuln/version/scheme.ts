// The shape every version comparator has: parse-checked comparison in one scheme, no guessing across schemes.
import { PalisadeError } from '../../core/errors.ts';

export type Sign = -1 | 0 | 1;

export interface VersionScheme {
  /** Scheme name as used in messages (dpkg, rpm, apk, semver, pep440, maven, rubygems, nuget, composer, go). */
  readonly name: string;
  /** Undefined when valid, else why the text is not a version in this scheme. */
  validate(version: string): string | undefined;
  /** Orders two versions; throws PalisadeError('unsupported') when either is not valid in this scheme. */
  compare(left: string, right: string): Sign;
}

export function sign(value: number): Sign {
  return value < 0 ? -1 : value > 0 ? 1 : 0;
}

export function invalidVersion(scheme: string, version: string, reason: string): PalisadeError {
  return new PalisadeError('unsupported', `invalid ${scheme} version "${version.slice(0, 80)}": ${reason}`);
}

/** Compares two digit strings as arbitrary-size numbers (no precision loss, no BigInt allocation). */
export function compareDigits(left: string, right: string): Sign {
  const a = left.replace(/^0+/, '');
  const b = right.replace(/^0+/, '');
  if (a.length !== b.length) return a.length < b.length ? -1 : 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Versions longer than this are refused: no real scheme needs them and they make comparison costly. */
export const MAX_VERSION_LENGTH = 256;

export interface EpochVersionRelease {
  /** Before the first `:`; undefined without one. */
  epoch: string | undefined;
  version: string;
  /** After the last `-`; undefined without one. */
  release: string | undefined;
}

/** `[epoch:]version[-release]` as dpkg and rpm write it, trimmed and split; a string says why it cannot be. */
export function splitEpochVersionRelease(text: string): EpochVersionRelease | string {
  const value = text.trim();
  if (value === '') return 'empty';
  if (value.length > MAX_VERSION_LENGTH) return 'too long';
  if (/\s/.test(value)) return 'embedded whitespace';
  const colon = value.indexOf(':');
  const rest = colon >= 0 ? value.slice(colon + 1) : value;
  const hyphen = rest.lastIndexOf('-');
  return {
    epoch: colon >= 0 ? value.slice(0, colon) : undefined,
    version: hyphen >= 0 ? rest.slice(0, hyphen) : rest,
    release: hyphen >= 0 ? rest.slice(hyphen + 1) : undefined,
  };
}

/**
 * A scheme whose versions are parsed first: `parse` returns the parsed version or why the text is not one.
 * `validateWith` is the (stricter) parser behind `validate` when it differs from the one used to compare.
 */
export function parsedScheme<T extends object>(
  name: string,
  parse: (text: string) => T | string,
  compare: (left: T, right: T) => Sign,
  validateWith: (text: string) => T | string = parse,
): VersionScheme {
  const parseOrThrow = (version: string): T => {
    const parsed = parse(version);
    if (typeof parsed === 'string') throw invalidVersion(name, version, parsed);
    return parsed;
  };
  return {
    name,
    validate(version) {
      const parsed = validateWith(version);
      return typeof parsed === 'string' ? parsed : undefined;
    },
    compare(left, right) {
      const a = parseOrThrow(left);
      const b = parseOrThrow(right);
      return compare(a, b);
    },
  };
}

/**
 * A scheme that compares the texts themselves once both pass `validate`; `validateForCompare` is the check
 * applied before comparing when it differs from `validate`.
 */
export function validatedScheme(
  name: string,
  validate: (version: string) => string | undefined,
  compare: (left: string, right: string) => Sign,
  validateForCompare: (version: string) => string | undefined = validate,
): VersionScheme {
  return {
    name,
    validate,
    compare(left, right) {
      for (const version of [left, right]) {
        const problem = validateForCompare(version);
        if (problem) throw invalidVersion(name, version, problem);
      }
      return compare(left, right);
    },
  };
}

/** Compares lists of digit strings part by part, a missing part counting as 0. */
export function compareNumberLists(left: readonly string[], right: readonly string[]): Sign {
  const length = Math.max(left.length, right.length);
  for (let index = 0; index < length; index++) {
    const order = compareDigits(left[index] ?? '0', right[index] ?? '0');
    if (order !== 0) return order;
  }
  return 0;
}

/**
 * SemVer pre-release precedence (NuGet uses it too, on lower-cased labels): no pre-release is newer than any;
 * identifiers compare numerically when both are numbers, numbers before words, words in ASCII order, and a
 * shorter list that is a prefix of a longer one sorts first.
 */
export function comparePrerelease(left: readonly string[], right: readonly string[]): Sign {
  if (left.length === 0 || right.length === 0)
    return left.length === right.length ? 0 : left.length === 0 ? 1 : -1;
  const length = Math.max(left.length, right.length);
  for (let index = 0; index < length; index++) {
    const x = left[index];
    const y = right[index];
    if (x === undefined) return -1;
    if (y === undefined) return 1;
    const numericX = /^[0-9]+$/.test(x);
    const numericY = /^[0-9]+$/.test(y);
    if (numericX && numericY) {
      const order = compareDigits(x, y);
      if (order !== 0) return order;
    } else if (numericX !== numericY) {
      return numericX ? -1 : 1;
    } else if (x !== y) {
      return x < y ? -1 : 1;
    }
  }
  return 0;
}
