// A tiny cache of the most recent answers, keyed by object identity. The engine evaluates every rule of one object
// before the next, so the last few keys get almost every hit; unlike a WeakMap over every object, it keeps nothing
// alive and costs the garbage collector nothing per entry.

export class LastUsedCache<K extends object, V> {
  readonly #keys: (K | undefined)[];
  readonly #values: (V | undefined)[];
  #next = 0;

  constructor(size: number) {
    this.#keys = new Array<K | undefined>(size).fill(undefined);
    this.#values = new Array<V | undefined>(size).fill(undefined);
  }

  /** The cached value for `key`, or `compute(key)` remembered in place of the oldest entry. */
  get(key: K, compute: (key: K) => V): V {
    const keys = this.#keys;
    for (let i = 0; i < keys.length; i++) if (keys[i] === key) return this.#values[i] as V;
    const value = compute(key);
    keys[this.#next] = key;
    this.#values[this.#next] = value;
    this.#next = (this.#next + 1) % keys.length;
    return value;
  }
}
