// Package URLs (purl spec): building them per type, and reading them back from SBOMs.
import { parseSourceRpm } from './analyzers/rpm-header.ts';
import type { PackageType } from './package.ts';

/** Lone UTF-16 surrogates (which encodeURIComponent refuses with "URI malformed") as U+FFFD. */
function wellFormed(text: string): string {
  return text.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD');
}

function encodeSegment(text: string): string {
  return encodeURIComponent(wellFormed(text)).replace(/%3A/g, ':');
}

export interface PurlParts {
  type: string;
  namespace?: string;
  name: string;
  version?: string;
  qualifiers?: Record<string, string>;
  subpath?: string;
}

/**
 * Per-type name normalisation the purl spec asks for. npm names keep their case: the npm type definition marks them
 * case-sensitive, and registry names such as `JSONStream` (older than npm's lowercase rule) are matched exactly by OSV.
 */
function normaliseName(type: string, name: string): string {
  if (type === 'pypi') return normalisedPythonName(name);
  // The purl composer type: vendor and name are not case sensitive and must be lowercased.
  return type === 'composer' ? name.toLowerCase() : name;
}

function normaliseNamespace(type: string, namespace: string): string {
  return type === 'composer' ? namespace.toLowerCase() : namespace;
}

/** PEP 503: Python package names compare lower-cased, with runs of `-`, `_` and `.` as one `-`. */
export function normalisedPythonName(name: string): string {
  return name.toLowerCase().replace(/[-_.]+/g, '-');
}

/**
 * The npm package name as the SBOM component spells it, when its purl lowercased it (the purl spec asked for that
 * before 2024, and some tools still do): `pkg:npm/jsonstream` of a component named `JSONStream` is `JSONStream`,
 * which is what advisories name. Any other purl name is returned as it is.
 */
export function declaredNpmName(parts: PurlParts, declaredName: unknown): string {
  if (parts.type !== 'npm' || typeof declaredName !== 'string') return parts.name;
  // CycloneDX puts the scope in `group` and SPDX in the name: compare the part after the scope.
  const declared = declaredName.slice(declaredName.lastIndexOf('/') + 1);
  return declared !== parts.name && declared.toLowerCase() === parts.name ? declared : parts.name;
}

/**
 * The package name as an SBOM component spells it, when its purl normalised it: npm as declaredNpmName; PyPI names,
 * which purls write in PEP 503 form (`django`, `zope-interface`), keep the project's own spelling (`Django`,
 * `zope.interface`) when that normalises to the purl's name.
 */
export function declaredPackageName(parts: PurlParts, declaredName: unknown): string {
  if (parts.type === 'pypi' && typeof declaredName === 'string')
    return normalisedPythonName(declaredName) === parts.name ? declaredName : parts.name;
  return declaredNpmName(parts, declaredName);
}

export function formatPurl(parts: PurlParts): string {
  let text = `pkg:${parts.type}/`;
  if (parts.namespace !== undefined && parts.namespace !== '')
    text += `${normaliseNamespace(parts.type, parts.namespace).split('/').map(encodeSegment).join('/')}/`;
  text += encodeSegment(normaliseName(parts.type, parts.name));
  if (parts.version !== undefined && parts.version !== '') text += `@${encodeSegment(parts.version)}`;
  const qualifiers = Object.entries(parts.qualifiers ?? {})
    .filter(([, value]) => value !== '')
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  if (qualifiers.length > 0)
    text += `?${qualifiers.map(([key, value]) => `${key.toLowerCase()}=${encodeSegment(value)}`).join('&')}`;
  if (parts.subpath !== undefined && parts.subpath !== '')
    text += `#${parts.subpath.split('/').map(encodeSegment).join('/')}`;
  return text;
}

/** Parses a purl; undefined when it is not one. */
export function parsePurl(text: string): PurlParts | undefined {
  if (!text.startsWith('pkg:')) return undefined;
  let rest = text.slice(4).replace(/^\/+/, '');
  let subpath: string | undefined;
  const hash = rest.indexOf('#');
  if (hash >= 0) {
    subpath = rest.slice(hash + 1);
    rest = rest.slice(0, hash);
  }
  const qualifiers: Record<string, string> = {};
  const question = rest.indexOf('?');
  if (question >= 0) {
    for (const pair of rest.slice(question + 1).split('&')) {
      const equals = pair.indexOf('=');
      if (equals > 0) qualifiers[pair.slice(0, equals).toLowerCase()] = safeDecode(pair.slice(equals + 1));
    }
    rest = rest.slice(0, question);
  }
  const slash = rest.indexOf('/');
  if (slash <= 0) return undefined;
  const type = rest.slice(0, slash).toLowerCase();
  let path = rest.slice(slash + 1);
  let version: string | undefined;
  const at = path.lastIndexOf('@');
  if (at > 0 && at > path.lastIndexOf('/')) {
    version = safeDecode(path.slice(at + 1));
    path = path.slice(0, at);
  }
  const segments = path.split('/').filter(Boolean).map(safeDecode);
  const name = segments.pop();
  if (name === undefined || name === '') return undefined;
  const parts: PurlParts = { type, name };
  if (segments.length > 0) parts.namespace = segments.join('/');
  if (version !== undefined) parts.version = version;
  if (Object.keys(qualifiers).length > 0) parts.qualifiers = qualifiers;
  if (subpath !== undefined) parts.subpath = subpath;
  return parts;
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** OSV ecosystem for a language package type. */
export const LANGUAGE_ECOSYSTEMS: Partial<Record<PackageType, string>> = {
  npm: 'npm',
  pypi: 'PyPI',
  golang: 'Go',
  maven: 'Maven',
  gem: 'RubyGems',
  composer: 'Packagist',
  nuget: 'NuGet',
  cargo: 'crates.io',
};

/**
 * The source package a purl's `upstream` qualifier names: for rpm a source RPM file name
 * (`openssl-3-3.0.8-150500.5.8.1.src.rpm`, whose version is the binary's) or a bare name; otherwise a name,
 * with `@version` when the source version differs (as Syft writes `openssl@3.0.11-1`).
 */
export function upstreamSource(
  type: string,
  upstream: string | undefined,
): { name: string; version?: string } | undefined {
  if (upstream === undefined || upstream === '') return undefined;
  if (type === 'rpm') return { name: parseSourceRpm(upstream)?.name ?? upstream };
  const at = upstream.indexOf('@');
  return at < 0 ? { name: upstream } : { name: upstream.slice(0, at), version: upstream.slice(at + 1) };
}
