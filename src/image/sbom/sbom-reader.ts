// Reading an existing SBOM (CycloneDX JSON, any 1.x, or SPDX 2.x JSON) back into a package inventory, so a
// previously generated or third-party SBOM can be scanned. Packages are recognised by their purl.
import { PalisadeError } from '../../core/errors.ts';
import { isRecord } from '../analyzers/language-package.ts';
import { mergePackages } from '../inventory.ts';
import type { InventoryIssue } from '../inventory-issue.ts';
import { osEcosystem } from '../os-release.ts';
import type { OsInfo, Package, PackageHash, PackageInventory, PackageType } from '../package.ts';
import { LANGUAGE_ECOSYSTEMS, parsePurl } from '../purl.ts';
import { cycloneDxComponents } from './cyclonedx-components.ts';
import { PROPERTY } from './sbom-properties.ts';

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
    return typeof algorithm === 'string' && typeof value === 'string' && HASHES[algorithm] !== undefined
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
  paths: string[];
  sourceName?: string;
  sourceVersion?: string;
  ecosystem?: string;
  foundBy?: string;
  dev?: boolean;
}

function packageFromPurl(
  purl: string,
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
    if (isOs) {
      const distro = parts.qualifiers?.distro;
      const match = distro === undefined ? undefined : /^([a-z-]+?)-(\d[\w.]*)$/.exec(distro);
      ecosystem = osEcosystem(
        match !== null && match !== undefined
          ? { family: match[1]!, name: match[1]!, version: match[2]! }
          : os,
      );
    } else ecosystem = LANGUAGE_ECOSYSTEMS[type] ?? type;
  }
  const epoch = parts.qualifiers?.epoch;
  const version =
    type === 'rpm' && epoch !== undefined && epoch !== '0' ? `${epoch}:${parts.version}` : parts.version;
  const pkg: Package = {
    type,
    name: parts.name,
    version,
    ecosystem,
    purl,
    licenses,
    hashes,
    locations: extra.paths.map((path) =>
      extra.layer === undefined ? { path } : { path, layer: extra.layer },
    ),
    foundBy: extra.foundBy ?? 'sbom',
  };
  if (parts.namespace !== undefined) pkg.namespace = parts.namespace;
  const upstream = parts.qualifiers?.upstream;
  const sourceName = extra.sourceName ?? upstream?.split('@')[0];
  if (sourceName !== undefined) pkg.sourceName = sourceName;
  const sourceVersion =
    extra.sourceVersion ?? upstream?.split('@')[1] ?? (sourceName !== undefined ? version : undefined);
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
  let os: OsInfo | undefined;
  // Every component however deep (no depth limit that would silently drop packages), in document order: an
  // operating-system component applies to the packages after it.
  for (const item of cycloneDxComponents(json.components)) {
    if (item.type === 'operating-system' && typeof item.name === 'string') {
      os = {
        family: item.name.toLowerCase(),
        name: typeof item.description === 'string' ? item.description : item.name,
        version: typeof item.version === 'string' ? item.version : '',
      };
    }
    if (typeof item.purl === 'string') {
      const props = new Map<string, string>();
      if (Array.isArray(item.properties))
        for (const prop of item.properties)
          if (
            isRecord(prop) &&
            typeof prop.name === 'string' &&
            typeof prop.value === 'string' &&
            !props.has(prop.name)
          )
            props.set(prop.name, prop.value);
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
        paths: evidence.flatMap((occurrence) =>
          isRecord(occurrence) && typeof occurrence.location === 'string' ? [occurrence.location] : [],
        ),
        ...optional('layer', props.get(PROPERTY.layer)),
        ...optional('sourceName', props.get(PROPERTY.sourceName)),
        ...optional('sourceVersion', props.get(PROPERTY.sourceVersion)),
        ...optional('ecosystem', props.get(PROPERTY.ecosystem)),
        ...optional('foundBy', props.get(PROPERTY.foundBy)),
        ...(props.get(PROPERTY.dev) === 'true' || item.scope === 'excluded' ? { dev: true } : {}),
      };
      const pkg = packageFromPurl(item.purl, licenses, hashes, extra, os);
      if (pkg !== undefined) packages.push(pkg);
      else
        issues.push({
          severity: 'info',
          code: 'unsupported-format',
          message: `${target}: component ${item.purl} is not a package type Palisade matches`,
        });
    }
  }
  const inventory: PackageInventory = { target, kind: 'sbom', packages: mergePackages(packages), issues };
  if (os !== undefined) inventory.os = os;
  return inventory;
}

function optional<K extends string>(key: K, value: string | undefined): { [P in K]?: string } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: string };
}

function readSpdx(json: Record<string, unknown>, target: string, issues: InventoryIssue[]): PackageInventory {
  const packages: Package[] = [];
  let os: OsInfo | undefined;
  const list = Array.isArray(json.packages) ? json.packages : [];
  for (const item of list) {
    if (!isRecord(item)) continue;
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
    if (purl === undefined) continue;
    const notes = new Map<string, string[]>();
    if (Array.isArray(item.annotations))
      for (const note of item.annotations) {
        if (!isRecord(note) || typeof note.comment !== 'string') continue;
        const equals = note.comment.indexOf('=');
        if (equals > 0)
          notes.set(note.comment.slice(0, equals), [
            ...(notes.get(note.comment.slice(0, equals)) ?? []),
            note.comment.slice(equals + 1),
          ]);
      }
    const declared =
      typeof item.licenseDeclared === 'string' && !['NOASSERTION', 'NONE'].includes(item.licenseDeclared)
        ? [item.licenseDeclared]
        : [];
    const hashes = knownHashes(item.checksums, 'algorithm', 'checksumValue');
    const first = (key: string): string | undefined => notes.get(key)?.[0];
    const extra: Extra = {
      paths: (notes.get(PROPERTY.path) ?? []).map((path) => path.replace(/:\d+$/, '')),
      ...optional('layer', first(PROPERTY.layer)),
      ...optional('sourceName', first(PROPERTY.sourceName)),
      ...optional('sourceVersion', first(PROPERTY.sourceVersion)),
      ...optional('ecosystem', first(PROPERTY.ecosystem)),
      ...optional('foundBy', first(PROPERTY.foundBy)),
      ...(first(PROPERTY.dev) === 'true' ? { dev: true } : {}),
    };
    const pkg = packageFromPurl(purl.referenceLocator!, declared, hashes, extra, os);
    if (pkg !== undefined) packages.push(pkg);
    else
      issues.push({
        severity: 'info',
        code: 'unsupported-format',
        message: `${target}: package ${purl.referenceLocator} is not a package type Palisade matches`,
      });
  }
  const inventory: PackageInventory = { target, kind: 'sbom', packages: mergePackages(packages), issues };
  if (os !== undefined) inventory.os = os;
  return inventory;
}

/** Parses SBOM text; throws a clear error when it is neither CycloneDX nor SPDX JSON. */
export function readSbom(text: string, target: string): PackageInventory {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new PalisadeError(
      'input-unreadable',
      `${target}: not JSON (${(error as Error).message}); only JSON SBOMs are read`,
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
