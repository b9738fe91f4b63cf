// Which Services select a pod: asked by the probe rules for every workload, so it is indexed. The exposure paths
// (exposure/service-backends.ts) read Services' selectors through servicePodSelector too.
import type { Inventory, InventoryEntry } from './inventory.ts';
import { isRecord, type KubeObject, scalarText } from './kube-object.ts';
import { matchesMapSelector } from './label-selector.ts';
import { DEFAULT_NAMESPACE } from './namespace-default.ts';

const SERVICE_INDEX = Symbol('services by selector pair');

/**
 * Services keyed by namespace and by the rarest `key=value` pair of their selector: a matching pod must carry every
 * pair, so looking up the pod's own pairs finds each candidate once, among few others.
 */
function serviceIndex(inventory: Inventory): Map<string, InventoryEntry[]> {
  return inventory.derive(SERVICE_INDEX, () => {
    const services = inventory.ofKind('Service').flatMap((entry) => {
      const selector = servicePodSelector(entry.object);
      if (!selector) return [];
      const namespace = entry.ref.namespace || DEFAULT_NAMESPACE;
      return [{ entry, slots: Object.entries(selector).map(([key, value]) => slot(namespace, key, value)) }];
    });
    const frequency = new Map<string, number>();
    for (const { slots } of services) for (const s of slots) frequency.set(s, (frequency.get(s) ?? 0) + 1);
    const index = new Map<string, InventoryEntry[]>();
    for (const { entry, slots } of services) {
      const rarest = slots.reduce((best, s) =>
        (frequency.get(s) ?? 0) < (frequency.get(best) ?? 0) ? s : best,
      );
      const list = index.get(rarest);
      if (list) list.push(entry);
      else index.set(rarest, [entry]);
    }
    return index;
  });
}

// A value that is not a scalar (a hostile `{"toString": 0}`) gets a slot of its own: no selector pair equals it.
function slot(namespace: string, key: string, value: unknown): string {
  return `${namespace}\u0000${key}=${scalarText(value) ?? '\u0001'}`;
}

/**
 * The pod selector by which a Service gets its endpoints; undefined when it gets none from pods: no selector or an
 * empty one (endpoints managed by hand), or type ExternalName, whose selector the endpoint controllers ignore.
 */
export function servicePodSelector(service: KubeObject): Record<string, unknown> | undefined {
  const spec = service.spec;
  if (!isRecord(spec) || spec.type === 'ExternalName') return undefined;
  if (!isRecord(spec.selector) || Object.keys(spec.selector).length === 0) return undefined;
  return spec.selector;
}

function* selecting(inventory: Inventory, namespace: string, labels: unknown): Generator<InventoryEntry> {
  if (!isRecord(labels)) return;
  const index = serviceIndex(inventory);
  for (const [key, value] of Object.entries(labels))
    for (const entry of index.get(slot(namespace, key, value)) ?? []) {
      if (
        matchesMapSelector(
          servicePodSelector(entry.object) as Record<string, string>,
          labels as Record<string, string>,
        )
      )
        yield entry;
    }
}

/**
 * True when at least one Service in `namespace` selects the pod labels; stops at the first. Services and pods
 * without a namespace are taken to land in `default`, where kubectl puts them unless told otherwise.
 */
export function isSelectedByService(inventory: Inventory, namespace: string, labels: unknown): boolean {
  return !selecting(inventory, namespace || DEFAULT_NAMESPACE, labels).next().done;
}
