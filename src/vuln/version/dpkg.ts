// Debian package versions: [epoch:]upstream[-revision], compared as dpkg's verrevcmp does (`~` sorts before anything).
import {
  compareDigits,
  parsedScheme,
  type Sign,
  sign,
  splitEpochVersionRelease,
  type VersionScheme,
} from './scheme.ts';

interface DpkgVersion {
  epoch: string;
  upstream: string;
  revision: string;
}

const EPOCH = /^[0-9]+$/;
const UPSTREAM = /^[0-9][A-Za-z0-9.+~:-]*$/;
const REVISION = /^[A-Za-z0-9.+~]*$/;
/** dpkg stores the epoch in an int; larger values are rejected as "epoch is too big". */
const MAX_EPOCH = 2147483647;

/** Splits without checking characters: dpkg still orders versions it only warns about. */
function split(text: string): DpkgVersion | string {
  const parts = splitEpochVersionRelease(text);
  if (typeof parts === 'string') return parts;
  const epoch = parts.epoch ?? '0';
  if (!EPOCH.test(epoch) || Number(epoch) > MAX_EPOCH) return 'bad epoch';
  return { epoch, upstream: parts.version, revision: parts.release ?? '' };
}

function parse(text: string): DpkgVersion | string {
  const parts = splitEpochVersionRelease(text);
  if (typeof parts === 'string') return parts;
  const { epoch = '0', version: upstream, release: revision = '' } = parts;
  if (!EPOCH.test(epoch)) return 'epoch is not a non-negative number';
  if (Number(epoch) > MAX_EPOCH) return 'epoch is too big';
  if (upstream === '') return 'empty upstream version';
  if (!UPSTREAM.test(upstream)) return 'upstream version must start with a digit and use [A-Za-z0-9.+~:-]';
  if (!REVISION.test(revision)) return 'revision may only use [A-Za-z0-9.+~]';
  return { epoch, upstream, revision };
}

/** Weight of one non-digit character: `~` lowest, end of part next, letters, then other symbols. */
function order(char: string | undefined): number {
  if (char === undefined) return 0;
  if (char === '~') return -1;
  if (/[A-Za-z]/.test(char)) return char.charCodeAt(0);
  return char.charCodeAt(0) + 256;
}

function isDigit(char: string | undefined): boolean {
  return char !== undefined && char >= '0' && char <= '9';
}

function verrevcmp(a: string, b: string): Sign {
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    while ((i < a.length && !isDigit(a[i])) || (j < b.length && !isDigit(b[j]))) {
      const ac = i < a.length && !isDigit(a[i]) ? order(a[i]) : 0;
      const bc = j < b.length && !isDigit(b[j]) ? order(b[j]) : 0;
      if (ac !== bc) return sign(ac - bc);
      if (i < a.length && !isDigit(a[i])) i++;
      if (j < b.length && !isDigit(b[j])) j++;
    }
    const startA = i;
    while (isDigit(a[i])) i++;
    const startB = j;
    while (isDigit(b[j])) j++;
    const digits = compareDigits(a.slice(startA, i) || '0', b.slice(startB, j) || '0');
    if (digits !== 0) return digits;
  }
  return 0;
}

/** Validation is strict; comparison only needs `split`, as dpkg still orders versions it only warns about. */
export const dpkgScheme: VersionScheme = parsedScheme(
  'dpkg',
  split,
  (a, b) =>
    compareDigits(a.epoch, b.epoch) || verrevcmp(a.upstream, b.upstream) || verrevcmp(a.revision, b.revision),
  parse,
);
