// Finds objects given twice in one file or stream (same group, kind, namespace and name): `kubectl apply -f` on it
// would apply the last one only. Across files it is not reported: repositories often hold alternative installs
// (plain and HA, per-provider overlays) that are never applied together.
import type { LoadIssue } from '../core/errors.ts';
import type { InventoryEntry } from '../core/inventory.ts';
import { formatRef } from '../core/kube-object.ts';
import { apiGroupOf } from '../core/pod-spec.ts';

export class DuplicateTracker {
  readonly #seen = new Map<string, InventoryEntry>();

  /** A warning when an object with the same identity was already seen; both are kept. */
  check(entry: InventoryEntry): LoadIssue | undefined {
    const { ref, source } = entry;
    if (ref.name === '' || entry.object.metadata.name === undefined || source.type !== 'file')
      return undefined;
    const key = `${apiGroupOf(ref.apiVersion)}\u0000${ref.kind}\u0000${ref.namespace ?? ''}\u0000${ref.name}`;
    const first = this.#seen.get(key);
    if (!first) {
      this.#seen.set(key, entry);
      return undefined;
    }
    const where = first.source.type === 'file' ? `${first.source.file}:${first.source.line}` : '';
    return {
      severity: 'warning',
      code: 'duplicate-object',
      message: `${formatRef(ref)} is defined twice (first at ${where}); kubectl would apply only the last one`,
      file: source.file,
      line: source.line,
      column: 1,
    };
  }
}
