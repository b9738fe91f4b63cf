// pom.xml: the versions declared in <dependencies> (not resolved transitively), interpolated as Maven does from
// what the same file says: its <properties>, its own and its <parent>'s coordinates (`${project.version}` is the
// parent's when the project inherits it), and its <dependencyManagement> (which fills a missing version or
// scope). Dependencies whose version is not written or not resolvable here are left out. Read with a one-pass
// scanner (xml-scanner.ts): a truncated or hostile pom costs linear time and is reported.
import { languagePackage } from '../analyzers/language-package.ts';
import type { Package } from '../package.ts';
import { type LockfileWarn, lineLocator, lockfileReader } from './lockfile-reader.ts';
import { scanXml } from './xml-scanner.ts';

interface Declared {
  fields: Map<string, string>;
  offset: number;
  managed: boolean;
}

/** Where <dependency> elements count: the project's and its profiles' (build plugins' own are not the project's). */
const DECLARED_IN = new Set(['project/dependencies', 'project/profiles/profile/dependencies']);
const MANAGED_IN = 'project/dependencyManagement/dependencies';

/** A resolved value longer than this is given up (`${a}` → `${b}${b}` → … doubles at each step). */
const MAX_RESOLVED_LENGTH = 4096;
/** Properties defined by properties, this deep, are given up (no stack overflow on a chain of 100k). */
const MAX_NESTING = 64;

/** Model values by the paths Maven's interpolation knows (`project.version`, deprecated `pom.version`, `version`). */
function modelValues(
  project: ReadonlyMap<string, string>,
  parent: ReadonlyMap<string, string>,
): Map<string, string> {
  const fields = new Map<string, string>();
  // groupId and version are inherited from <parent> when the project does not set them.
  for (const [name, inherited] of [
    ['groupId', true],
    ['artifactId', false],
    ['version', true],
  ] as const) {
    const value = project.get(name) ?? (inherited ? parent.get(name) : undefined);
    if (value !== undefined) fields.set(name, value);
    const parentValue = parent.get(name);
    if (parentValue !== undefined) fields.set(`parent.${name}`, parentValue);
  }
  return fields;
}

/**
 * Maven's interpolation of `${…}`: `project.`/`pom.`-prefixed model values first, then <properties>, then the
 * model without prefix (deprecated `${version}`); values are interpolated in turn. Undefined when an expression
 * cannot be resolved from this file (a property of a parent, `env.*`, a cycle).
 */
function interpolator(
  properties: ReadonlyMap<string, string>,
  model: ReadonlyMap<string, string>,
): (value: string) => string | undefined {
  const done = new Map<string, string | undefined>();
  const active = new Set<string>();
  const raw = (name: string): string | undefined => {
    const prefixed = /^(?:project|pom)\.(.*)$/.exec(name)?.[1];
    if (prefixed !== undefined && model.has(prefixed)) return model.get(prefixed);
    return properties.get(name) ?? model.get(name);
  };
  const expression = (name: string): string | undefined => {
    if (done.has(name)) return done.get(name);
    const value = raw(name);
    if (value === undefined || active.has(name) || active.size >= MAX_NESTING) return undefined;
    active.add(name);
    const resolved = resolve(value);
    active.delete(name);
    done.set(name, resolved);
    return resolved;
  };
  const resolve = (value: string): string | undefined => {
    let resolved = '';
    let position = 0;
    for (;;) {
      const start = value.indexOf('${', position);
      const end = start < 0 ? -1 : value.indexOf('}', start + 2);
      if (end < 0) resolved += value.slice(position);
      else {
        const replacement = expression(value.slice(start + 2, end));
        if (replacement === undefined) return undefined;
        resolved += value.slice(position, start) + replacement;
        position = end + 1;
      }
      if (resolved.length > MAX_RESOLVED_LENGTH) return undefined;
      if (end < 0) return resolved;
    }
  };
  return resolve;
}

