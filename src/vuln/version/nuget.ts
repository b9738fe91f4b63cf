// NuGet versions: 1 to 4 numeric parts (missing ones are 0), case-insensitive pre-release labels, metadata ignored.
import {
  compareNumberLists,
  comparePrerelease,
  MAX_VERSION_LENGTH,
  parsedScheme,
  type VersionScheme,
} from './scheme.ts';

interface NuGetVersion {
  numbers: string[];
  prerelease: string[];
}

const PATTERN = /^v?([0-9]+(?:\.[0-9]+){0,3})(?:-([0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*))?(?:\+[0-9A-Za-z-.]+)?$/;

function parse(text: string): NuGetVersion | string {
  if (text.length > MAX_VERSION_LENGTH) return 'too long';
  const match = PATTERN.exec(text.trim());
  if (!match) return 'not a NuGet version';
  const numbers = (match[1] ?? '').split('.');
  while (numbers.length < 4) numbers.push('0');
  return { numbers, prerelease: match[2] === undefined ? [] : match[2].toLowerCase().split('.') };
}

/** Pre-release labels are lower-cased when parsed, so SemVer's precedence gives NuGet's case-insensitive order. */
export const nugetScheme: VersionScheme = parsedScheme(
  'nuget',
  parse,
  (a, b) => compareNumberLists(a.numbers, b.numbers) || comparePrerelease(a.prerelease, b.prerelease),
);
