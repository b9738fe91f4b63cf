// go.mod `require` directives (with replace applied); go.sum adds modules missing from go.mod files written
// before Go 1.17, which did not list indirect dependencies.

import { splitModule } from '../analyzers/go-binary.ts';
import { languagePackage } from '../analyzers/language-package.ts';
import type { Package } from '../package.ts';
import { lineAt, lockfileReader } from './lockfile-reader.ts';

interface Requirement {
  path: string;
  version: string;
  line: number;
  indirect: boolean;
}

function directives(text: string, verb: string): { args: string; line: number; comment: string }[] {
  const found: { args: string; line: number; comment: string }[] = [];
  const block = new RegExp(`^${verb}\\s*\\(([\\s\\S]*?)^\\)`, 'gm');
  for (const match of text.matchAll(block)) {
    let offset = match.index + match[0].indexOf('(') + 1;
    for (const raw of match[1]!.split('\n')) {
      const [args = '', comment = ''] = raw.split('//');
      if (args.trim() !== '') found.push({ args: args.trim(), line: lineAt(text, offset), comment });
      offset += raw.length + 1;
    }
  }
  for (const match of text.matchAll(new RegExp(`^${verb}\\s+([^(\\s][^\\n]*)$`, 'gm'))) {
    const [args = '', comment = ''] = match[1]!.split('//');
    found.push({ args: args.trim(), line: lineAt(text, match.index), comment });
  }
  return found;
}

export function parseGoMod(text: string, path: string): Package[] {
  const replacements = new Map<string, { path: string; version: string }>();
  for (const { args } of directives(text, 'replace')) {
    const match = /^(\S+)(?:\s+\S+)?\s+=>\s+(\S+)(?:\s+(\S+))?$/.exec(args);
    // Replacements by a local path have no version to match: the module is then left out.
    if (match !== null) replacements.set(match[1]!, { path: match[2]!, version: match[3] ?? '' });
  }
  const requirements: Requirement[] = directives(text, 'require').flatMap(({ args, line, comment }) => {
    const [module, version] = args.split(/\s+/);
    return module === undefined || version === undefined
      ? []
      : [{ path: module, version, line, indirect: comment.includes('indirect') }];
  });
  const packages: Package[] = [];
  for (const requirement of requirements) {
    const replaced = replacements.get(requirement.path);
    if (replaced !== undefined && replaced.version === '') continue;
    const module = replaced ?? requirement;
    packages.push(
      languagePackage({
        type: 'golang',
        ...splitModule(module.path),
        version: module.version,
        path,
        line: requirement.line,
        foundBy: 'go-mod',
        direct: !requirement.indirect,
      }),
    );
  }
  return packages;
}

/** go.sum lines: `module version[/go.mod] hash`; the /go.mod-only lines are not in the build. */
export function parseGoSum(text: string, path: string): Package[] {
  const packages: Package[] = [];
  for (const [index, line] of text.split('\n').entries()) {
    const [module, version] = line.trim().split(/\s+/);
    if (module === undefined || version === undefined || version.endsWith('/go.mod')) continue;
    packages.push(
      languagePackage({
        type: 'golang',
        ...splitModule(module),
        version,
        path,
        line: index + 1,
        foundBy: 'go-sum',
      }),
    );
  }
  return packages;
}

export const goModReader = lockfileReader('go-mod', ['go.mod'], parseGoMod);

export const goSumReader = lockfileReader('go-sum', ['go.sum'], async (text, path, context) => {
  const goMod = context.view.get(path.replace(/go\.sum$/, 'go.mod'));
  // From Go 1.17 go.mod lists every module in the build while go.sum holds the whole graph: go.mod wins.
  if (goMod !== undefined) {
    const minor = /^go\s+1\.(\d+)/m.exec((await context.view.read(goMod)).toString('utf8'))?.[1];
    if (minor !== undefined && Number(minor) >= 17) return [];
  }
  return parseGoSum(text, path);
});
