// What the analysis did with an input object that it could not take as written (a duplicate it replaced, a policy
// kind it does not read, an invalid field), located on the object so that it is reported like a load problem.
import type { InventoryEntry } from '../core/inventory.ts';
import type { FieldPath, ObjectRef } from '../core/kube-object.ts';
import { apiGroupOf } from '../core/pod-spec.ts';

export interface LoadNotice {
  entry: InventoryEntry;
  /** The object as the analysis names it (namespace defaulted). */
  ref: ObjectRef;
  path: FieldPath;
  message: string;
}

/** `file:line`, or a description for objects that do not come from a file. */
export function positionOf(entry: InventoryEntry): string {
  const source = entry.source;
  switch (source.type) {
    case 'file':
      return `${source.file}:${source.line}`;
    case 'cluster':
      return `cluster ${source.context}`;
    case 'admission':
      return `admission request ${source.uid}`;
    case 'inline':
      return 'an earlier object of the inputs';
  }
}

/** The manifest loader already warns about an object given twice in one file (see DuplicateTracker). */
function reportedByLoader(earlier: InventoryEntry, later: InventoryEntry): boolean {
  return (
    earlier.source.type === 'file' &&
    later.source.type === 'file' &&
    earlier.source.file === later.source.file &&
    (earlier.ref.namespace ?? '') === (later.ref.namespace ?? '') &&
    apiGroupOf(earlier.ref.apiVersion) === apiGroupOf(later.ref.apiVersion)
  );
}

/** The notice for `later` replacing `earlier` definitions of the same object (namespaces defaulted), unless the loader
 * already reported them all. */
export function duplicateNotice(
  earlier: readonly InventoryEntry[],
  later: InventoryEntry,
  ref: ObjectRef,
): LoadNotice | undefined {
  const unreported = earlier.filter((entry) => !reportedByLoader(entry, later));
  if (unreported.length === 0) return undefined;
  return {
    entry: later,
    ref,
    path: [],
    message: `also defined at ${unreported.map(positionOf).join(', ')}; the analysis uses this later definition (${positionOf(later)}), as kubectl apply of all of them would leave it`,
  };
}

/** The last definition per key, in the order of those definitions, with the earlier definitions each one replaces. */
export function lastDefinitions<T>(
  items: readonly T[],
  keyOf: (item: T) => string | undefined,
): { item: T; replaced: T[] }[] {
  const keys = items.map(keyOf);
  const definitions = new Map<string, T[]>();
  items.forEach((item, index) => {
    const key = keys[index];
    if (key === undefined) return;
    const list = definitions.get(key);
    if (list) list.push(item);
    else definitions.set(key, [item]);
  });
  return items.flatMap((item, index) => {
    const key = keys[index];
    if (key === undefined) return [{ item, replaced: [] }];
    const all = definitions.get(key) as T[];
    return all[all.length - 1] === item ? [{ item, replaced: all.slice(0, -1) }] : [];
  });
}
