// CycloneDX 1.6 BOM with vulnerabilities (a VDR): the scanned packages as components and each vulnerability
// with its ratings, fix, affected component and, for VEX-suppressed ones, the analysis.
import { createHash } from 'node:crypto';
import type { VulnerabilityFinding } from '../core/finding.ts';
import { wellFormedJson } from '../outputs/well-formed-json.ts';
import type { MatchPackage } from './match/package.ts';

export interface VdrInput {
  toolVersion: string;
  /** ISO timestamp (injected, so output is reproducible). */
  timestamp: string;
  target: string;
  targetKind: 'image' | 'directory' | 'sbom';
  packages: readonly MatchPackage[];
  findings: readonly VulnerabilityFinding[];
}

/** A stable urn:uuid from the content, so the same scan gives the same serial number. */
function serialNumber(seed: string): string {
  const hex = createHash('sha256').update(seed).digest('hex');
  const variant = ((Number.parseInt(hex[16]!, 16) & 0x3) | 0x8).toString(16);
  return `urn:uuid:${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

function packageRef(pkg: { ecosystem: string; name: string; version: string; purl?: string }): string {
  return pkg.purl ?? `${pkg.ecosystem}/${pkg.name}@${pkg.version}`;
}

function ratingMethod(version: string): string {
  return version === '4.0'
    ? 'CVSSv4'
    : version === '3.1'
      ? 'CVSSv31'
      : version === '2.0'
        ? 'CVSSv2'
        : 'CVSSv3';
}

function advisorySource(id: string): { name: string; url?: string } {
  if (id.startsWith('CVE-')) return { name: 'NVD', url: `https://nvd.nist.gov/vuln/detail/${encodeId(id)}` };
  if (id.startsWith('GHSA-')) return { name: 'GitHub', url: `https://github.com/advisories/${encodeId(id)}` };
  return { name: 'OSV', url: `https://osv.dev/vulnerability/${encodeId(id)}` };
}

/** Lone UTF-16 surrogates (which encodeURIComponent refuses) as U+FFFD, then percent-encoded. */
function encodeId(id: string): string {
  return encodeURIComponent(
    id.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD'),
  );
}

/** An http(s) reference as the URL parser writes it (percent-encoded); undefined when it is not one. */
function webUrl(text: string): string | undefined {
  if (!/^https?:\/\//i.test(text)) return undefined;
  try {
    const url = new URL(text);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : undefined;
  } catch {
    return undefined;
  }
}

/**
 * CycloneDX `analysis.justification` for a VEX justification. CycloneDX VEX values pass through; OpenVEX (and
 * CSAF, which shares them) values map to the nearest CycloneDX one: an absent component or absent vulnerable code
 * is `code_not_present`; code outside the execute path is `code_not_reachable`; code an adversary cannot drive
 * lacks the environment the exploit needs (`requires_environment`); inline mitigations are
 * `protected_by_mitigating_control`. The original wording stays in `analysis.detail`.
 */
const JUSTIFICATIONS: ReadonlyMap<string, string> = new Map([
  ...[
    'code_not_present',
    'code_not_reachable',
    'requires_configuration',
    'requires_dependency',
    'requires_environment',
    'protected_by_compiler',
    'protected_at_runtime',
    'protected_at_perimeter',
    'protected_by_mitigating_control',
  ].map((value): [string, string] => [value, value]),
  ['component_not_present', 'code_not_present'],
  ['vulnerable_code_not_present', 'code_not_present'],
  ['vulnerable_code_not_in_execute_path', 'code_not_reachable'],
  ['vulnerable_code_cannot_be_controlled_by_adversary', 'requires_environment'],
  ['inline_mitigations_already_exist', 'protected_by_mitigating_control'],
]);

function rating(finding: VulnerabilityFinding): Record<string, unknown> {
  const cvss = finding.advisory.cvss;
  if (cvss)
    return {
      source: { name: 'OSV' },
      score: cvss.score,
      severity: finding.severity,
      method: ratingMethod(cvss.version),
      vector: cvss.vector,
    };
  // No source: nobody rated it, and crediting OSV with Palisade's display default would mislead.
  if (finding.advisory.unrated) return { severity: 'unknown' };
  return { source: { name: 'OSV' }, severity: finding.severity, method: 'other' };
}

export function renderVdr(input: VdrInput): string {
  const components = new Map<string, Record<string, unknown>>();
  const addComponent = (pkg: { ecosystem: string; name: string; version: string; purl?: string }): string => {
    const ref = packageRef(pkg);
    if (!components.has(ref)) {
      const component: Record<string, unknown> = {
        type: 'library',
        'bom-ref': ref,
        name: pkg.name,
        version: pkg.version,
      };
      if (pkg.purl !== undefined) component.purl = pkg.purl;
      components.set(ref, component);
    }
    return ref;
  };
  for (const pkg of input.packages) addComponent(pkg);
  const vulnerabilities = input.findings.map((finding) => {
    const ref = addComponent(finding.package);
    const vulnerability: Record<string, unknown> = {
      'bom-ref': `${finding.advisory.id}/${ref}`,
      id: finding.advisory.id,
      source: advisorySource(finding.advisory.id),
    };
    if (finding.advisory.aliases.length > 0)
      vulnerability.references = finding.advisory.aliases.map((alias) => ({
        id: alias,
        source: advisorySource(alias),
      }));
    vulnerability.ratings = [rating(finding)];
    vulnerability.description = finding.title;
    vulnerability.recommendation = finding.remediation;
    const advisories = finding.advisory.references.flatMap((reference) => {
      const url = webUrl(reference);
      return url === undefined ? [] : [{ url }];
    });
    if (advisories.length > 0) vulnerability.advisories = advisories;
    // Suppressed means not affected, or fixed in this version: either way this version is unaffected.
    const status = finding.suppressed ? 'unaffected' : 'affected';
    vulnerability.affects = [{ ref, versions: [{ version: finding.package.version, status }] }];
    if (finding.suppressed) {
      const vex = finding.suppressed.vex;
      const state = vex?.status === 'fixed' ? 'resolved' : 'not_affected';
      const analysis: Record<string, unknown> = { state };
      // CycloneDX's justification explains a not_affected state; only VEX statements give one.
      const justification =
        state === 'not_affected' && vex?.justification !== undefined
          ? JUSTIFICATIONS.get(vex.justification)
          : undefined;
      if (justification !== undefined) analysis.justification = justification;
      analysis.detail = finding.suppressed.reason;
      vulnerability.analysis = analysis;
    } else if (finding.advisory.fixedVersion !== undefined) {
      vulnerability.analysis = {
        state: 'exploitable',
        response: ['update'],
        detail: `Fixed in ${finding.advisory.fixedVersion}.`,
      };
    }
    return vulnerability;
  });
  const bom = {
    bomFormat: 'CycloneDX',
    specVersion: '1.6',
    serialNumber: serialNumber(`${input.target}\u0000${input.timestamp}\u0000${input.findings.length}`),
    version: 1,
    metadata: {
      timestamp: input.timestamp,
      tools: { components: [{ type: 'application', name: 'palisade', version: input.toolVersion }] },
      component: {
        type: input.targetKind === 'image' ? 'container' : 'application',
        'bom-ref': `target:${input.target}`,
        name: input.target,
      },
    },
    components: [...components.values()],
    vulnerabilities,
  };
  // Ids, names and texts come from advisories and manifests: a lone surrogate would be written as a `\udXXX`
  // escape that strict (I-JSON) parsers such as jq refuse.
  return `${wellFormedJson(JSON.stringify(bom, null, 2))}\n`;
}
