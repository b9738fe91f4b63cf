// Reading an existing SBOM (CycloneDX JSON, any 1.x, or SPDX 2.x JSON) back into a package inventory, so a
// previously generated or third-party SBOM can be scanned. Packages are recognised by their purl; components
// without one are counted and named in a warning, not dropped unseen.
import { stat } from 'node:fs/promises';
import { decodeInput } from '../../core/decode-text.ts';
import { PalisadeError } from '../../core/errors.ts';
import { jsonErrorMessage } from '../../core/quiet-json.ts';
import { readRegularFile } from '../../core/regular-file.ts';
import { isRecord } from '../analyzers/language-package.ts';
import { mergePackages } from '../inventory.ts';
import type { InventoryIssue } from '../inventory-issue.ts';
import { describeJson } from '../lockfiles/lockfile-reader.ts';
import { osEcosystem } from '../os-release.ts';
import type { OsInfo, Package, PackageHash, PackageInventory, PackageType } from '../package.ts';
import { declaredPackageName, LANGUAGE_ECOSYSTEMS, parsePurl, upstreamSource } from '../purl.ts';
import { purlOsEcosystem } from '../purl-distribution.ts';
import { cycloneDxComponents } from './cyclonedx-components.ts';
import { cycloneDxProperties, PROPERTY, spdxAnnotationValues } from './sbom-properties.ts';
import { unsupportedSbomFormat, unsupportedSbomMessage } from './sbom-text-format.ts';

const TYPES: readonly PackageType[] = [
  'deb',
  'apk',
  'rpm',
  'npm',
  'pypi',
  'golang',
  'maven',
  'gem',
  'composer',
  'nuget',
  'cargo',
];
const HASHES: Record<string, PackageHash['algorithm']> = {
  'SHA-1': 'SHA-1',
  SHA1: 'SHA-1',
  'SHA-256': 'SHA-256',
  SHA256: 'SHA-256',
  'SHA-512': 'SHA-512',
  SHA512: 'SHA-512',
  MD5: 'MD5',
};

/** The hashes of an SBOM package in an algorithm we know (CycloneDX `hashes`, SPDX `checksums`), lower-cased. */
function knownHashes(list: unknown, algorithmKey: string, valueKey: string): PackageHash[] {
  if (!Array.isArray(list)) return [];
  return list.flatMap((hash) => {
    if (!isRecord(hash)) return [];
    const algorithm = hash[algorithmKey];
    const value = hash[valueKey];
    return typeof algorithm === 'string' && typeof value === 'string' && Object.hasOwn(HASHES, algorithm)
      ? [{ algorithm: HASHES[algorithm]!, value: value.toLowerCase() }]
      : [];
  });
}

export type SbomFormat = 'cyclonedx' | 'spdx';

export function detectSbomFormat(json: unknown): SbomFormat | undefined {
  if (!isRecord(json)) return undefined;
  if (json.bomFormat === 'CycloneDX') return 'cyclonedx';
  if (typeof json.spdxVersion === 'string' && json.spdxVersion.startsWith('SPDX-2')) return 'spdx';
  return undefined;
}

interface Extra {
  layer?: string;
  /** Where the package was declared, with the lockfile line when the SBOM records it. */
  places: { path: string; line?: number }[];
  sourceName?: string;
  sourceVersion?: string;
  ecosystem?: string;
  foundBy?: string;
  dev?: boolean;
}

function packageFromPurl(
  purl: string,
  declaredName: unknown,
  licenses: string[],
  hashes: PackageHash[],
  extra: Extra,
  os: OsInfo | undefined,
): Package | undefined {
  const parts = parsePurl(purl);
  if (
    parts === undefined ||
    parts.version === undefined ||
    !(TYPES as readonly string[]).includes(parts.type)
  )
    return undefined;
  const type = parts.type as PackageType;
  const isOs = type === 'deb' || type === 'apk' || type === 'rpm';
  let ecosystem = extra.ecosystem;
  if (ecosystem === undefined) {
    // The purl's namespace and distro qualifier, read as scan-sbom reads them; else the SBOM's OS component.
    if (isOs)
      ecosystem = purlOsEcosystem(type, parts.namespace, parts.qualifiers?.distro, os) ?? osEcosystem(os);
    else ecosystem = LANGUAGE_ECOSYSTEMS[type] ?? type;
  }
  const epoch = parts.qualifiers?.epoch;
  const version =
    type === 'rpm' && epoch !== undefined && epoch !== '0' ? `${epoch}:${parts.version}` : parts.version;
  const pkg: Package = {
    type,
    name: declaredPackageName(parts, declaredName),
    version,
    ecosystem,
    purl,
    licenses,
    hashes,
    locations: extra.places.map((place) =>
      extra.layer === undefined ? place : { ...place, layer: extra.layer },
    ),
    foundBy: extra.foundBy ?? 'sbom',
  };
  if (parts.namespace !== undefined) pkg.namespace = parts.namespace;
  const upstream = upstreamSource(type, parts.qualifiers?.upstream);
  const sourceName = extra.sourceName ?? upstream?.name;
  if (sourceName !== undefined) pkg.sourceName = sourceName;
  const sourceVersion =
    extra.sourceVersion ?? upstream?.version ?? (sourceName !== undefined ? version : undefined);
  if (sourceVersion !== undefined) pkg.sourceVersion = sourceVersion;
  if (parts.qualifiers?.arch !== undefined) pkg.arch = parts.qualifiers.arch;
  if (extra.dev === true) pkg.dev = true;
  return pkg;
}

