// Building a language package record the same way in every analyzer and lockfile reader.
import { isRecord } from '../../core/kube-object.ts';
import type { FileRecord } from '../layer-filesystem.ts';
import type { Package, PackageType } from '../package.ts';
import { formatPurl, LANGUAGE_ECOSYSTEMS } from '../purl.ts';

export interface LanguagePackageInput {
  type: PackageType;
  name: string;
  version: string;
  namespace?: string;
  path: string;
  layer?: string;
  line?: number;
  licenses?: string[];
  foundBy: string;
  dev?: boolean;
  direct?: boolean;
  hashes?: Package['hashes'];
}

export function languagePackage(input: LanguagePackageInput): Package {
  const location: Package['locations'][number] = { path: input.path };
  if (input.layer !== undefined) location.layer = input.layer;
  if (input.line !== undefined) location.line = input.line;
  const pkg: Package = {
    type: input.type,
    name: input.name,
    version: input.version,
    ecosystem: LANGUAGE_ECOSYSTEMS[input.type] ?? input.type,
    purl: formatPurl({
      type: input.type,
      name: input.name,
      version: input.version,
      ...(input.namespace === undefined ? {} : { namespace: input.namespace }),
    }),
    licenses: (input.licenses ?? []).filter((license) => license.trim() !== ''),
    hashes: input.hashes ?? [],
    locations: [location],
    foundBy: input.foundBy,
  };
  if (input.namespace !== undefined) pkg.namespace = input.namespace;
  if (input.dev !== undefined) pkg.dev = input.dev;
  if (input.direct !== undefined) pkg.direct = input.direct;
  return pkg;
}

/** For a file in the image: the location fields. */
export function at(file: FileRecord): { path: string; layer: string } {
  return { path: file.path, layer: file.layer };
}

/**
 * `name@rest` as npm, yarn and pnpm write a package with its range, version or key: `@scope/name@^1` → name
 * `@scope/name`, rest `^1` (the `@` of a scope is part of the name).
 */
export function splitNpmNameAt(text: string): { name: string; rest: string } | undefined {
  const at = text.indexOf('@', text.startsWith('@') ? 1 : 0);
  return at <= 0 ? undefined : { name: text.slice(0, at), rest: text.slice(at + 1) };
}

/** npm names are `@scope/name`: purl namespace is the scope. */
export function npmPackage(
  name: string,
  version: string,
  rest: Omit<LanguagePackageInput, 'type' | 'name' | 'version'>,
): Package {
  const slash = name.startsWith('@') ? name.indexOf('/') : -1;
  if (slash > 0)
    return languagePackage({
      ...rest,
      type: 'npm',
      namespace: name.slice(0, slash),
      name: name.slice(slash + 1),
      version,
    });
  return languagePackage({ ...rest, type: 'npm', name, version });
}

/** Display name including the namespace, as users write it (`@types/node`, `org.slf4j:slf4j-api`). */
export function qualifiedName(pkg: Package): string {
  if (pkg.namespace === undefined || pkg.type === 'deb' || pkg.type === 'apk' || pkg.type === 'rpm')
    return pkg.name;
  if (pkg.type === 'maven') return `${pkg.namespace}:${pkg.name}`;
  return `${pkg.namespace}/${pkg.name}`;
}

/** Reads JSON, turning a parse failure into undefined (the caller reports it). */
export function tryJson(data: Buffer | string): unknown {
  try {
    return JSON.parse(typeof data === 'string' ? data : data.toString('utf8'));
  } catch {
    return undefined;
  }
}

/** Analyzers and lockfile readers take it from here. */
export { isRecord };
