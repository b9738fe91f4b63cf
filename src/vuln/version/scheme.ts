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
