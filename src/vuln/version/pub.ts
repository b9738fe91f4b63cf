// Dart pub versions (pub_semver): SemVer's syntax, but build metadata orders too (`1.0.0 < 1.0.0+1 < 1.0.0+2`),
// numbers may have leading zeros, and an identifier is a number whenever Dart's int.tryParse reads one.
import { MAX_VERSION_LENGTH, parsedScheme, type Sign, type VersionScheme } from './scheme.ts';

type Identifier = bigint | string;

interface PubVersion {
  release: readonly bigint[];
  prerelease: readonly Identifier[];
  build: readonly Identifier[];
}

const IDENTS = '[0-9A-Za-z-]+(?:\\.[0-9A-Za-z-]+)*';
// pub_semver's own pattern leaves the two dots unescaped (so it reads `1x2x3`); pub.dev publishes only canonical
// versions, so that slip is not copied.
const PATTERN = new RegExp(`^([0-9]+)\\.([0-9]+)\\.([0-9]+)(?:-(${IDENTS}))?(?:\\+(${IDENTS}))?$`);
const INT64_MAX = 2n ** 63n - 1n;
const UINT64_LIMIT = 2n ** 64n;

/** Dart's int.tryParse: signed decimal within 64 bits, or `0x` hex read as an unsigned 64-bit literal. */
function dartInt(text: string): bigint | undefined {
  const match = /^(-?)(?:0x([0-9a-fA-F]+)|([0-9]+))$/.exec(text);
  if (!match) return undefined;
  const [, minus, hex, decimal] = match;
  let value: bigint;
  if (hex !== undefined) {
    value = BigInt(`0x${hex}`);
    if (value >= UINT64_LIMIT) return undefined;
    if (value > INT64_MAX) value -= UINT64_LIMIT;
  } else {
    value = BigInt(decimal!);
    if (value > INT64_MAX + (minus ? 1n : 0n)) return undefined;
  }
  return minus ? -value : value;
}

function identifiers(text: string | undefined): Identifier[] {
  return text === undefined ? [] : text.split('.').map((part) => dartInt(part) ?? part);
}

function parsePub(text: string): PubVersion | string {
  if (text.length > MAX_VERSION_LENGTH) return 'too long';
  const match = PATTERN.exec(text);
  if (!match) return 'not MAJOR.MINOR.PATCH[-pre][+build]';
  const release = [match[1]!, match[2]!, match[3]!].map(BigInt);
  // pub_semver reads the three numbers with int.parse, which refuses values beyond 64 bits.
  if (release.some((number) => number > INT64_MAX)) return 'number too big';
  return { release, prerelease: identifiers(match[4]), build: identifiers(match[5]) };
}

/** pub_semver's list order: a missing part first, numbers before words, numbers by value, words by code unit. */
function compareLists(left: readonly Identifier[], right: readonly Identifier[]): Sign {
  const length = Math.max(left.length, right.length);
  for (let index = 0; index < length; index++) {
    const x = left[index];
    const y = right[index];
    if (x === y) continue;
    if (x === undefined) return -1;
    if (y === undefined) return 1;
    if (typeof x !== typeof y) return typeof x === 'bigint' ? -1 : 1;
    return x < y ? -1 : 1;
  }
  return 0;
}

function comparePub(a: PubVersion, b: PubVersion): Sign {
  const release = compareLists(a.release, b.release);
  if (release !== 0) return release;
  // A pre-release comes before its release.
  const releaseA = a.prerelease.length === 0;
  if (releaseA !== (b.prerelease.length === 0)) return releaseA ? 1 : -1;
  // Builds order after pre-releases, and a version without one comes first (the missing-part rule).
  return compareLists(a.prerelease, b.prerelease) || compareLists(a.build, b.build);
}

export const pubScheme: VersionScheme = parsedScheme('pub', parsePub, comparePub);
