// SPDX 2.3 JSON: the image or directory as the described package, which CONTAINS one package per inventory
// entry (purl external ref, declared license as an SPDX expression or a LicenseRef, checksums, source info, and
// the layer and path as annotations).
import { wellFormedJson } from '../../outputs/well-formed-json.ts';
import type { Package, PackageInventory } from '../package.ts';
import type { SbomWriteOptions } from './cyclonedx-writer.ts';
import { shortHash, uuidFrom } from './sbom-identity.ts';
import { PROPERTY, TOOL } from './sbom-properties.ts';
import { joinExpressions, spdxExpression } from './spdx-license.ts';

type Json = Record<string, unknown>;

const CHECKSUM_ALGORITHMS: Record<Package['hashes'][number]['algorithm'], string> = {
  'SHA-1': 'SHA1',
  'SHA-256': 'SHA256',
  'SHA-512': 'SHA512',
  MD5: 'MD5',
};

function licenseRef(name: string): string {
  return `LicenseRef-${
    name
      .replace(/[^A-Za-z0-9.-]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 60) || 'unknown'
  }-${shortHash(name).slice(0, 8)}`;
}

export function renderSpdx(inventory: PackageInventory, options: SbomWriteOptions): string {
  const created = options.now.toISOString().replace(/\.\d{3}Z$/, 'Z');
  const annotator = `Tool: ${TOOL.name}-${options.toolVersion}`;
  const extracted = new Map<string, string>();
  const declared = (pkg: Package): string => {
    if (pkg.licenses.length === 0) return 'NOASSERTION';
    const parts = pkg.licenses.map((license) => {
      const expression = spdxExpression(license);
      if (expression !== undefined) return expression;
      const ref = licenseRef(license);
      extracted.set(ref, license);
      return ref;
    });
    return joinExpressions(parts, 'AND');
  };
  const annotate = (comment: string): Json => ({
    annotationDate: created,
    annotationType: 'OTHER',
    annotator,
    comment,
  });
  const rootId = 'SPDXRef-Subject';
  const root: Json = {
    SPDXID: rootId,
    name: inventory.image?.reference ?? inventory.target,
    downloadLocation: 'NOASSERTION',
    filesAnalyzed: false,
    primaryPackagePurpose:
      inventory.image !== undefined ? 'CONTAINER' : inventory.kind === 'directory' ? 'SOURCE' : 'FILE',
  };
  if (inventory.image?.manifestDigest !== undefined) root.versionInfo = inventory.image.manifestDigest;
  if (inventory.image !== undefined)
    root.annotations = [
      annotate(`${PROPERTY.configDigest}=${inventory.image.configDigest}`),
      annotate(`${PROPERTY.platform}=${inventory.image.platform}`),
      ...inventory.image.layers.map((layer) => annotate(`${PROPERTY.layer}=${layer.diffId}`)),
    ];
  const packages: Json[] = [root];
  const relationships: Json[] = [
    { spdxElementId: 'SPDXRef-DOCUMENT', relationshipType: 'DESCRIBES', relatedSpdxElement: rootId },
  ];
  if (inventory.os !== undefined) {
    const osId = `SPDXRef-OperatingSystem-${shortHash(inventory.os.family + inventory.os.version)}`;
    packages.push({
      SPDXID: osId,
      name: inventory.os.family,
      versionInfo: inventory.os.version,
      downloadLocation: 'NOASSERTION',
      filesAnalyzed: false,
      primaryPackagePurpose: 'OPERATING_SYSTEM',
      description: inventory.os.name,
    });
    relationships.push({ spdxElementId: rootId, relationshipType: 'CONTAINS', relatedSpdxElement: osId });
  }
  for (const pkg of inventory.packages) {
    const id = `SPDXRef-Package-${shortHash(pkg.purl)}`;
    const entry: Json = {
      SPDXID: id,
      name:
        pkg.namespace !== undefined && pkg.type === 'maven'
          ? `${pkg.namespace}:${pkg.name}`
          : pkg.namespace !== undefined && !['deb', 'apk', 'rpm'].includes(pkg.type)
            ? `${pkg.namespace}/${pkg.name}`
            : pkg.name,
      versionInfo: pkg.version,
      downloadLocation: 'NOASSERTION',
      filesAnalyzed: false,
      licenseConcluded: 'NOASSERTION',
      licenseDeclared: declared(pkg),
      copyrightText: 'NOASSERTION',
      primaryPackagePurpose: 'LIBRARY',
      externalRefs: [
        { referenceCategory: 'PACKAGE-MANAGER', referenceType: 'purl', referenceLocator: pkg.purl },
      ],
    };
    if (pkg.sourceName !== undefined)
      entry.sourceInfo = `built package from: ${pkg.sourceName} ${pkg.sourceVersion ?? pkg.version}`;
    if (pkg.hashes.length > 0)
      entry.checksums = pkg.hashes.map((hash) => ({
        algorithm: CHECKSUM_ALGORITHMS[hash.algorithm],
        checksumValue: hash.value,
      }));
    const notes = [
      ...pkg.locations.flatMap((location) => [
        annotate(
          `${PROPERTY.path}=${location.path}${location.line === undefined ? '' : `:${location.line}`}`,
        ),
        ...(location.layer === undefined ? [] : [annotate(`${PROPERTY.layer}=${location.layer}`)]),
      ]),
      annotate(`${PROPERTY.ecosystem}=${pkg.ecosystem}`),
      annotate(`${PROPERTY.foundBy}=${pkg.foundBy}`),
      ...(pkg.sourceName === undefined ? [] : [annotate(`${PROPERTY.sourceName}=${pkg.sourceName}`)]),
      ...(pkg.sourceVersion === undefined
        ? []
        : [annotate(`${PROPERTY.sourceVersion}=${pkg.sourceVersion}`)]),
      ...(pkg.dev === true ? [annotate(`${PROPERTY.dev}=true`)] : []),
    ];
    entry.annotations = notes;
    packages.push(entry);
    relationships.push({ spdxElementId: rootId, relationshipType: 'CONTAINS', relatedSpdxElement: id });
  }
  const body = { packages, relationships };
  const name = inventory.image?.reference ?? inventory.target;
  const document: Json = {
    spdxVersion: 'SPDX-2.3',
    dataLicense: 'CC0-1.0',
    SPDXID: 'SPDXRef-DOCUMENT',
    name,
    documentNamespace: `https://palisade.dev/spdx/${encodeURIComponent(name.replace(/[^A-Za-z0-9._-]+/g, '-'))}-${uuidFrom(JSON.stringify(body))}`,
    creationInfo: {
      created,
      creators: [`Tool: ${TOOL.name}-${options.toolVersion}`, `Organization: ${TOOL.vendor}`],
    },
    documentDescribes: [rootId],
    ...body,
  };
  if (extracted.size > 0)
    document.hasExtractedLicensingInfos = [...extracted].map(([licenseId, text]) => ({
      licenseId,
      extractedText: text,
      name: text,
    }));
  // Lone surrogates from scanned files as U+FFFD: strict (I-JSON) parsers such as jq refuse their escapes.
  return `${wellFormedJson(JSON.stringify(document, null, 2))}\n`;
}
