// SemVer 2.0.0 (npm, crates.io, and the base of Go module versions): precedence ignores build metadata.
import {
  compareDigits,
  comparePrerelease,
  invalidVersion,
  MAX_VERSION_LENGTH,
  type Sign,
  type VersionScheme,
} from './scheme.ts';

export interface SemVer {
  major: string;
  minor: string;
  patch: string;
  prerelease: readonly string[];
  build: readonly string[];
}

const NUMBER = '0|[1-9][0-9]*';
const IDENT = '[0-9A-Za-z-]+';
const STRICT = new RegExp(
  `^v?(${NUMBER})\\.(${NUMBER})\\.(${NUMBER})(?:-(${IDENT}(?:\\.${IDENT})*))?(?:\\+(${IDENT}(?:\\.${IDENT})*))?$`,
);
// npm's loose form: leading `=`/`v` and spaces, leading zeros, a pre-release without its hyphen.
const LOOSE = new RegExp(
  `^[v=\\s]*([0-9]+)\\.([0-9]+)\\.([0-9]+)(?:-?((?:[0-9]+|[0-9]*[A-Za-z-][0-9A-Za-z-]*)(?:\\.(?:[0-9]+|[0-9]*[A-Za-z-][0-9A-Za-z-]*))*))?(?:\\+(${IDENT}(?:\\.${IDENT})*))?$`,
);
/** npm refuses numeric parts above Number.MAX_SAFE_INTEGER. */
const MAX_SAFE = String(Number.MAX_SAFE_INTEGER);

export function parseSemver(text: string, options: { loose?: boolean } = {}): SemVer | string {
  if (text.length > MAX_VERSION_LENGTH) return 'too long';
  const value = text.trim();
  const match = (options.loose ? LOOSE : STRICT).exec(value);
  if (!match) return 'not MAJOR.MINOR.PATCH[-pre][+build]';
  const [, major = '', minor = '', patch = '', pre, build] = match;
  for (const part of [major, minor, patch]) if (compareDigits(part, MAX_SAFE) > 0) return 'number too big';
  const prerelease = pre === undefined ? [] : pre.split('.');
  if (!options.loose && prerelease.some((id) => /^0[0-9]+$/.test(id)))
    return 'numeric pre-release identifier with a leading zero';
  return { major, minor, patch, prerelease, build: build === undefined ? [] : build.split('.') };
}

export function compareParsedSemver(a: SemVer, b: SemVer): Sign {
  const core =
    compareDigits(a.major, b.major) || compareDigits(a.minor, b.minor) || compareDigits(a.patch, b.patch);
  if (core !== 0) return core;
  // A version without pre-release is newer than any pre-release of it.
  return comparePrerelease(a.prerelease, b.prerelease);
}

export function compareSemver(left: string, right: string, options: { loose?: boolean } = {}): Sign {
  const a = parseSemver(left, options);
  if (typeof a === 'string') throw invalidVersion('semver', left, a);
  const b = parseSemver(right, options);
  if (typeof b === 'string') throw invalidVersion('semver', right, b);
  return compareParsedSemver(a, b);
}

/** OSV SEMVER ranges: versions are SemVer 2.0, tolerating a leading `v` as OSV producers emit it. */
export const semverScheme: VersionScheme = {
  name: 'semver',
  validate(version) {
    const parsed = parseSemver(version.replace(/^v/, ''));
    return typeof parsed === 'string' ? parsed : undefined;
  },
  compare(left, right) {
    return compareSemver(left.replace(/^v/, ''), right.replace(/^v/, ''));
  },
};
