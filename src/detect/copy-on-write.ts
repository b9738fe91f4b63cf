// Copy-on-write mapping for the masked view of an event: a container is copied only when one of its values
// changes, so everything without anything to mask stays shared with the event as it arrived.

/** The array with items mapped; the same array when no item changed. */
export function mapArray(value: unknown[], map: (item: unknown) => unknown): unknown[] {
  let out: unknown[] | undefined;
  for (let index = 0; index < value.length; index++) {
    const item = value[index];
    const mapped = map(item);
    if (mapped === item) continue;
    out ??= [...value];
    out[index] = mapped;
  }
  return out ?? value;
}

/** The record with values mapped; the same record when no value changed. */
export function mapRecord(
  value: Record<string, unknown>,
  map: (key: string, item: unknown) => unknown,
): Record<string, unknown> {
  let out: Record<string, unknown> | undefined;
  for (const [key, item] of Object.entries(value)) {
    const mapped = map(key, item);
    if (mapped === item) continue;
    out ??= { ...value };
    out[key] = mapped;
  }
  return out ?? value;
}
