// RubyGems versions (Gem::Version): numeric and alphabetic segments; any letter makes a pre-release.
import {
  compareDigits,
  MAX_VERSION_LENGTH,
  type Sign,
  type VersionScheme,
  validatedScheme,
} from './scheme.ts';

/** Gem::Version.correct?: the version is optional, so blank text is a version (Gem::Version.new("") is 0). */
const PATTERN =
  /^[ \t\n\v\f\r]*(?:[0-9]+(?:\.[0-9a-zA-Z]+)*(?:-[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?)?[ \t\n\v\f\r]*$/;

function segments(version: string): string[] {
  // RubyGems reads `1.0-beta` as `1.0.pre.beta`; blank text has no segments, which compares as 0.
  const text = version.replace(/-/g, '.pre.');
  return text.match(/[0-9]+|[a-z]+/gi) ?? [];
}

/** Trailing zeros dropped from the release part and from the pre-release part, as Gem::Version does. */
function canonical(version: string): string[] {
  const all = segments(version);
  const firstString = all.findIndex((part) => !/^[0-9]/.test(part));
  const release = firstString < 0 ? all : all.slice(0, firstString);
  const pre = firstString < 0 ? [] : all.slice(firstString);
  const trim = (parts: string[]): string[] => {
    const copy = [...parts];
    while (copy.length > 0 && /^0+$/.test(copy[copy.length - 1]!)) copy.pop();
    return copy;
  };
  return [...trim(release), ...trim(pre)];
}

function compare(left: string, right: string): Sign {
  const a = canonical(left);
  const b = canonical(right);
  const length = Math.max(a.length, b.length);
  for (let index = 0; index < length; index++) {
    const x = a[index] ?? '0';
    const y = b[index] ?? '0';
    const numericX = /^[0-9]/.test(x);
    const numericY = /^[0-9]/.test(y);
    if (numericX && numericY) {
      const order = compareDigits(x, y);
      if (order !== 0) return order;
      continue;
    }
    if (x === y) continue;
    // A letter segment (pre-release) sorts before a number.
    if (!numericX && numericY) return -1;
    if (numericX && !numericY) return 1;
    return x < y ? -1 : 1;
  }
  return 0;
}

export const rubygemsScheme: VersionScheme = validatedScheme(
  'rubygems',
  (version) => {
    if (version.length > MAX_VERSION_LENGTH) return 'too long';
    // Ruby's `\s` (not JavaScript's trim, which also strips no-break and other Unicode spaces).
    return PATTERN.test(version) ? undefined : 'not a RubyGems version';
  },
  compare,
);
