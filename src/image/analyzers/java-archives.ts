// Java archives (JAR, WAR, EAR and plugin archives): Maven coordinates from META-INF/maven/**/pom.properties
// (every one, so shaded dependencies count), else from the file name, else from MANIFEST.MF; nested archives
// (WEB-INF/lib, BOOT-INF/lib, EAR modules) are opened too, to a bounded depth and size.
import { createHash } from 'node:crypto';
import type { Package } from '../package.ts';
import { type ZipEntry, ZipReader } from '../zip-reader.ts';
import type { AnalyzerContext, PackageAnalyzer } from './analyzer.ts';
import { unownedFiles } from './analyzer.ts';
import { languagePackage } from './language-package.ts';

const ARCHIVE = /\.(?:jar|war|ear|par|sar|jpi|hpi|kar|rar)$/i;
const POM_PROPERTIES = /^META-INF\/maven\/[^/]+\/[^/]+\/pom\.properties$/;
const MAX_DEPTH = 3;
const MAX_NESTED = 256 * 1024 * 1024;
const MAX_SMALL = 1024 * 1024;
/** Only the entries asked for are read, each with its own size cap; an encrypted one fails alone. */
const JAR_LIMITS = { maxEntries: 200_000, maxRatio: Number.POSITIVE_INFINITY, refuseEncrypted: false };

/** Lines as the JAR manifest and java.util.Properties end them: CR LF, LF, or a lone CR. */
function lines(text: string): string[] {
  return text.split(/\r\n|\r|\n/);
}

export function parseProperties(text: string): Map<string, string> {
  const values = new Map<string, string>();
  for (const raw of lines(text)) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || line.startsWith('!')) continue;
    const match = /^([^=:\s]+)\s*[=:]\s*(.*)$/.exec(line);
    if (match !== null) values.set(match[1]!, match[2]!.trim());
  }
  return values;
}

/** MANIFEST.MF main section; continuation lines start with one space. */
export function parseManifest(text: string): Map<string, string> {
  const values = new Map<string, string>();
  let last: string | undefined;
  for (const line of lines(text)) {
    if (line === '') break;
    if (line.startsWith(' ') && last !== undefined) {
      values.set(last, values.get(last)! + line.slice(1));
      continue;
    }
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    last = line.slice(0, colon).trim();
    values.set(last, line.slice(colon + 1).trim());
  }
  return values;
}

interface Coordinates {
  groupId?: string;
  artifactId: string;
  version: string;
}

/**
 * `artifactId-version[-classifier]` as Maven names archives. An artifactId may itself hold `-<digit>`
 * (`log4j-1.2-api-2.17.1`), so the version starts at the last `-` followed by a dotted number (`2.17.1`); with
 * none, at the first `-<digit>` (`foo-7`, `foo-1-beta`).
 */
function fromFileName(path: string): Coordinates | undefined {
  const base = path.slice(path.lastIndexOf('/') + 1).replace(ARCHIVE, '');
  if (!/^[^-].*-\d[\w.+-]*$/.test(base)) return undefined;
  const starts = [...base.matchAll(/-(?=\d)/g)].map((match) => match.index).filter((index) => index > 0);
  const dotted = starts.filter((index) => /^\d+\.\d/.test(base.slice(index + 1)));
  const split = dotted.at(-1) ?? starts[0];
  if (split === undefined) return undefined;
  const version = base.slice(split + 1);
  if (!/^\d[\w.+-]*$/.test(version)) return undefined;
  return { artifactId: base.slice(0, split), version };
}

/** A manifest version can carry a build note (`5.13.0 (b0)`): only its leading token is a version. */
function leadingVersion(value: string | undefined): string | undefined {
  const token = value?.trim().split(/\s/, 1)[0];
  return token === undefined || token === '' ? undefined : token;
}

/** `Bundle-SymbolicName` without its directives (`org.example.core;singleton:=true`). */
function symbolicName(manifest: Map<string, string>): string | undefined {
  return manifest.get('Bundle-SymbolicName')?.split(';')[0]?.trim();
}

/**
 * The groupId a manifest states: `Implementation-Vendor-Id` (what Maven's archiver writes there), or a
 * `Bundle-SymbolicName` of the form `<groupId>.<artifactId>`. A symbolic name is otherwise only a Java package
 * (`com.sun.jna.platform` for net.java.dev.jna), so no namespace is guessed from it.
 */