function readCycloneDx(
  json: Record<string, unknown>,
  target: string,
  issues: InventoryIssue[],
): PackageInventory {
  const packages: Package[] = [];
  const withoutPurl = new Unmatched(target, 'component(s) without a package URL (purl) left out');
  let os: OsInfo | undefined;
  if (json.components !== undefined && !Array.isArray(json.components))
    issues.push({
      severity: 'warning',
      code: 'unsupported-format',
      message: `${target}: "components" is not an array: no component read`,
    });
  // Every component however deep (no depth limit that would silently drop packages), in document order: an
  // operating-system component applies to the packages after it.
  const skipped: string[] = [];
  const onSkipped = (path: string, value: unknown) => skipped.push(`${path} (${describeJson(value)})`);
  for (const item of cycloneDxComponents(json.components, onSkipped)) {
    if (item.type === 'operating-system' && typeof item.name === 'string') {
      os = {
        family: item.name.toLowerCase(),
        name: typeof item.description === 'string' ? item.description : item.name,
        version: typeof item.version === 'string' ? item.version : '',
      };
    }
    // Operating systems and files are not packages: nothing is lost without a purl.
    if (typeof item.purl !== 'string' && item.type !== 'operating-system' && item.type !== 'file')
      withoutPurl.add(item.name, item.version);
    if (typeof item.purl === 'string') {
      const props = cycloneDxProperties(item.properties);
      const licenses = Array.isArray(item.licenses)
        ? item.licenses.flatMap((choice) => {
            if (!isRecord(choice)) return [];
            if (typeof choice.expression === 'string') return [choice.expression];
            const license = isRecord(choice.license) ? choice.license : {};
            return typeof license.id === 'string'
              ? [license.id]
              : typeof license.name === 'string'
                ? [license.name]
                : [];
          })
        : [];
      const hashes = knownHashes(item.hashes, 'alg', 'content');
      const evidence =
        isRecord(item.evidence) && Array.isArray(item.evidence.occurrences) ? item.evidence.occurrences : [];
      const extra: Extra = {
        places: evidence.flatMap((occurrence) =>
          isRecord(occurrence) && typeof occurrence.location === 'string'
            ? [withLine(occurrence.location, occurrence.line)]
            : [],
        ),
        ...optional('layer', props.get(PROPERTY.layer)),
        ...optional('sourceName', props.get(PROPERTY.sourceName)),
        ...optional('sourceVersion', props.get(PROPERTY.sourceVersion)),
        ...optional('ecosystem', props.get(PROPERTY.ecosystem)),
        ...optional('foundBy', props.get(PROPERTY.foundBy)),
        ...(props.get(PROPERTY.dev) === 'true' || item.scope === 'excluded' ? { dev: true } : {}),
      };
      const pkg = packageFromPurl(item.purl, item.name, licenses, hashes, extra, os);
      if (pkg !== undefined) packages.push(pkg);
      else
        issues.push({
          severity: 'info',
          code: 'unsupported-format',
          message: `${target}: component ${item.purl} is not a package type Palisade matches`,
        });
    }
  }
  withoutPurl.report(issues);
  if (skipped.length > 0)
    issues.push({
      severity: 'warning',
      code: 'unsupported-format',
      message: `${target}: ${skipped.length} component entr${skipped.length === 1 ? 'y is' : 'ies are'} not an object and left out: ${skipped.slice(0, 5).join(', ')}${skipped.length > 5 ? ', …' : ''}`,
    });
  const inventory: PackageInventory = { target, kind: 'sbom', packages: mergePackages(packages), issues };
  if (os !== undefined) inventory.os = os;
  return inventory;
}

/** A place with its line when that is a line number (CycloneDX occurrences: a positive integer). */
function withLine(path: string, line: unknown): { path: string; line?: number } {
  return Number.isSafeInteger(line) && (line as number) > 0 ? { path, line: line as number } : { path };
}

function optional<K extends string>(key: K, value: string | undefined): { [P in K]?: string } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: string };
}

