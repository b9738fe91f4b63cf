// The YAML schema manifests are read with, matching how Kubernetes itself reads them.
import { boolYaml11Tag, CORE_SCHEMA, defineMappingTag, defineScalarTag, NOT_RESOLVED } from 'js-yaml';

/**
 * go-yaml v2's resolution of a plain scalar starting with a digit or sign (resolve.go): every `_` removed, then
 * strconv.ParseInt base 0 (`0x`, `0o`, `0b`, leading `0` for octal, in either case), then ParseUint, then a
 * decimal float. No base 60 (`1:0` is a string), no `_` in floats starting with `.`.
 */
const GO_INT = /^[-+]?(?:0[xX][0-9a-fA-F]+|0[bB][01]+|0[oO][0-7]+|0[0-7]*|[1-9][0-9]*)$/;
const GO_FLOAT = /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$/;
const GO_DOT_FLOAT = /^\.[0-9]+(?:[eE][-+]?[0-9]+)?$/;
const INT64_MIN = -(2n ** 63n);
const UINT64_MAX = 2n ** 64n - 1n;

function goInteger(plain: string): number | undefined {
  if (!GO_INT.test(plain)) return undefined;
  const negative = plain.charCodeAt(0) === 45;
  let body = plain.charCodeAt(0) === 45 || plain.charCodeAt(0) === 43 ? plain.slice(1) : plain;
  const prefix = body.slice(0, 2).toLowerCase();
  if (prefix === '0o') body = `0o${body.slice(2)}`;
  else if (prefix === '0x' || prefix === '0b') body = `0${prefix[1]}${body.slice(2)}`;
  else if (body.length > 1 && body.charCodeAt(0) === 48) body = `0o${body.slice(1)}`;
  let value = BigInt(body);
  if (negative) value = -value;
  // ParseInt takes int64; ParseUint (no sign allowed) the rest of uint64.
  if (value < INT64_MIN || value > UINT64_MAX) return undefined;
  if (value >= 2n ** 63n && plain.charCodeAt(0) === 43) return undefined;
  return Number(value);
}

/** The number go-yaml reads a plain scalar as (int or float), or undefined when it is not one. */
function goYamlNumber(source: string): number | undefined {
  const c = source.charCodeAt(0);
  if (c === 46) {
    if (!GO_DOT_FLOAT.test(source)) return undefined;
    const value = Number(source);
    return Number.isFinite(value) ? value : undefined;
  }
  if (!((c >= 48 && c <= 57) || c === 43 || c === 45)) return undefined;
  const plain = source.includes('_') ? source.replaceAll('_', '') : source;
  const int = goInteger(plain);
  if (int !== undefined) return int === 0 ? 0 : int;
  if (!GO_FLOAT.test(plain)) return undefined;
  const value = Number(plain);
  // ParseFloat fails (and go-yaml keeps the string) when the value overflows.
  return Number.isFinite(value) ? value : undefined;
}

const SPECIAL_FLOATS: Record<string, number> = {
  '.nan': Number.NaN,
  '.NaN': Number.NaN,
  '.NAN': Number.NaN,
  '.inf': Number.POSITIVE_INFINITY,
  '.Inf': Number.POSITIVE_INFINITY,
  '.INF': Number.POSITIVE_INFINITY,
  '+.inf': Number.POSITIVE_INFINITY,
  '+.Inf': Number.POSITIVE_INFINITY,
  '+.INF': Number.POSITIVE_INFINITY,
  '-.inf': Number.NEGATIVE_INFINITY,
  '-.Inf': Number.NEGATIVE_INFINITY,
  '-.INF': Number.NEGATIVE_INFINITY,
};

const goIntTag = defineScalarTag('tag:yaml.org,2002:int', {
  implicit: true,
  implicitFirstChars: ['-', '+', ...'0123456789'],
  resolve: (source) => {
    const plain = source.includes('_') ? source.replaceAll('_', '') : source;
    const value = goInteger(plain);
    return value === undefined ? NOT_RESOLVED : value === 0 ? 0 : value;
  },
  identify: (object) => Number.isInteger(object) && !Object.is(object, -0),
});

const goFloatTag = defineScalarTag('tag:yaml.org,2002:float', {
  implicit: true,
  implicitFirstChars: ['-', '+', '.', ...'0123456789'],
  resolve: (source) => {
    const special = SPECIAL_FLOATS[source];
    if (special !== undefined) return special;
    const value = goYamlNumber(source);
    return value === undefined ? NOT_RESOLVED : value;
  },
  identify: (object) => typeof object === 'number',
});

