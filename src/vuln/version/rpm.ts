// RPM versions: [epoch:]version[-release], segments compared by rpmvercmp (`~` sorts before, `^` after the end).
import {
  compareDigits,
  parsedScheme,
  type Sign,
  splitEpochVersionRelease,
  type VersionScheme,
} from './scheme.ts';

function isDigit(char: string | undefined): boolean {
  return char !== undefined && char >= '0' && char <= '9';
}
function isAlpha(char: string | undefined): boolean {
  return char !== undefined && ((char >= 'a' && char <= 'z') || (char >= 'A' && char <= 'Z'));
}
function isAlnum(char: string | undefined): boolean {
  return isDigit(char) || isAlpha(char);
}

/** rpm's segment comparison of two version (or release) strings. */
export function rpmvercmp(a: string, b: string): Sign {
  if (a === b) return 0;
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    while (i < a.length && !isAlnum(a[i]) && a[i] !== '~' && a[i] !== '^') i++;
    while (j < b.length && !isAlnum(b[j]) && b[j] !== '~' && b[j] !== '^') j++;
    // A tilde sorts before everything, even the end of the string.
    if (a[i] === '~' || b[j] === '~') {
      if (a[i] !== '~') return 1;
      if (b[j] !== '~') return -1;
      i++;
      j++;
      continue;
    }
    // A caret sorts after the end of the string but before any other segment.
    if (a[i] === '^' || b[j] === '^') {
      if (i >= a.length) return -1;
      if (j >= b.length) return 1;
      if (a[i] !== '^') return 1;
      if (b[j] !== '^') return -1;
      i++;
      j++;
      continue;
    }
    if (i >= a.length || j >= b.length) break;
    const numeric = isDigit(a[i]);
    const inSegment = numeric ? isDigit : isAlpha;
    const startA = i;
    const startB = j;
    while (inSegment(a[i])) i++;
    while (inSegment(b[j])) j++;
    const segA = a.slice(startA, i);
    const segB = b.slice(startB, j);
    // Numeric segments are newer than alphabetic ones.
    if (segB === '') return numeric ? 1 : -1;
    if (numeric) {
      const order = compareDigits(segA, segB);
      if (order !== 0) return order;
    } else if (segA !== segB) {
      return segA < segB ? -1 : 1;
    }
  }
  if (i >= a.length && j >= b.length) return 0;
  return i >= a.length ? -1 : 1;
}

interface Evr {
  epoch: string;
  version: string;
  release: string | undefined;
}

function parse(text: string): Evr | string {
  const parts = splitEpochVersionRelease(text);
  if (typeof parts === 'string') return parts;
  // rpm's parseEVR takes an epoch only when digits alone precede the colon; otherwise the colon is part of the
  // version (`a:1` is a version, compared segment by segment).
  if (parts.epoch !== undefined && !/^[0-9]*$/.test(parts.epoch)) {
    const value = text.trim();
    const hyphen = value.lastIndexOf('-');
    return {
      epoch: '0',
      version: hyphen >= 0 ? value.slice(0, hyphen) : value,
      release: hyphen >= 0 ? value.slice(hyphen + 1) : undefined,
    };
  }
  if (parts.version === '') return 'empty version';
  return { epoch: parts.epoch || '0', version: parts.version, release: parts.release };
}

export const rpmScheme: VersionScheme = parsedScheme(
  'rpm',
  parse,
  (a, b) =>
    compareDigits(a.epoch, b.epoch) ||
    rpmvercmp(a.version, b.version) ||
    rpmvercmp(a.release ?? '', b.release ?? ''),
);
