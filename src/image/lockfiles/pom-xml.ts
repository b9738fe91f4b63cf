// pom.xml: the versions declared in <dependencies> (not resolved transitively), with ${properties} of the same
// file substituted; dependencies whose version is not written or not resolvable here are left out. Read with a
// one-pass scanner (xml-scanner.ts): a truncated or hostile pom costs linear time and is reported.
import { languagePackage } from '../analyzers/language-package.ts';
import type { Package } from '../package.ts';
import { type LockfileWarn, lineLocator, lockfileReader } from './lockfile-reader.ts';
import { scanXml } from './xml-scanner.ts';

interface Declared {
  fields: Map<string, string>;
  offset: number;
}

/** `${name}` references replaced from `properties`; undefined when one is not defined here. */
function resolveProperties(value: string, properties: ReadonlyMap<string, string>): string | undefined {
  let resolved = '';
  let position = 0;
  for (;;) {
    const start = value.indexOf('${', position);
    const end = start < 0 ? -1 : value.indexOf('}', start + 2);
    if (end < 0) return resolved + value.slice(position);
    const replacement = properties.get(value.slice(start + 2, end));
    if (replacement === undefined) return undefined;
    resolved += value.slice(position, start) + replacement;
    position = end + 1;
  }
}

export function parsePomXml(text: string, path: string, warn: LockfileWarn = () => {}): Package[] {
  const lineOf = lineLocator(text);
  const properties = new Map<string, string>();
  const declared: Declared[] = [];
  /** The <dependency> elements open now (declared ones only), innermost last. */
  const current: (Declared | undefined)[] = [];
  let managed = 0;
  scanXml(
    text,
    {
      open(name, offset, stack) {
        if (name === 'dependencyManagement') managed++;
        if (name === 'dependency')
          current.push(
            managed === 0 && stack[stack.length - 1] === 'dependencies'
              ? { fields: new Map(), offset }
              : undefined,
          );
      },
      close(name, content, stack) {
        const parent = stack[stack.length - 1];
        if (name === 'dependencyManagement') managed--;
        else if (name === 'dependency') {
          const dependency = current.pop();
          if (dependency !== undefined) declared.push(dependency);
        } else if (parent === 'dependency') {
          const dependency = current[current.length - 1];
          if (dependency !== undefined && !dependency.fields.has(name))
            dependency.fields.set(name, content.trim());
        } else if (stack.length === 2 && parent === 'properties' && stack[0] === 'project') {
          if (!properties.has(name)) properties.set(name, content.trim());
        } else if (stack.length === 1 && parent === 'project' && name === 'version')
          properties.set('project.version', content.trim());
      },
    },
    warn,
    lineOf,
  );
  const packages: Package[] = [];
  for (const { fields, offset } of declared) {
    const groupId = fields.get('groupId');
    const artifactId = fields.get('artifactId');
    const versionText = fields.get('version');
    if (!groupId || !artifactId || !versionText) continue;
    const version = resolveProperties(versionText, properties);
    const group = resolveProperties(groupId, properties);
    if (version === undefined || group === undefined || /^[[(]/.test(version)) continue;
    packages.push(
      languagePackage({
        type: 'maven',
        namespace: group,
        name: artifactId,
        version,
        path,
        line: lineOf(offset),
        foundBy: 'pom-xml',
        direct: true,
        ...(fields.get('scope') === 'test' ? { dev: true } : {}),
      }),
    );
  }
  return packages;
}

export const pomXmlReader = lockfileReader('pom-xml', ['pom.xml'], parsePomXml);
