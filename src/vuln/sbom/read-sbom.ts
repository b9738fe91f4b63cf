// Packages from a CycloneDX (1.4-1.7) or SPDX 2.x JSON SBOM, by their package URLs, with what Palisade's own
// properties (CycloneDX) or annotations (SPDX) and the document's operating-system component add.
import { PalisadeError } from '../../core/errors.ts';
import { isRecord } from '../../core/kube-object.ts';
import { jsonErrorMessage } from '../../core/quiet-json.ts';
import { describeJson } from '../../image/lockfiles/lockfile-reader.ts';
import { cycloneDxComponents } from '../../image/sbom/cyclonedx-components.ts';
import { cycloneDxProperties, PROPERTY, spdxAnnotationValues } from '../../image/sbom/sbom-properties.ts';
import { readSbomText } from '../../image/sbom/sbom-reader.ts';
import { unsupportedSbomFormat, unsupportedSbomMessage } from '../../image/sbom/sbom-text-format.ts';
import { type PurlContext, packageFromPurl } from '../match/from-purl.ts';
import type { MatchPackage } from '../match/package.ts';

export interface SbomPackages {
  format: 'cyclonedx' | 'spdx';
  /** The SBOM's subject (image or application), when it names one. */
  subject?: string;
  packages: MatchPackage[];
  /** Components skipped, with why (no purl, no version, unsupported type). */
  skipped: string[];
  /** The file was not valid text (bad UTF-8 bytes were read as U+FFFD). */
  warning?: string;
}

/** `name@version` for messages; only strings are shown (a hostile `{"toString": 0}` must not be converted). */
function label(name: unknown, version: unknown): string {
  const shown = typeof name === 'string' && name !== '' ? name.slice(0, 200) : '?';
  return typeof version === 'string' && version !== '' ? `${shown}@${version.slice(0, 100)}` : shown;
}

/** The properties that say how to match a package; the first of each name counts, as `palisade sbom` reads them. */
function purlContext(first: (name: string) => string | undefined, os: PurlContext['os']): PurlContext {
  const context: PurlContext = {};
  const ecosystem = first(PROPERTY.ecosystem);
  const sourceName = first(PROPERTY.sourceName);
  const sourceVersion = first(PROPERTY.sourceVersion);
  if (ecosystem !== undefined) context.ecosystem = ecosystem;
  if (sourceName !== undefined) context.sourceName = sourceName;
  if (sourceVersion !== undefined) context.sourceVersion = sourceVersion;
  if (os !== undefined) context.os = os;
  return context;
}

/** An operating-system component (CycloneDX) or package (SPDX): its name is the os-release ID. */
function operatingSystem(name: unknown, version: unknown): PurlContext['os'] {
  return typeof name === 'string' && name !== ''
    ? { family: name.toLowerCase(), version: typeof version === 'string' ? version : '' }
    : undefined;
}

function fromCycloneDx(document: Record<string, unknown>, result: SbomPackages): void {
  if (document.components !== undefined && !Array.isArray(document.components))
    result.skipped.push(`"components" is not an array (${describeJson(document.components)}): nothing read`);
  // In document order: an operating-system component applies to the packages after it (as `palisade sbom` reads).
  let os: PurlContext['os'];
  const onSkipped = (path: string, value: unknown) =>
    result.skipped.push(`${path} is not an object (${describeJson(value)})`);
  for (const component of cycloneDxComponents(document.components, onSkipped)) {
    if (component.type === 'operating-system') os = operatingSystem(component.name, component.version) ?? os;
    const purl = component.purl;
    if (typeof purl !== 'string') result.skipped.push(`${label(component.name, component.version)}: no purl`);
    else {
      const properties = cycloneDxProperties(component.properties);
      const first = (name: string): string | undefined => properties.get(name);
      const pkg = packageFromPurl(purl, component.name, purlContext(first, os));
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
  if (document.packages !== undefined && !Array.isArray(document.packages))
    result.skipped.push(`"packages" is not an array (${describeJson(document.packages)}): nothing read`);
  let os: PurlContext['os'];
  for (const [index, item] of (Array.isArray(document.packages) ? document.packages : []).entries()) {
    if (!isRecord(item)) {
      result.skipped.push(`packages[${index}]: ${describeJson(item)}, not an object`);
      continue;
    }
    if (item.primaryPackagePurpose === 'OPERATING_SYSTEM')
      os = operatingSystem(item.name, item.versionInfo) ?? os;
    const refs = Array.isArray(item.externalRefs) ? item.externalRefs : [];
    const purls = refs
      .filter(isRecord)
      .filter((ref) => ref.referenceType === 'purl' && typeof ref.referenceLocator === 'string')
      .map((ref) => ref.referenceLocator as string);
    if (purls.length === 0) {
      result.skipped.push(`${label(item.name, item.versionInfo)}: no purl`);
      continue;
    }
    const notes = spdxAnnotationValues(item.annotations);
    const first = (name: string): string | undefined => notes.get(name)?.[0];
    const pkg = packageFromPurl(purls[0]!, item.name, purlContext(first, os));
    if (pkg) result.packages.push(pkg);
    else result.skipped.push(`${purls[0]}: no OSV ecosystem or version`);
  }
  if (typeof document.name === 'string') result.subject = document.name;
}

export async function readSbom(path: string, displayName: string): Promise<SbomPackages> {
  const { text, warning } = await readSbomText(path, displayName);
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (error) {
    const format = unsupportedSbomFormat(text.slice(0, 4096));
    throw new PalisadeError(
      'input-unreadable',
      format !== undefined
        ? unsupportedSbomMessage(displayName, format)
        : `${displayName}: ${jsonErrorMessage((error as Error).message)}`,
      { cause: error },
    );
  }
  if (!isRecord(document)) throw new PalisadeError('input-unreadable', `${displayName}: not a JSON object`);
  if (Object.hasOwn(document, 'bomFormat') && document.bomFormat === 'CycloneDX') {
    const result: SbomPackages = { format: 'cyclonedx', packages: [], skipped: [] };
    if (warning !== undefined) result.warning = warning;
    fromCycloneDx(document, result);
    return result;
  }
  if (Object.hasOwn(document, 'spdxVersion') && typeof document.spdxVersion === 'string') {
    const result: SbomPackages = { format: 'spdx', packages: [], skipped: [] };
    if (warning !== undefined) result.warning = warning;
    fromSpdx(document, result);
    return result;
  }
  throw new PalisadeError(
    'input-unreadable',
    `${displayName}: neither a CycloneDX JSON BOM nor an SPDX 2.x JSON document`,
  );
}
