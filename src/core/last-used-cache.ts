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

  /**
   * The cached value for `key`, or `compute(key, argument)` remembered in place of the oldest entry. What the
   * computation needs besides the key comes as `argument`, not in a closure: callers run for every rule of every
   * object, and a closure per call was garbage the collector paid for in a cold scan.
   */
  get<A = undefined>(key: K, compute: (key: K, argument: A) => V, argument?: A): V {
    const keys = this.#keys;
    for (let i = 0; i < keys.length; i++) if (keys[i] === key) return this.#values[i] as V;
    const value = compute(key, argument as A);
    keys[this.#next] = key;
    this.#values[this.#next] = value;
    this.#next = (this.#next + 1) % keys.length;
    return value;
  }
}