function manifestGroupId(manifest: Map<string, string>, artifactId: string): string | undefined {
  const vendorId = manifest.get('Implementation-Vendor-Id');
  if (vendorId !== undefined && /^[\w.-]+$/.test(vendorId)) return vendorId;
  const symbolic = symbolicName(manifest);
  if (symbolic?.endsWith(`.${artifactId}`) === true) {
    const groupId = symbolic.slice(0, -artifactId.length - 1);
    if (/^[\w.-]+$/.test(groupId)) return groupId;
  }
  return undefined;
}

/**
 * Coordinates of an archive without pom.properties, as Syft's selectName/selectVersion pick them: artifactId and
 * version from the file name when it parses (`Implementation-Title` is a display title, and the name keeps a
 * Scala suffix such as `_2.13`), the manifest's fields only when it does not; the namespace from the manifest.
 */
function fromManifestAndFileName(manifest: Map<string, string>, path: string): Coordinates | undefined {
  let coordinates = fromFileName(path);
  if (coordinates === undefined) {
    const artifactId = manifest.get('Implementation-Title') ?? symbolicName(manifest);
    const version = leadingVersion(manifest.get('Implementation-Version') ?? manifest.get('Bundle-Version'));
    if (artifactId === undefined || artifactId === '' || version === undefined || /\s/.test(artifactId))
      return undefined;
    coordinates = { artifactId, version };
  }
  const groupId = manifestGroupId(manifest, coordinates.artifactId);
  return groupId === undefined ? coordinates : { ...coordinates, groupId };
}

export const javaArchivesAnalyzer: PackageAnalyzer = {
  id: 'java-archives',
  kind: 'language',
  wants: (path) => ARCHIVE.test(path),
  async analyze(context: AnalyzerContext): Promise<Package[]> {
    const packages: Package[] = [];
    for (const file of unownedFiles(context, this)) {
      const data = await context.view.read(file);
      await inspectArchive(context, data, file.path, file.layer, 0, packages);
    }
    return packages;
  },
};

async function inspectArchive(
  context: AnalyzerContext,
  data: Buffer,
  path: string,
  layer: string | undefined,
  depth: number,
  packages: Package[],
): Promise<void> {
  const report = (message: string): void => {
    context.issue({
      severity: 'warning',
      code: 'parse-failed',
      message,
      path,
      ...(layer === undefined ? {} : { layer }),
    });
  };
  let zip: ZipReader;
  try {
    zip = await ZipReader.fromBuffer(data, path, JAR_LIMITS);
  } catch (error) {
    report((error as Error).message);
    return;
  }
  const entries: readonly ZipEntry[] = zip.entries;
  const found: Coordinates[] = [];
  for (const entry of entries.filter((candidate) => POM_PROPERTIES.test(candidate.name))) {
    try {
      const properties = parseProperties((await zip.read(entry, MAX_SMALL)).toString('utf8'));
      const artifactId = properties.get('artifactId');
      const version = properties.get('version');
      const groupId = properties.get('groupId');
      if (artifactId !== undefined && version !== undefined && groupId !== undefined)
        found.push({ groupId, artifactId, version });
    } catch (error) {
      report((error as Error).message);
    }
  }
  if (found.length === 0) {
    const manifestEntry = entries.find((entry) => entry.name === 'META-INF/MANIFEST.MF');
    let manifest = new Map<string, string>();
    if (manifestEntry !== undefined)
      try {
        manifest = parseManifest((await zip.read(manifestEntry, MAX_SMALL)).toString('utf8'));
      } catch (error) {
        report((error as Error).message);
      }
    const coordinates = fromManifestAndFileName(manifest, path);
    if (coordinates !== undefined) found.push(coordinates);
  }
  const sha1 = createHash('sha1').update(data).digest('hex');
  for (const coordinates of found)
    packages.push(
      languagePackage({
        type: 'maven',
        ...(coordinates.groupId === undefined ? {} : { namespace: coordinates.groupId }),
        name: coordinates.artifactId,
        version: coordinates.version,
        path,
        ...(layer === undefined ? {} : { layer }),
        foundBy: 'java-archives',
        // The archive's hash identifies it only when it holds exactly one artifact.
        ...(found.length === 1 ? { hashes: [{ algorithm: 'SHA-1' as const, value: sha1 }] } : {}),
      }),
    );
  if (depth >= MAX_DEPTH) return;
  for (const entry of entries.filter(
    (candidate) => ARCHIVE.test(candidate.name) && !candidate.name.endsWith('/'),
  )) {
    try {
      const nested = await zip.read(entry, MAX_NESTED);
      await inspectArchive(context, nested, `${path}!/${entry.name}`, layer, depth + 1, packages);
    } catch (error) {
      report((error as Error).message);
    }
  }
}
