// OpenVEX documents (0.0.x and 0.2.0): statements of vulnerability, products (and subcomponents), status.
import { isRecord } from '../../core/kube-object.ts';
import { describeJson } from '../../image/lockfiles/lockfile-reader.ts';
import type { VexStatement, VexStatus } from './statement.ts';

const STATUSES: readonly VexStatus[] = ['not_affected', 'fixed', 'affected', 'under_investigation'];

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** A product or subcomponent: a string (0.0.x) or an object with `@id` and `identifiers` (0.2.0). */
function identifiers(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (!isRecord(value)) return [];
  const ids: string[] = [];
  const id = text(value['@id']);
  if (id) ids.push(id);
  if (isRecord(value.identifiers))
    for (const entry of Object.values(value.identifiers)) if (typeof entry === 'string') ids.push(entry);
  return ids;
}

export function isOpenVex(document: unknown): boolean {
  return (
    isRecord(document) && typeof document['@context'] === 'string' && document['@context'].includes('openvex')
  );
}

export function readOpenVex(
  document: unknown,
  file: string,
): { statements: VexStatement[]; problems: string[] } {
  const statements: VexStatement[] = [];
  const problems: string[] = [];
  if (!isRecord(document) || !Array.isArray(document.statements))
    return { statements, problems: [`${file}: no "statements" array`] };
  const documentTime = text(document.timestamp);
  for (const [index, raw] of document.statements.entries()) {
    const where = `${file}: statements[${index}]`;
    if (!isRecord(raw)) {
      problems.push(`${where} is not an object`);
      continue;
    }
    const status = raw.status;
    if (typeof status !== 'string' || !STATUSES.includes(status as VexStatus)) {
      // Only a string is quoted (cut short): a nested value could be too deep to serialise, or huge.
      const shown =
        typeof status === 'string' ? JSON.stringify(status.slice(0, 100)) : `(${describeJson(status)})`;
      problems.push(`${where}: unknown status ${shown}`);
      continue;
    }
    const vulnerability = raw.vulnerability;
    const vulnerabilities: string[] = [];
    if (typeof vulnerability === 'string') vulnerabilities.push(vulnerability);
    else if (isRecord(vulnerability)) {
      for (const key of ['name', '@id']) {
        const value = text(vulnerability[key]);
        if (value) vulnerabilities.push(value);
      }
      if (Array.isArray(vulnerability.aliases))
        for (const alias of vulnerability.aliases) if (typeof alias === 'string') vulnerabilities.push(alias);
    }
    if (vulnerabilities.length === 0) {
      problems.push(`${where}: no vulnerability name`);
      continue;
    }
    const products = (Array.isArray(raw.products) ? raw.products : []).flatMap((product) => {
      const subcomponents =
        isRecord(product) && Array.isArray(product.subcomponents)
          ? product.subcomponents.flatMap(identifiers)
          : [];
      return identifiers(product).map((id) => ({ id, subcomponents }));
    });
    if (products.length === 0) {
      problems.push(`${where}: no products`);
      continue;
    }
    if (status === 'not_affected' && !text(raw.justification) && !text(raw.impact_statement)) {
      problems.push(`${where}: not_affected needs a justification or an impact statement (OpenVEX)`);
      continue;
    }
    const statement: VexStatement = {
      vulnerabilities,
      products,
      status: status as VexStatus,
      document: file,
    };
    const justification = text(raw.justification);
    const detail = text(raw.impact_statement) ?? text(raw.status_notes);
    const timestamp = text(raw.timestamp) ?? documentTime;
    if (justification) statement.justification = justification;
    if (detail) statement.detail = detail;
    if (timestamp) statement.timestamp = timestamp;
    statements.push(statement);
  }
  return { statements, problems };
}
