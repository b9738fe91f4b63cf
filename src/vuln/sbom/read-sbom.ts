// Packages from a CycloneDX (1.4-1.7) or SPDX 2.x JSON SBOM, by their package URLs.
import { readFile, stat } from 'node:fs/promises';
import { PalisadeError } from '../../core/errors.ts';
import { isRecord } from '../../core/kube-object.ts';
import { cycloneDxComponents } from '../../image/sbom/cyclonedx-components.ts';
import { packageFromPurl } from '../match/from-purl.ts';
import type { MatchPackage } from '../match/package.ts';

export interface SbomPackages {
  format: 'cyclonedx' | 'spdx';
  /** The SBOM's subject (image or application), when it names one. */
  subject?: string;
  packages: MatchPackage[];
  /** Components skipped, with why (no purl, no version, unsupported type). */
  skipped: string[];
}

const MAX_SBOM_BYTES = 512 * 1024 * 1024;
function fromCycloneDx(document: Record<string, unknown>, result: SbomPackages): void {
  for (const component of cycloneDxComponents(document.components)) {
    const purl = component.purl;
    const label = `${String(component.name ?? '?')}${component.version ? `@${String(component.version)}` : ''}`;
    if (typeof purl !== 'string') result.skipped.push(`${label}: no purl`);
    else {
      const pkg = packageFromPurl(purl);
      if (pkg) result.packages.push(pkg);
      else result.skipped.push(`${purl}: no OSV ecosystem or version`);
    }
  }
  const subject =
    isRecord(document.metadata) && isRecord(document.metadata.component)
      ? document.metadata.component
      : undefined;
  if (subject && typeof subject.name === 'string')
    result.subject = `${subject.name}${typeof subject.version === 'string' ? `:${subject.version}` : ''}`;
}

function fromSpdx(document: Record<string, unknown>, result: SbomPackages): void {
  for (const item of Array.isArray(document.packages) ? document.packages : []) {
    if (!isRecord(item)) continue;
    const refs = Array.isArray(item.externalRefs) ? item.externalRefs : [];
    const purls = refs
      .filter(isRecord)
      .filter((ref) => ref.referenceType === 'purl' && typeof ref.referenceLocator === 'string')
      .map((ref) => ref.referenceLocator as string);
    const label = `${String(item.name ?? '?')}${item.versionInfo ? `@${String(item.versionInfo)}` : ''}`;
    if (purls.length === 0) {
      result.skipped.push(`${label}: no purl`);
      continue;
    }
    const pkg = packageFromPurl(purls[0]!);
    if (pkg) result.packages.push(pkg);
    else result.skipped.push(`${purls[0]}: no OSV ecosystem or version`);
  }
  if (typeof document.name === 'string') result.subject = document.name;
}

export async function readSbom(path: string, displayName: string): Promise<SbomPackages> {
  let document: unknown;
  try {
    if ((await stat(path)).size > MAX_SBOM_BYTES) throw new Error(`larger than ${MAX_SBOM_BYTES} bytes`);
    document = JSON.parse(await readFile(path, 'utf8'));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new PalisadeError(
      code === 'ENOENT' ? 'input-not-found' : 'input-unreadable',
      `${displayName}: ${(error as Error).message}`,
      {
        cause: error,
      },
    );
  }
  if (!isRecord(document)) throw new PalisadeError('input-unreadable', `${displayName}: not a JSON object`);
  if (document.bomFormat === 'CycloneDX') {
    const result: SbomPackages = { format: 'cyclonedx', packages: [], skipped: [] };
    fromCycloneDx(document, result);
    return result;
  }
  if (typeof document.spdxVersion === 'string') {
    const result: SbomPackages = { format: 'spdx', packages: [], skipped: [] };
    fromSpdx(document, result);
    return result;
  }
  throw new PalisadeError(
    'input-unreadable',
    `${displayName}: neither a CycloneDX JSON BOM nor an SPDX 2.x JSON document`,
  );
}