/**
 * Merge keys as go-yaml v2 applies them: in document order, each `<<` overwriting the keys already there
 * (explicit ones included), and within `<<: [*a, *b]` the earlier mapping winning. js-yaml keeps explicit keys
 * and the first merge; the hooks below turn its merging into go-yaml's. `mergeEpoch` changes at every `<<` key,
 * `merging` is set while js-yaml copies a source mapping's keys into the mapping being built.
 */
let mergeEpoch = 0;
let merging = 0;
interface MergeState {
  epoch: number;
  /** Keys set by the current `<<` entry (by an earlier mapping of its sequence). */
  current: Set<string>;
  /** Keys whose present value came from a merge. */
  merged: Set<string>;
}
const mergeStates = new WeakMap<object, MergeState>();
let overriddenKeys: string[] = [];
let duplicatesAllowed = false;

/**
 * Runs `load` with duplicate keys accepted, the last one winning, as go-yaml v2 reads them (js-yaml refuses
 * them by default).
 */
export function withDuplicateKeys<T>(load: () => T): T {
  duplicatesAllowed = true;
  try {
    return load();
  } finally {
    duplicatesAllowed = false;
  }
}

/** Explicit keys a merge overwrote since the last call (go-yaml semantics), and forgets them. */
export function takeMergeOverrides(): string[] {
  const keys = overriddenKeys;
  overriddenKeys = [];
  return keys;
}

const goMergeTag = defineScalarTag('tag:yaml.org,2002:merge', {
  implicit: true,
  implicitFirstChars: ['<'],
  resolve: (source, isExplicit) => {
    if (source === '<<' || (isExplicit && source === '')) {
      mergeEpoch++;
      return '<<';
    }
    return NOT_RESOLVED;
  },
  identify: () => false,
});

function mergeState(map: object): MergeState {
  let state = mergeStates.get(map);
  if (state === undefined) {
    state = { epoch: -1, current: new Set(), merged: new Set() };
    mergeStates.set(map, state);
  }
  if (state.epoch !== mergeEpoch) {
    state.epoch = mergeEpoch;
    state.current = new Set();
  }
  return state;
}

function* mergeKeysOf(map: Record<string, unknown>): Generator<string> {
  merging++;
  try {
    yield* Object.keys(map);
  } finally {
    merging--;
  }
}

const goMapTag = defineMappingTag<Record<string, unknown>>('tag:yaml.org,2002:map', {
  create: () => ({}),
  identify: (data) => data !== null && typeof data === 'object' && !Array.isArray(data),
  addPair: (map, key, value) => {
    if (key !== null && typeof key === 'object') return 'object-based map does not support complex keys';
    const name = String(key);
    if (merging > 0) {
      const state = mergeState(map);
      if (Object.hasOwn(map, name) && !state.merged.has(name) && map[name] !== value)
        overriddenKeys.push(name);
      state.current.add(name);
      state.merged.add(name);
    } else if (Object.hasOwn(map, name)) mergeStates.get(map)?.merged.delete(name);
    if (name === '__proto__')
      Object.defineProperty(map, name, { value, enumerable: true, configurable: true, writable: true });
    else map[name] = value;
    return '';
  },
  has: (map, key) => {
    if (key !== null && typeof key === 'object') return false;
    const name = String(key);
    // While merging, only an earlier mapping of the same `<<` sequence keeps a key.
    if (merging > 0) return mergeState(map).current.has(name);
    return !duplicatesAllowed && Object.hasOwn(map, name);
  },
  keys: (map) => mergeKeysOf(map),
  get: (map, key) => {
    const name = String(key);
    return Object.hasOwn(map, name) ? map[name] : null;
  },
});

/**
 * Kubernetes decodes YAML with go-yaml v2 (through sigs.k8s.io/yaml): YAML 1.1 booleans (`yes`, `on`, `NO`),
 * go-yaml's integers and floats (`0644` is octal, `0o10`, `1_0`, no base 60) and merge keys (`<<`, in document
 * order). Timestamps stay strings, as they do there.
 */
export const KUBERNETES_YAML_SCHEMA = CORE_SCHEMA.withTags(
  boolYaml11Tag,
  goIntTag,
  goFloatTag,
  goMergeTag,
  goMapTag,
);