/** `LicenseRef-` id -> what the document says the license is: its name, else its extracted text. */
function extractedLicenses(json: Record<string, unknown>): Map<string, string> {
  const licenses = new Map<string, string>();
  if (!Array.isArray(json.hasExtractedLicensingInfos)) return licenses;
  for (const info of json.hasExtractedLicensingInfos) {
    if (!isRecord(info) || typeof info.licenseId !== 'string') continue;
    const name = typeof info.name === 'string' ? info.name.trim() : '';
    const text = typeof info.extractedText === 'string' ? info.extractedText.trim() : '';
    const label = name !== '' && name !== 'NOASSERTION' ? name : text;
    if (label !== '') licenses.set(info.licenseId, label);
  }
  return licenses;
}

/**
 * A declared license with its LicenseRefs replaced by the licenses they stand for: the ref id means nothing outside
 * this document, so written into a CycloneDX BOM (or a new SPDX one) it would lose the license. A multi-word name
 * inside an expression is parenthesised so it stays one operand.
 */
function resolveLicenseRefs(declared: string, extracted: ReadonlyMap<string, string>): string {
  if (extracted.size === 0) return declared;
  const whole = extracted.get(declared);
  if (whole !== undefined) return whole;
  // Not `DocumentRef-x:LicenseRef-y`: that one is defined in another document.
  return declared.replace(/(?<![\w.:-])LicenseRef-[A-Za-z0-9.-]+/g, (ref) => {
    const label = extracted.get(ref);
    return label === undefined ? ref : /\s/.test(label) ? `(${label})` : label;
  });
}

function readSpdx(json: Record<string, unknown>, target: string, issues: InventoryIssue[]): PackageInventory {
  const packages: Package[] = [];
  const extracted = extractedLicenses(json);
  const withoutPurl = new Unmatched(target, 'package(s) without a package URL (purl) left out');
  let os: OsInfo | undefined;
  if (json.packages !== undefined && !Array.isArray(json.packages))
    issues.push({
      severity: 'warning',
      code: 'unsupported-format',
      message: `${target}: "packages" is not an array: no package read`,
    });
  const list = Array.isArray(json.packages) ? json.packages : [];
  const described = describedIds(json);
  for (const item of list) {
    if (!isRecord(item)) {
      withoutPurl.add(undefined, undefined);
      continue;
    }
    if (item.primaryPackagePurpose === 'OPERATING_SYSTEM' && typeof item.name === 'string')
      os = {
        family: item.name.toLowerCase(),
        name: typeof item.description === 'string' ? item.description : item.name,
        version: typeof item.versionInfo === 'string' ? item.versionInfo : '',
      };
    const refs = Array.isArray(item.externalRefs) ? item.externalRefs : [];
    const purl = refs.find(
      (ref) => isRecord(ref) && ref.referenceType === 'purl' && typeof ref.referenceLocator === 'string',
    ) as Record<string, string> | undefined;
    if (purl === undefined) {
      // The document's subject (the image or directory itself) and operating systems are not packages.
      const subject = typeof item.SPDXID === 'string' && described.has(item.SPDXID);
      if (!subject && item.primaryPackagePurpose !== 'OPERATING_SYSTEM')
        withoutPurl.add(item.name, item.versionInfo);
      continue;
    }
    const notes = spdxAnnotationValues(item.annotations);
    const declared =
      typeof item.licenseDeclared === 'string' && !['NOASSERTION', 'NONE'].includes(item.licenseDeclared)
        ? [resolveLicenseRefs(item.licenseDeclared, extracted)]
        : [];
    const hashes = knownHashes(item.checksums, 'algorithm', 'checksumValue');
    const first = (key: string): string | undefined => notes.get(key)?.[0];
    const extra: Extra = {
      // The SPDX writer appends a lockfile line as `:N`.
      places: (notes.get(PROPERTY.path) ?? []).map((path) => {
        const line = /:(\d+)$/.exec(path);
        return line ? withLine(path.slice(0, line.index), Number(line[1])) : { path };
      }),
      ...optional('layer', first(PROPERTY.layer)),
      ...optional('sourceName', first(PROPERTY.sourceName)),
      ...optional('sourceVersion', first(PROPERTY.sourceVersion)),
      ...optional('ecosystem', first(PROPERTY.ecosystem)),
      ...optional('foundBy', first(PROPERTY.foundBy)),
      ...(first(PROPERTY.dev) === 'true' ? { dev: true } : {}),
    };
    const pkg = packageFromPurl(purl.referenceLocator!, item.name, declared, hashes, extra, os);
    if (pkg !== undefined) packages.push(pkg);
    else
      issues.push({
        severity: 'info',
        code: 'unsupported-format',
        message: `${target}: package ${purl.referenceLocator} is not a package type Palisade matches`,
      });
  }
  withoutPurl.report(issues);
  const inventory: PackageInventory = { target, kind: 'sbom', packages: mergePackages(packages), issues };
  if (os !== undefined) inventory.os = os;
  return inventory;
}

