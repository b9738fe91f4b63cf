// CycloneDX 1.6 JSON: one component per package (purl, licenses, hashes, occurrences as evidence, layer and
// source package as properties), the OS as an operating-system component, the image or directory as subject.

import { wellFormedJson } from '../../outputs/well-formed-json.ts';
import { qualifiedName } from '../analyzers/language-package.ts';
import type { Package, PackageInventory } from '../package.ts';
import { uuidFrom } from './sbom-identity.ts';
import { PROPERTY, TOOL } from './sbom-properties.ts';
import { joinExpressions, spdxExpression, spdxId } from './spdx-license.ts';

export interface SbomWriteOptions {
  now: Date;
  toolVersion: string;
}

type Json = Record<string, unknown>;

function properties(pairs: [string, string | undefined][]): { name: string; value: string }[] {
  return pairs.flatMap(([name, value]) => (value === undefined || value === '' ? [] : [{ name, value }]));
}

function licenses(pkg: Package): Json[] {
  // A compound SPDX expression ("MIT OR Apache-2.0", as npm and Composer write dual licences) is one `expression`,
  // which CycloneDX takes only alone: with several entries, they are joined by AND when every one is valid SPDX.
  if (
    pkg.licenses.some((license) => spdxId(license) === undefined && spdxExpression(license) !== undefined)
  ) {
    const parts = pkg.licenses.map(spdxExpression);
    if (parts.every((part) => part !== undefined)) return [{ expression: joinExpressions(parts, 'AND') }];
  }
  return pkg.licenses.map((license) => {
    const id = spdxId(license);
    return { license: id === undefined ? { name: license } : { id } };
  });
}

function component(pkg: Package): Json {
  const result: Json = {
    'bom-ref': pkg.purl,
    type: 'library',
    name:
      pkg.type === 'maven' || pkg.type === 'composer' || pkg.type === 'golang' || pkg.type === 'npm'
        ? pkg.name
        : qualifiedName(pkg),
    version: pkg.version,
    purl: pkg.purl,
  };
  if (pkg.namespace !== undefined && !['deb', 'apk', 'rpm'].includes(pkg.type)) result.group = pkg.namespace;
  const licenseList = licenses(pkg);
  if (licenseList.length > 0) result.licenses = licenseList;
  if (pkg.hashes.length > 0)
    result.hashes = pkg.hashes.map((hash) => ({ alg: hash.algorithm, content: hash.value }));
  if (pkg.locations.length > 0)
    result.evidence = {
      occurrences: pkg.locations.map((location) => ({
        location: location.path,
        ...(location.line === undefined ? {} : { line: location.line }),
        ...(location.layer === undefined ? {} : { additionalContext: `layer ${location.layer}` }),
      })),
    };
  // CycloneDX 1.6: `excluded` documents components used for tests and other non-runtime purposes, which is what a
  // development dependency is; `optional` would claim it is not installed at all.
  if (pkg.dev === true) result.scope = 'excluded';
  const props = properties([
    [PROPERTY.ecosystem, pkg.ecosystem],
    [PROPERTY.foundBy, pkg.foundBy],
    [PROPERTY.layer, pkg.locations[0]?.layer],
    [PROPERTY.sourceName, pkg.sourceName],
    [PROPERTY.sourceVersion, pkg.sourceVersion],
    [PROPERTY.arch, pkg.arch],
    [PROPERTY.dev, pkg.dev === true ? 'true' : undefined],
  ]);
  if (props.length > 0) result.properties = props;
  return result;
}

function subject(inventory: PackageInventory): Json {
  const image = inventory.image;
  if (image === undefined)
    return {
      'bom-ref': 'subject',
      type: inventory.kind === 'directory' ? 'application' : 'file',
      name: inventory.target,
    };
  const props = properties([
    [PROPERTY.configDigest, image.configDigest],
    [PROPERTY.manifestDigest, image.manifestDigest],
    [PROPERTY.platform, image.platform],
    ...image.layers.map((layer): [string, string] => [PROPERTY.layer, layer.diffId]),
  ]);
  return {
    'bom-ref': 'subject',
    type: 'container',
    name: image.reference ?? inventory.target,
    ...(image.manifestDigest === undefined ? {} : { version: image.manifestDigest }),
    ...(props.length > 0 ? { properties: props } : {}),
  };
}

export function renderCycloneDx(inventory: PackageInventory, options: SbomWriteOptions): string {
  const components: Json[] = [];
  if (inventory.os !== undefined)
    components.push({
      'bom-ref': `os:${inventory.os.family}@${inventory.os.version}`,
      type: 'operating-system',
      name: inventory.os.family,
      version: inventory.os.version,
      description: inventory.os.name,
    });
  // A loop, not push(...list): spreading 130k+ arguments overflows the stack.
  for (const pkg of inventory.packages) components.push(component(pkg));
  const body = {
    metadata: {
      timestamp: options.now.toISOString().replace(/\.\d{3}Z$/, 'Z'),
      tools: {
        components: [
          { type: 'application', group: TOOL.vendor, name: TOOL.name, version: options.toolVersion },
        ],
      },
      component: subject(inventory),
    },
    components,
    dependencies: [{ ref: 'subject', dependsOn: components.map((item) => item['bom-ref'] as string) }],
  };
  const document = {
    $schema: 'http://cyclonedx.org/schema/bom-1.6.schema.json',
    bomFormat: 'CycloneDX',
    specVersion: '1.6',
    serialNumber: `urn:uuid:${uuidFrom(JSON.stringify(body))}`,
    version: 1,
    ...body,
  };
  // Names, versions and licenses come from the scanned files: a lone surrogate in one would be written as a
  // `\udXXX` escape that strict (I-JSON) parsers such as jq refuse.
  return `${wellFormedJson(JSON.stringify(document, null, 2))}\n`;
}
