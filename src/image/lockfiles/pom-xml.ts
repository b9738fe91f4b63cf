// pom.xml: the versions declared in <dependencies> (not resolved transitively), with ${properties} of the same
// file substituted; dependencies whose version is not written or not resolvable here are left out.
import { languagePackage } from '../analyzers/language-package.ts';
import type { Package } from '../package.ts';
import { lineAt, lockfileReader } from './lockfile-reader.ts';

function stripComments(text: string): string {
  return text.replace(/<!--[\s\S]*?-->/g, (comment) => comment.replace(/[^\n]/g, ' '));
}

function element(block: string, name: string): string | undefined {
  return new RegExp(`<${name}>\\s*([^<]*?)\\s*</${name}>`).exec(block)?.[1];
}

export function parsePomXml(text: string, path: string): Package[] {
  const source = stripComments(text);
  const properties = new Map<string, string>();
  const propertiesBlock = /<properties>([\s\S]*?)<\/properties>/.exec(source)?.[1] ?? '';
  for (const match of propertiesBlock.matchAll(/<([\w.-]+)>\s*([^<]*?)\s*<\/\1>/g))
    properties.set(match[1]!, match[2]!);
  const projectVersion = element(
    source.replace(
      /<parent>[\s\S]*?<\/parent>|<dependencies>[\s\S]*<\/dependencies>|<build>[\s\S]*<\/build>/g,
      '',
    ),
    'version',
  );
  if (projectVersion !== undefined) properties.set('project.version', projectVersion);
  const resolve = (value: string): string | undefined => {
    const resolved = value.replace(/\$\{([^}]+)\}/g, (_, key: string) => properties.get(key) ?? '\0');
    return resolved.includes('\0') ? undefined : resolved;
  };
  const packages: Package[] = [];
  // <dependencyManagement> only pins versions for later use; the dependencies themselves are what is declared.
  const managed = /<dependencyManagement>[\s\S]*?<\/dependencyManagement>/g;
  const withoutManaged = source.replace(managed, (block) => block.replace(/[^\n]/g, ' '));
  for (const dependencies of withoutManaged.matchAll(/<dependencies>([\s\S]*?)<\/dependencies>/g)) {
    const base = dependencies.index + '<dependencies>'.length;
    for (const dependency of dependencies[1]!.matchAll(/<dependency>([\s\S]*?)<\/dependency>/g)) {
      const block = dependency[1]!;
      const groupId = element(block, 'groupId');
      const artifactId = element(block, 'artifactId');
      const versionText = element(block, 'version');
      if (groupId === undefined || artifactId === undefined || versionText === undefined) continue;
      const version = resolve(versionText);
      const group = resolve(groupId);
      if (version === undefined || group === undefined || /^[[(]/.test(version)) continue;
      const scope = element(block, 'scope');
      packages.push(
        languagePackage({
          type: 'maven',
          namespace: group,
          name: artifactId,
          version,
          path,
          line: lineAt(text, base + dependency.index),
          foundBy: 'pom-xml',
          direct: true,
          ...(scope === 'test' ? { dev: true } : {}),
        }),
      );
    }
  }
  return packages;
}

export const pomXmlReader = lockfileReader('pom-xml', ['pom.xml'], parsePomXml);
