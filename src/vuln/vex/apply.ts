// Applies VEX statements to vulnerability findings: the latest statement about a vulnerability and a product
// decides; `not_affected` and `fixed` suppress the finding, with the justification as the reason.
import type { Finding, Suppression, VulnerabilityFinding } from '../../core/finding.ts';
import { type PurlParts, parsePurl } from '../../image/purl.ts';
import { suppresses, type VexStatement } from './statement.ts';

function sameName(type: string, a: string, b: string): boolean {
  // Lenient for these types: older purls lowercased npm and Go names, and PyPI names are case-insensitive.
  return ['npm', 'pypi', 'golang'].includes(type) ? a.toLowerCase() === b.toLowerCase() : a === b;
}

/** A statement's purl covers a package purl when type, namespace and name agree and, if given, version and qualifiers. */
export function purlCovers(statementPurl: string, packagePurl: string): boolean {
  const want = parsePurl(statementPurl);
  const have = parsePurl(packagePurl);
  if (!want || !have) return statementPurl === packagePurl;
  return coversParts(want, have);
}

function coversParts(want: PurlParts, have: PurlParts): boolean {
  if (want.type !== have.type || !sameName(want.type, want.name, have.name)) return false;
  if ((want.namespace ?? '').toLowerCase() !== (have.namespace ?? '').toLowerCase()) return false;
  if (want.version !== undefined && want.version !== have.version) return false;
  for (const [key, value] of Object.entries(want.qualifiers ?? {}))
    if (have.qualifiers?.[key] !== value) return false;
  return true;
}

/** Whether a product id names the scanned target itself (an image reference, or an OCI purl of it). */
function namesTarget(product: string, target: string): boolean {
  if (product === target) return true;
  const purl = parsePurl(product);
  if (purl?.type !== 'oci') return false;
  const repository = target.replace(/@.*$/, '').replace(/:[^/:]*$/, '');
  const last = repository.slice(repository.lastIndexOf('/') + 1);
  if (!sameName('oci', purl.name.toLowerCase(), last.toLowerCase())) return false;
  const digest = /@(sha256:[0-9a-f]{64})/.exec(target)?.[1];
  return purl.version === undefined || digest === undefined || purl.version === digest;
}

function applies(statement: VexStatement, finding: VulnerabilityFinding): boolean {
  const ids = new Set([finding.ruleId, finding.advisory.id, ...finding.advisory.aliases]);
  if (!statement.vulnerabilities.some((id) => ids.has(id))) return false;
  const purl = finding.package.purl;
  return statement.products.some((product) => {
    const packageMatches = (id: string): boolean => purl !== undefined && purlCovers(id, purl);
    if (product.subcomponents.length > 0)
      return (
        (namesTarget(product.id, finding.location.target) || packageMatches(product.id)) &&
        product.subcomponents.some(packageMatches)
      );
    return packageMatches(product.id) || namesTarget(product.id, finding.location.target);
  });
}

function reason(statement: VexStatement): string {
  const parts = [statement.status, statement.justification, statement.detail].filter(
    (part) => part !== undefined,
  );
  return `${parts.join(': ')} (VEX ${statement.document})`;
}

export function applyVex<T extends Finding>(
  findings: readonly T[],
  statements: readonly VexStatement[],
): T[] {
  if (statements.length === 0) return [...findings];
  // Later statements win: by timestamp, then by order of appearance.
  const ordered = statements
    .map((statement, index) => ({ statement, index }))
    .sort(
      (a, b) => (a.statement.timestamp ?? '').localeCompare(b.statement.timestamp ?? '') || a.index - b.index,
    )
    .map(({ statement }) => statement);
  return findings.map((finding) => {
    if (finding.source !== 'vulnerability' || finding.suppressed) return finding;
    const latest = ordered.filter((statement) => applies(statement, finding)).at(-1);
    if (!latest || !suppresses(latest.status)) return finding;
    const vex: NonNullable<Suppression['vex']> = { status: latest.status };
    if (latest.justification !== undefined) vex.justification = latest.justification;
    return { ...finding, suppressed: { by: 'vex', reason: reason(latest), vex } };
  });
}