/** SPDX ids the document DESCRIBES (its subject): `documentDescribes` and DESCRIBES relationships. */
function describedIds(json: Record<string, unknown>): Set<string> {
  const ids = new Set<string>();
  if (Array.isArray(json.documentDescribes))
    for (const id of json.documentDescribes) if (typeof id === 'string') ids.add(id);
  if (Array.isArray(json.relationships))
    for (const relation of json.relationships)
      if (
        isRecord(relation) &&
        relation.relationshipType === 'DESCRIBES' &&
        typeof relation.relatedSpdxElement === 'string'
      )
        ids.add(relation.relatedSpdxElement);
  return ids;
}

/** Entries left out for want of a purl: counted, and the first few named, in one warning. */
class Unmatched {
  static readonly NAMED = 5;
  readonly #target: string;
  readonly #what: string;
  readonly #names: string[] = [];
  #count = 0;
  constructor(target: string, what: string) {
    this.#target = target;
    this.#what = what;
  }
  add(name: unknown, version: unknown): void {
    if (++this.#count > Unmatched.NAMED) return;
    // Only strings are shown: a hostile `{"toString": 0}` name must not be converted.
    const label = typeof name === 'string' && name !== '' ? name.slice(0, 200) : '(unnamed)';
    this.#names.push(
      typeof version === 'string' && version !== '' ? `${label}@${version.slice(0, 100)}` : label,
    );
  }
  report(issues: InventoryIssue[]): void {
    if (this.#count === 0) return;
    const more = this.#count > Unmatched.NAMED ? `, and ${this.#count - Unmatched.NAMED} more` : '';
    issues.push({
      severity: 'warning',
      code: 'unsupported-format',
      message: `${this.#target}: ${this.#count} ${this.#what}: ${this.#names.join(', ')}${more}`,
    });
  }
}

/** Parses SBOM text; throws a clear error when it is neither CycloneDX nor SPDX JSON. */
export function readSbom(text: string, target: string): PackageInventory {
  let json: unknown;
  try {
    // A byte-order mark (editors on Windows write one) is not JSON syntax.
    json = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch (error) {
    const format = unsupportedSbomFormat(text.slice(0, 4096));
    throw new PalisadeError(
      'input-unreadable',
      format !== undefined
        ? unsupportedSbomMessage(target, format)
        : `${target}: not JSON (${error instanceof SyntaxError ? jsonErrorMessage(error.message) : (error as Error).message}); only JSON SBOMs are read`,
      { cause: error },
    );
  }
  const format = detectSbomFormat(json);
  const issues: InventoryIssue[] = [];
  if (format === 'cyclonedx') return readCycloneDx(json as Record<string, unknown>, target, issues);
  if (format === 'spdx') return readSpdx(json as Record<string, unknown>, target, issues);
  throw new PalisadeError(
    'input-unreadable',
    `${target}: neither a CycloneDX (bomFormat) nor an SPDX 2.x (spdxVersion) document`,
  );
}

/** Largest SBOM read: the text must fit in one JavaScript string (V8's limit is just under 512 MiB). */
const MAX_SBOM_BYTES = 512 * 2 ** 20;

/**
 * The text of an SBOM file: size checked first, byte-order marks and UTF-16 decoded; `warning` says when the bytes
 * were not valid text. Errors name `target`.
 */
export async function readSbomText(
  file: string,
  target: string,
): Promise<{ text: string; warning?: string }> {
  const tooLarge = (size: number): PalisadeError =>
    new PalisadeError(
      'input-unreadable',
      `${target}: SBOM of ${size} bytes not read: the limit is ${MAX_SBOM_BYTES} bytes (512 MiB)`,
    );
  let size = 0;
  try {
    size = (await stat(file)).size;
    if (size > MAX_SBOM_BYTES) throw tooLarge(size);
    return decodeInput(await readRegularFile(file, MAX_SBOM_BYTES));
  } catch (error) {
    if (error instanceof PalisadeError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    // Just under the limit, UTF-8 text can still be longer than the longest string V8 makes.
    if (code === 'ERR_STRING_TOO_LONG') throw tooLarge(size);
    throw new PalisadeError(
      code === 'ENOENT' ? 'input-not-found' : 'input-unreadable',
      `${target}: ${(error as Error).message}`,
      { cause: error },
    );
  }
}

/** Reads an SBOM file as an inventory. */
export async function readSbomFile(file: string, target: string): Promise<PackageInventory> {
  const decoded = await readSbomText(file, target);
  const inventory = readSbom(decoded.text, target);
  if (decoded.warning !== undefined)
    inventory.issues.unshift({
      severity: 'warning',
      code: 'unsupported-format',
      message: `${target}: ${decoded.warning}`,
    });
  return inventory;
}
