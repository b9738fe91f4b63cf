// Debian package versions: [epoch:]upstream[-revision], compared as dpkg's verrevcmp does (`~` sorts before anything).
import {
  compareDigits,
  invalidVersion,
  MAX_VERSION_LENGTH,
  type Sign,
  sign,
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
  const version = text.trim();
  if (version === '') return 'empty';
  if (version.length > MAX_VERSION_LENGTH) return 'too long';
  if (/\s/.test(version)) return 'embedded whitespace';
  const colon = version.indexOf(':');
  const epoch = colon >= 0 ? version.slice(0, colon) : '0';
  if (!EPOCH.test(epoch) || Number(epoch) > MAX_EPOCH) return 'bad epoch';
  const rest = colon >= 0 ? version.slice(colon + 1) : version;
  const hyphen = rest.lastIndexOf('-');
  return {
    epoch,
    upstream: hyphen >= 0 ? rest.slice(0, hyphen) : rest,
    revision: hyphen >= 0 ? rest.slice(hyphen + 1) : '',
  };
}

function parse(text: string): DpkgVersion | string {
  const version = text.trim();
  if (version === '') return 'empty';
  if (version.length > MAX_VERSION_LENGTH) return 'too long';
  if (/\s/.test(version)) return 'embedded whitespace';
  const colon = version.indexOf(':');
  let epoch = '0';
  let rest = version;
  if (colon >= 0) {
    epoch = version.slice(0, colon);
    rest = version.slice(colon + 1);
    if (!EPOCH.test(epoch)) return 'epoch is not a non-negative number';
    if (Number(epoch) > MAX_EPOCH) return 'epoch is too big';
  }
  const hyphen = rest.lastIndexOf('-');
  const upstream = hyphen >= 0 ? rest.slice(0, hyphen) : rest;
  const revision = hyphen >= 0 ? rest.slice(hyphen + 1) : '';
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

function parseOrThrow(version: string): DpkgVersion {
  const parsed = split(version);
  if (typeof parsed === 'string') throw invalidVersion('dpkg', version, parsed);
  return parsed;
}

export const dpkgScheme: VersionScheme = {
  name: 'dpkg',
  validate(version) {
    const parsed = parse(version);
    return typeof parsed === 'string' ? parsed : undefined;
  },
  compare(left, right) {
    const a = parseOrThrow(left);
    const b = parseOrThrow(right);
    return (
      compareDigits(a.epoch, b.epoch) ||
      verrevcmp(a.upstream, b.upstream) ||
      verrevcmp(a.revision, b.revision)
    );
  },
};
