// NuGet versions: 1 to 4 numeric parts (missing ones are 0), case-insensitive pre-release labels, metadata ignored.
import {
  compareDigits,
  invalidVersion,
  MAX_VERSION_LENGTH,
  type Sign,
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

function compare(a: NuGetVersion, b: NuGetVersion): Sign {
  for (let index = 0; index < 4; index++) {
    const order = compareDigits(a.numbers[index] ?? '0', b.numbers[index] ?? '0');
    if (order !== 0) return order;
  }
  if (a.prerelease.length === 0 || b.prerelease.length === 0)
    return a.prerelease.length === b.prerelease.length ? 0 : a.prerelease.length === 0 ? 1 : -1;
  const length = Math.max(a.prerelease.length, b.prerelease.length);
  for (let index = 0; index < length; index++) {
    const x = a.prerelease[index];
    const y = b.prerelease[index];
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

export const nugetScheme: VersionScheme = {
  name: 'nuget',
  validate(version) {
    const parsed = parse(version);
    return typeof parsed === 'string' ? parsed : undefined;
  },
  compare(left, right) {
    const a = parse(left);
    if (typeof a === 'string') throw invalidVersion('nuget', left, a);
    const b = parse(right);
    if (typeof b === 'string') throw invalidVersion('nuget', right, b);
    return compare(a, b);
  },
};