/** A version Maven would fetch as written: a soft requirement, or `[1.2.3]` (exactly that one). */
function fixedVersion(version: string): string | undefined {
  const exact = /^\[\s*([^[\](),\s]+)\s*\]$/.exec(version)?.[1];
  if (exact !== undefined) return exact;
  // Ranges, and LATEST/RELEASE, are resolved against a repository's metadata when Maven builds.
  if (version === '' || /[[\](),]/.test(version) || version === 'LATEST' || version === 'RELEASE')
    return undefined;
  return version;
}

export function parsePomXml(text: string, path: string, warn: LockfileWarn = () => {}): Package[] {
  const lineOf = lineLocator(text);
  const properties = new Map<string, string>();
  const project = new Map<string, string>();
  const parent = new Map<string, string>();
  const declared: Declared[] = [];
  /** The <dependency> elements open now (declared or managed ones only), innermost last. */
  const current: (Declared | undefined)[] = [];
  scanXml(
    text,
    {
      open(name, offset, stack) {
        if (name !== 'dependency') return;
        // Joined only when short: a hostile pom nests thousands of elements.
        const where = stack.length <= 4 ? stack.join('/') : '';
        const managed = where === MANAGED_IN;
        current.push(DECLARED_IN.has(where) || managed ? { fields: new Map(), offset, managed } : undefined);
      },
      close(name, content, stack) {
        const container = stack[stack.length - 1];
        if (name === 'dependency') {
          const dependency = current.pop();
          if (dependency !== undefined) declared.push(dependency);
        } else if (container === 'dependency') {
          const dependency = current[current.length - 1];
          if (dependency !== undefined && !dependency.fields.has(name))
            dependency.fields.set(name, content.trim());
        } else if (stack[0] !== 'project') return;
        else if (stack.length === 2 && container === 'properties') {
          if (!properties.has(name)) properties.set(name, content.trim());
        } else if (stack.length === 1) {
          if (!project.has(name)) project.set(name, content.trim());
        } else if (stack.length === 2 && container === 'parent') {
          if (!parent.has(name)) parent.set(name, content.trim());
        }
      },
    },
    warn,
    lineOf,
  );
  const resolve = interpolator(properties, modelValues(project, parent));
  /** Maven's management key: groupId, artifactId, type (jar by default) and classifier. */
  const coordinates = (fields: ReadonlyMap<string, string>) => {
    const groupId = resolve(fields.get('groupId') ?? '');
    const artifactId = resolve(fields.get('artifactId') ?? '');
    const type = resolve(fields.get('type') || 'jar');
    const classifier = resolve(fields.get('classifier') ?? '');
    if (!groupId || !artifactId || type === undefined || classifier === undefined) return undefined;
    return { groupId, artifactId, key: `${groupId}:${artifactId}:${type}:${classifier}` };
  };
  const management = new Map<string, ReadonlyMap<string, string>>();
  for (const { fields, managed } of declared) {
    if (!managed || fields.get('scope') === 'import') continue;
    const key = coordinates(fields)?.key;
    // The first entry for a key wins, as Maven merges them into the dependency in order.
    if (key !== undefined && !management.has(key)) management.set(key, fields);
  }
  const packages: Package[] = [];
  for (const { fields, offset, managed } of declared) {
    if (managed) continue;
    const coordinate = coordinates(fields);
    if (coordinate === undefined) continue;
    const managedFields = management.get(coordinate.key);
    // A declared version or scope wins; dependencyManagement fills the ones left out.
    const versionText = fields.get('version') || managedFields?.get('version');
    const scopeText = fields.get('scope') || managedFields?.get('scope');
    const resolvedVersion = versionText ? resolve(versionText) : undefined;
    const version = resolvedVersion === undefined ? undefined : fixedVersion(resolvedVersion);
    if (version === undefined) continue;
    const scope = scopeText ? resolve(scopeText) : undefined;
    packages.push(
      languagePackage({
        type: 'maven',
        namespace: coordinate.groupId,
        name: coordinate.artifactId,
        version,
        path,
        line: lineOf(offset),
        foundBy: 'pom-xml',
        direct: true,
        ...(scope === 'test' ? { dev: true } : {}),
      }),
    );
  }
  return packages;
}

export const pomXmlReader = lockfileReader('pom-xml', ['pom.xml'], parsePomXml);
