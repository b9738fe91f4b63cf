// All objects of one scan, indexed for the cross-object questions rules ask (which pods does this select?).
import { type KubeObject, type ObjectRef, refOf } from './kube-object.ts';
import type { ObjectSource } from './source.ts';

/** An object together with where it came from. */
export interface InventoryEntry {
  object: KubeObject;
  ref: ObjectRef;
  source: ObjectSource;
}

/** `resource.group`, as kubectl names a resource (the core group has no suffix): `namespaces`, `deployments.apps`. */
export function groupResourceKey(group: string, resource: string): string {
  return group === '' ? resource : `${resource}.${group}`;
}

export interface InventoryOptions {
  /**
   * Whether each resource is cluster-scoped, keyed by groupResourceKey, as the API discovery of the cluster the
   * objects came from reported it (live and snapshot scans); files carry no such thing.
   */
  clusterScoped?: ReadonlyMap<string, boolean>;
  /**
   * Record the kinds asked for (ofKind, get, ofKindsWhere), so that a command can tell whether a kind a cluster could
   * not list mattered to its answer. Off by default: scans read every kind their rules name. Reading `entries`
   * directly is not recorded: code behind such an answer selects kinds through the methods, and uses `entries` only
   * for input order.
   */
  recordReads?: boolean;
  /**
   * The API server's version (`gitVersion` of `/version`) when the objects come from one cluster that answered it:
   * on managed clusters no kube-apiserver pod is visible to read it from.
   */
  serverVersion?: string;
}

export class Inventory {
  readonly entries: readonly InventoryEntry[];
  readonly clusterScoped: ReadonlyMap<string, boolean>;
  readonly serverVersion: string | undefined;
  readonly #byKind = new Map<string, InventoryEntry[]>();
  readonly #byKey = new Map<string, InventoryEntry>();
  readonly #byKindAndNamespace = new Map<string, InventoryEntry[]>();
  readonly #derived = new Map<symbol, unknown>();
  readonly #kindsRead: Set<string> | undefined;
  readonly #kindTestsRead: ((kind: string) => boolean)[] = [];

  constructor(entries: readonly InventoryEntry[], options: InventoryOptions = {}) {
    this.entries = entries;
    this.clusterScoped = options.clusterScoped ?? new Map();
    this.serverVersion = options.serverVersion;
    this.#kindsRead = options.recordReads ? new Set() : undefined;
    for (const entry of entries) {
      push(this.#byKind, entry.ref.kind, entry);
      push(this.#byKindAndNamespace, key(entry.ref.kind, entry.ref.namespace, ''), entry);
      this.#byKey.set(key(entry.ref.kind, entry.ref.namespace, entry.ref.name), entry);
    }
  }

  static of(objects: readonly KubeObject[]): Inventory {
    return new Inventory(
      objects.map((object) => ({ object, ref: refOf(object), source: { type: 'inline' } })),
    );
  }

  get size(): number {
    return this.entries.length;
  }

  /** Objects of a kind; with `namespace`, only those in it ('' for cluster-scoped or unset). */
  ofKind(kind: string, namespace?: string): readonly InventoryEntry[] {
    this.#kindsRead?.add(kind);
    if (namespace === undefined) return this.#byKind.get(kind) ?? [];
    return this.#byKindAndNamespace.get(key(kind, namespace, '')) ?? [];
  }

  /**
   * A structure computed once per inventory and shared by every rule that asks (indexes of bindings, selectors…),
   * so that cross-object rules stay linear in the number of objects.
   */
  derive<T>(id: symbol, compute: (inventory: Inventory) => T): T {
    if (this.#derived.has(id)) return this.#derived.get(id) as T;
    const value = compute(this);
    this.#derived.set(id, value);
    return value;
  }

  get(kind: string, namespace: string | undefined, name: string): InventoryEntry | undefined {
    this.#kindsRead?.add(kind);
    return this.#byKey.get(key(kind, namespace, name));
  }

  /** Objects of every kind that passes `test` (say, every `…NetworkPolicy`), in input order. */
  ofKindsWhere(test: (kind: string) => boolean): InventoryEntry[] {
    if (this.#kindsRead) this.#kindTestsRead.push(test);
    const out: InventoryEntry[] = [];
    for (const entry of this.entries) if (test(entry.ref.kind)) out.push(entry);
    return out;
  }

  /**
   * Whether objects of `kind` were asked for so far; undefined when the inventory does not record its reads
   * (InventoryOptions.recordReads).
   */
  wasRead(kind: string): boolean | undefined {
    if (this.#kindsRead === undefined) return undefined;
    return this.#kindsRead.has(kind) || this.#kindTestsRead.some((test) => test(kind));
  }
}

function key(kind: string, namespace: string | undefined, name: string): string {
  return `${kind}\u0000${namespace ?? ''}\u0000${name}`;
}

function push<K, V>(map: Map<K, V[]>, k: K, value: V): void {
  const list = map.get(k);
  if (list) list.push(value);
  else map.set(k, [value]);
}
