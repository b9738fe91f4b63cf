// Records of ecosystems the matcher has no version comparator for are stored but never match a package: counted
// per ecosystem during an import and said once each, since a feed holds hundreds of thousands of records.
import { baseEcosystem, schemeForEcosystem } from '../version/index.ts';
import type { OsvRecord } from './osv-record.ts';

export class UnmatchableEcosystems {
  /** Records per base ecosystem (`Hackage`, not `Hackage:x`): the comparator is chosen by the base. */
  readonly #records = new Map<string, number>();

  get size(): number {
    return this.#records.size;
  }

  count(record: OsvRecord): void {
    const seen = new Set<string>();
    for (const affected of record.affected) {
      const ecosystem = affected.package?.ecosystem;
      if (ecosystem === undefined || schemeForEcosystem(ecosystem) !== undefined) continue;
      const base = baseEcosystem(ecosystem);
      if (seen.has(base)) continue;
      seen.add(base);
      this.#records.set(base, (this.#records.get(base) ?? 0) + 1);
    }
  }

  /** One message per ecosystem, by name. */
  messages(): string[] {
    return [...this.#records]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(
        ([ecosystem, records]) =>
          `ecosystem ${JSON.stringify(ecosystem.slice(0, 80))}: ${records} ${records === 1 ? 'record' : 'records'} ` +
          `imported that never ${records === 1 ? 'matches' : 'match'} a package (Palisade has no version comparator for it)`,
      );
  }
}
