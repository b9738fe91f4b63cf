// Python package versions (PEP 440): epoch, release, pre, post, dev and local parts, in PyPA's order.
import {
  compareDigits,
  compareNumberLists,
  MAX_VERSION_LENGTH,
  parsedScheme,
  type Sign,
  type VersionScheme,
} from './scheme.ts';

export interface Pep440Version {
  epoch: string;
  release: readonly string[];
  pre?: { label: 'a' | 'b' | 'rc'; number: string };
  post?: string;
  dev?: string;
  local?: readonly string[];
}

const PATTERN = new RegExp(
  '^\\s*v?(?:(?:([0-9]+)!)?([0-9]+(?:\\.[0-9]+)*)' +
    '([-_.]?(alpha|a|beta|b|preview|pre|c|rc)[-_.]?([0-9]+)?)?' +
    '((?:-([0-9]+))|(?:[-_.]?(post|rev|r)[-_.]?([0-9]+)?))?' +
    '([-_.]?(dev)[-_.]?([0-9]+)?)?)' +
    '(?:\\+([a-z0-9]+(?:[-_.][a-z0-9]+)*))?\\s*$',
  'i',
);

function preLabel(label: string): 'a' | 'b' | 'rc' {
  const lower = label.toLowerCase();
  if (lower === 'a' || lower === 'alpha') return 'a';
  if (lower === 'b' || lower === 'beta') return 'b';
  return 'rc';
}

function number(text: string): string {
  return text.replace(/^0+(?=[0-9])/, '');
}

export function parsePep440(text: string): Pep440Version | string {
  if (text.length > MAX_VERSION_LENGTH) return 'too long';
  const match = PATTERN.exec(text);
  if (!match) return 'not a PEP 440 version';
  const [, epoch, release = '', pre, preL, preN, post, postN1, , postN2, dev, , devN, local] = match;
  const version: Pep440Version = { epoch: number(epoch ?? '0'), release: release.split('.').map(number) };
  if (pre !== undefined && preL !== undefined)
    version.pre = { label: preLabel(preL), number: number(preN ?? '0') };
  if (post !== undefined) version.post = number(postN1 ?? postN2 ?? '0');
  if (dev !== undefined) version.dev = number(devN ?? '0');
  if (local !== undefined)
    version.local = local
      .toLowerCase()
      .split(/[-_.]/)
      .map((part) => (/^[0-9]+$/.test(part) ? number(part) : part));
  return version;
}

/** The canonical spelling, as PyPA's `str(Version(...))` writes it. */
export function normalizePep440(version: Pep440Version): string {
  let text = version.epoch === '0' ? '' : `${version.epoch}!`;
  text += version.release.join('.');
  if (version.pre) text += `${version.pre.label}${version.pre.number}`;
  if (version.post !== undefined) text += `.post${version.post}`;
  if (version.dev !== undefined) text += `.dev${version.dev}`;
  if (version.local) text += `+${version.local.join('.')}`;
  return text;
}

const PRE_ORDER = { a: 0, b: 1, rc: 2 } as const;

/** Rank of the pre-release slot: dev-only releases sort before any pre-release, finals after. */
function preKey(version: Pep440Version): [number, string] {
  if (version.pre) return [1 + PRE_ORDER[version.pre.label], version.pre.number];
  if (version.post === undefined && version.dev !== undefined) return [0, '0'];
  return [9, '0'];
}

function compareOptionalNumber(a: string | undefined, b: string | undefined, absentIsHigh: boolean): Sign {
  if (a === undefined && b === undefined) return 0;
  if (a === undefined) return absentIsHigh ? 1 : -1;
  if (b === undefined) return absentIsHigh ? -1 : 1;
  return compareDigits(a, b);
}

function compareLocal(a: readonly string[] | undefined, b: readonly string[] | undefined): Sign {
  if (a === undefined || b === undefined) return a === b ? 0 : a === undefined ? -1 : 1;
  const length = Math.max(a.length, b.length);
  for (let index = 0; index < length; index++) {
    const x = a[index];
    const y = b[index];
    if (x === undefined) return -1;
    if (y === undefined) return 1;
    const numericX = /^[0-9]+$/.test(x);
    const numericY = /^[0-9]+$/.test(y);
    // Numeric local segments sort after alphanumeric ones.
    if (numericX !== numericY) return numericX ? 1 : -1;
    const order = numericX ? compareDigits(x, y) : x < y ? -1 : x > y ? 1 : 0;
    if (order !== 0) return order;
  }
  return 0;
}

export function compareParsedPep440(a: Pep440Version, b: Pep440Version): Sign {
  const epoch = compareDigits(a.epoch, b.epoch) || compareNumberLists(a.release, b.release);
  if (epoch !== 0) return epoch;
  const [rankA, preA] = preKey(a);
  const [rankB, preB] = preKey(b);
  if (rankA !== rankB) return rankA < rankB ? -1 : 1;
  return (
    compareDigits(preA, preB) ||
    compareOptionalNumber(a.post, b.post, false) ||
    compareOptionalNumber(a.dev, b.dev, true) ||
    compareLocal(a.local, b.local)
  );
}

export const pep440Scheme: VersionScheme = parsedScheme('pep440', parsePep440, compareParsedPep440);
