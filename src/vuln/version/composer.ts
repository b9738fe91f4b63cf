// Composer (Packagist) versions: normalized as Composer does (four numbers, stability suffix), then ordered as PHP's version_compare.
import {
  compareDigits,
  invalidVersion,
  MAX_VERSION_LENGTH,
  type Sign,
  type VersionScheme,
} from './scheme.ts';

const PATTERN =
  /^v?([0-9]+)(?:\.([0-9]+))?(?:\.([0-9]+))?(?:\.([0-9]+))?(?:[._-]?(stable|beta|b|rc|alpha|a|patch|pl|p)((?:[.-]?[0-9]+)*))?([.-]?dev)?$/i;

/** Composer's normalized form, e.g. `v1.2-beta2` -> `1.2.0.0-beta2`. */
export function normalizeComposer(text: string): string | undefined {
  if (text.length > MAX_VERSION_LENGTH) return undefined;
  const match = PATTERN.exec(text.trim());
  if (!match) return undefined;
  const [, a = '0', b = '0', c = '0', d = '0', stability, stabilityNumber, dev] = match;
  let version = [a, b, c, d].join('.');
  if (stability !== undefined) {
    const lower = stability.toLowerCase();
    const name =
      lower === 'a' ? 'alpha' : lower === 'b' ? 'beta' : lower === 'p' || lower === 'pl' ? 'patch' : lower;
    if (name !== 'stable') version += `-${name}${(stabilityNumber ?? '').replace(/^[.-]/, '')}`;
  }
  if (dev !== undefined) version += '-dev';
  return version;
}

/** PHP version_compare's order of special words; numbers sit at `#`. Unknown words sort first. */
function specialRank(part: string): number {
  if (/^[0-9]+$/.test(part)) return 5;
  const lower = part.toLowerCase();
  if (lower.startsWith('dev')) return 1;
  if (lower.startsWith('alpha') || lower === 'a') return 2;
  if (lower.startsWith('beta') || lower === 'b') return 3;
  if (lower.startsWith('rc')) return 4;
  if (lower === '#') return 5;
  if (lower.startsWith('pl') || lower.startsWith('patch') || lower === 'p') return 6;
  return 0;
}

function canonicalParts(version: string): string[] {
  const spaced = version
    .replace(/[-_+]/g, '.')
    .replace(/([0-9])([^0-9.])/g, '$1.$2')
    .replace(/([^0-9.])([0-9])/g, '$1.$2');
  return spaced.split('.').filter((part) => part !== '');
}

export function phpVersionCompare(left: string, right: string): Sign {
  const a = canonicalParts(left);
  const b = canonicalParts(right);
  const length = Math.min(a.length, b.length);
  for (let index = 0; index < length; index++) {
    const x = a[index]!;
    const y = b[index]!;
    const numericX = /^[0-9]+$/.test(x);
    const numericY = /^[0-9]+$/.test(y);
    const order = numericX && numericY ? compareDigits(x, y) : Math.sign(specialRank(x) - specialRank(y));
    if (order !== 0) return order as Sign;
  }
  if (a.length === b.length) return 0;
  // The longer version wins when it continues with a number; a trailing word is compared against a release.
  const rest = a.length > b.length ? a[length]! : b[length]!;
  const restOrder = /^[0-9]+$/.test(rest) ? 1 : Math.sign(specialRank(rest) - 5);
  return (a.length > b.length ? restOrder : -restOrder) as Sign;
}

export const composerScheme: VersionScheme = {
  name: 'composer',
  validate(version) {
    return normalizeComposer(version) === undefined ? 'not a Composer version' : undefined;
  },
  compare(left, right) {
    const a = normalizeComposer(left);
    if (a === undefined) throw invalidVersion('composer', left, 'not a Composer version');
    const b = normalizeComposer(right);
    if (b === undefined) throw invalidVersion('composer', right, 'not a Composer version');
    return phpVersionCompare(a, b);
  },
};
