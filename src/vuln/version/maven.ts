// Maven versions, ordered as Maven 3.9's ComparableVersion: numbers, qualifiers (alpha < beta < milestone < rc < snapshot < release < sp), nested lists at `-`.
import {
  compareDigits,
  MAX_VERSION_LENGTH,
  type Sign,
  sign,
  type VersionScheme,
  validatedScheme,
} from './scheme.ts';

type Item =
  | { kind: 'int'; value: string }
  | { kind: 'string'; value: string }
  | { kind: 'list'; items: Item[] };

const QUALIFIERS = ['alpha', 'beta', 'milestone', 'rc', 'snapshot', '', 'sp'];
const ALIASES: Record<string, string> = { ga: '', final: '', release: '', cr: 'rc' };
const RELEASE_INDEX = String(QUALIFIERS.indexOf(''));

function comparableQualifier(value: string): string {
  const index = QUALIFIERS.indexOf(value);
  return index >= 0 ? String(index) : `${QUALIFIERS.length}-${value}`;
}

function stringItem(value: string, followedByDigit: boolean): Item {
  let text = value;
  if (followedByDigit && text.length === 1)
    text = text === 'a' ? 'alpha' : text === 'b' ? 'beta' : text === 'm' ? 'milestone' : text;
  return { kind: 'string', value: ALIASES[text] ?? text };
}

function parseItem(text: string, isDigit: boolean, followedByDigit: boolean): Item {
  return isDigit
    ? { kind: 'int', value: text.replace(/^0+(?=[0-9])/, '') }
    : stringItem(text, followedByDigit);
}

function isNull(item: Item): boolean {
  if (item.kind === 'int') return /^0+$/.test(item.value);
  if (item.kind === 'string') return item.value === '';
  return item.items.length === 0;
}

/** Drops trailing "null" items (0, release qualifiers, empty lists) so 1.0 equals 1 and 1-ga equals 1. */
function normalize(list: Item & { kind: 'list' }): void {
  for (let index = list.items.length - 1; index >= 0; index--) {
    const item = list.items[index]!;
    if (isNull(item)) list.items.splice(index, 1);
    else if (item.kind !== 'list') break;
  }
}

function parse(version: string): Item & { kind: 'list' } {
  const text = version.trim().toLowerCase();
  const root: Item & { kind: 'list' } = { kind: 'list', items: [] };
  let list = root;
  const stack = [root];
  let isDigit = false;
  let start = 0;
  const openList = (): void => {
    const next: Item & { kind: 'list' } = { kind: 'list', items: [] };
    list.items.push(next);
    list = next;
    stack.push(next);
  };
  for (let index = 0; index < text.length; index++) {
    const char = text[index]!;
    if (char === '.' || char === '-') {
      if (index === start) list.items.push({ kind: 'int', value: '0' });
      else list.items.push(parseItem(text.slice(start, index), isDigit, false));
      start = index + 1;
      if (char === '-') openList();
      isDigit = false;
    } else if (char >= '0' && char <= '9') {
      if (!isDigit && index > start) {
        // Maven 3.9 (MNG-7644): a qualifier after a dot is read as after a dash, `1.0.RC1` as `1.0-RC1`.
        if (list.items.length > 0) openList();
        list.items.push(stringItem(text.slice(start, index), true));
        start = index;
        openList();
      }
      isDigit = true;
    } else {
      if (isDigit && index > start) {
        list.items.push(parseItem(text.slice(start, index), true, false));
        start = index;
        openList();
      }
      isDigit = false;
    }
  }
  if (text.length > start) {
    if (!isDigit && list.items.length > 0) openList();
    list.items.push(parseItem(text.slice(start), isDigit, false));
  }
  while (stack.length > 0) normalize(stack.pop()!);
  return root;
}

function compareItems(left: Item | undefined, right: Item | undefined): Sign {
  if (left === undefined) return right === undefined ? 0 : (-compareItems(right, undefined) as Sign);
  if (left.kind === 'int') {
    if (right === undefined) return /^0+$/.test(left.value) ? 0 : 1;
    return right.kind === 'int' ? compareDigits(left.value, right.value) : 1;
  }
  if (left.kind === 'string') {
    const mine = comparableQualifier(left.value);
    if (right === undefined) return sign(mine.localeCompare(RELEASE_INDEX, 'en'));
    if (right.kind === 'string') {
      const theirs = comparableQualifier(right.value);
      return mine < theirs ? -1 : mine > theirs ? 1 : 0;
    }
    return -1;
  }
  if (right === undefined) {
    // Maven 3.9 (MNG-6964): every item counts against nothing, not only the first (`1-0.alpha` < `1`).
    for (const item of left.items) {
      const order = compareItems(item, undefined);
      if (order !== 0) return order;
    }
    return 0;
  }
  if (right.kind === 'int') return -1;
  if (right.kind === 'string') return 1;
  const length = Math.max(left.items.length, right.items.length);
  for (let index = 0; index < length; index++) {
    const order = compareItems(left.items[index], right.items[index]);
    if (order !== 0) return order;
  }
  return 0;
}

export const mavenScheme: VersionScheme = validatedScheme(
  'maven',
  (version) => {
    if (version.trim() === '') return 'empty';
    if (version.length > MAX_VERSION_LENGTH) return 'too long';
    return /\s/.test(version.trim()) ? 'embedded whitespace' : undefined;
  },
  (left, right) => compareItems(parse(left), parse(right)),
);
