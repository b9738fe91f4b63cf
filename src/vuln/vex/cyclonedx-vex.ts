// CycloneDX VEX: a BOM whose `vulnerabilities` carry an `analysis` (state, justification) and `affects` refs
// pointing at components by bom-ref (or at a purl directly).
import { isRecord } from '../../core/kube-object.ts';
import type { VexStatement, VexStatus } from './statement.ts';

/** CycloneDX analysis states mapped to VEX statuses; `false_positive` means not affected. */
const STATES: Record<string, VexStatus> = {
  not_affected: 'not_affected',
  false_positive: 'not_affected',
  resolved: 'fixed',
  resolved_with_pedigree: 'fixed',
  exploitable: 'affected',
  in_triage: 'under_investigation',
};

export function isCycloneDxVex(document: unknown): boolean {
  return isRecord(document) && document.bomFormat === 'CycloneDX' && Array.isArray(document.vulnerabilities);
}

/** bom-ref -> purl for every component, nested ones included (bounded depth: hostile documents nest deeply). */
function componentRefs(document: Record<string, unknown>): Map<string, string> {
  const refs = new Map<string, string>();
  const walk = (components: unknown, depth: number): void => {
    if (!Array.isArray(components) || depth > 32) return;
    for (const component of components) {
      if (!isRecord(component)) continue;
      const ref = component['bom-ref'];
      const purl = component.purl;
      if (typeof ref === 'string' && typeof purl === 'string') refs.set(ref, purl);
      walk(component.components, depth + 1);
    }
  };
  if (isRecord(document.metadata)) walk([document.metadata.component], 0);
  walk(document.components, 0);
  return refs;
}

export function readCycloneDxVex(
  document: unknown,
  file: string,
): { statements: VexStatement[]; problems: string[] } {
  const statements: VexStatement[] = [];
  const problems: string[] = [];
  if (!isRecord(document) || !Array.isArray(document.vulnerabilities))
    return { statements, problems: [`${file}: no "vulnerabilities" array`] };
  const refs = componentRefs(document);
  for (const [index, raw] of document.vulnerabilities.entries()) {
    const where = `${file}: vulnerabilities[${index}]`;
    if (!isRecord(raw) || typeof raw.id !== 'string') {
      problems.push(`${where} has no id`);
      continue;
    }
    const analysis = isRecord(raw.analysis) ? raw.analysis : undefined;
    const state = typeof analysis?.state === 'string' ? STATES[analysis.state] : undefined;
    // A vulnerability without analysis is a VDR entry, not a VEX statement: nothing to apply.
    if (!state) continue;
    const vulnerabilities = [raw.id];
    if (Array.isArray(raw.references))
      for (const reference of raw.references)
        if (isRecord(reference) && typeof reference.id === 'string') vulnerabilities.push(reference.id);
    const products = (Array.isArray(raw.affects) ? raw.affects : []).flatMap((affect) => {
      if (!isRecord(affect) || typeof affect.ref !== 'string') return [];
      // A ref may be `urn:cdx:<serial>/<version>#<bom-ref>` pointing into another BOM: the bom-ref part names it.
      const local = affect.ref.includes('#') ? affect.ref.slice(affect.ref.lastIndexOf('#') + 1) : affect.ref;
      const purl = refs.get(affect.ref) ?? refs.get(local) ?? (local.startsWith('pkg:') ? local : undefined);
      return purl ? [{ id: purl, subcomponents: [] }] : [];
    });
    if (products.length === 0) {
      problems.push(`${where}: no "affects" entry resolves to a component purl`);
      continue;
    }
    const statement: VexStatement = { vulnerabilities, products, status: state, document: file };
    if (typeof analysis?.justification === 'string') statement.justification = analysis.justification;
    if (typeof analysis?.detail === 'string') statement.detail = analysis.detail;
    const timestamp =
      typeof analysis?.lastUpdated === 'string'
        ? analysis.lastUpdated
        : typeof raw.updated === 'string'
          ? raw.updated
          : undefined;
    if (timestamp) statement.timestamp = timestamp;
    statements.push(statement);
  }
  return { statements, problems };
}
