// go.mod `require` directives (with replace applied); go.sum adds modules missing from go.mod files written
// before Go 1.17, which did not list indirect dependencies. Read line by line (one pass, no backtracking
// regex over the whole text), as Go's own parser does.

import { splitModule } from '../analyzers/go-binary.ts';
import { languagePackage } from '../analyzers/language-package.ts';
import type { Package } from '../package.ts';
import { type LockfileWarn, lockfileReader } from './lockfile-reader.ts';

interface Directive {
  verb: string;
  args: string;
  line: number;
  comment: string;
}

/** Every directive of the wanted verbs, in blocks (`require (` … `)`) or on one line. */
function directives(text: string, verbs: ReadonlySet<string>, warn: LockfileWarn): Directive[] {
  const found: Directive[] = [];
  let block: { verb: string; line: number } | undefined;
  const lines = text.split('\n');
  for (let index = 0; index < lines.length; index++) {
    const raw = lines[index]!;
    const slashes = raw.indexOf('//');
    const code = (slashes < 0 ? raw : raw.slice(0, slashes)).trim();
    const comment = slashes < 0 ? '' : raw.slice(slashes + 2);
    if (block !== undefined) {
      if (code === ')') block = undefined;
      else if (code !== '' && verbs.has(block.verb))
        found.push({ verb: block.verb, args: code, line: index + 1, comment });
      continue;
    }
    const verb = /^[A-Za-z]+/.exec(code)?.[0];
    if (verb === undefined) continue;
    const rest = code.slice(verb.length).trim();
    if (rest === '(') block = { verb, line: index + 1 };
    else if (
      verbs.has(verb) &&
      rest !== '' &&
      code[verb.length] !== undefined &&
      /\s/.test(code[verb.length]!)
    )
      found.push({ verb, args: rest, line: index + 1, comment });
  }
  if (block !== undefined)
    warn(`"${block.verb} (" block is not closed by ")": the file looks truncated`, block.line);
  return found;
}

const VERBS = new Set(['require', 'replace']);

export function parseGoMod(text: string, path: string, warn: LockfileWarn = () => {}): Package[] {
  const found = directives(text, VERBS, warn);
  const replacements = new Map<string, { path: string; version: string }>();
  for (const { args } of found.filter((directive) => directive.verb === 'replace')) {
    const match = /^(\S+)(?:\s+\S+)?\s+=>\s+(\S+)(?:\s+(\S+))?$/.exec(args);
    // Replacements by a local path have no version to match: the module is then left out.
    if (match !== null) replacements.set(match[1]!, { path: match[2]!, version: match[3] ?? '' });
  }
  const packages: Package[] = [];
  for (const { verb, args, line, comment } of found) {
    if (verb !== 'require') continue;
    const [module, version, ...more] = args.split(/\s+/);
    if (module === undefined || version === undefined || more.length > 0 || !/^v\d/.test(version)) {
      warn(`not a module path and version: ${JSON.stringify(args.slice(0, 200))}`, line);
      continue;
    }
    const replaced = replacements.get(module);
    if (replaced !== undefined && replaced.version === '') continue;
    const target = replaced ?? { path: module, version };
    packages.push(
      languagePackage({
        type: 'golang',
        ...splitModule(target.path),
        version: target.version,
        path,
        line,
        foundBy: 'go-mod',
        direct: !comment.includes('indirect'),
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

export const goSumReader = lockfileReader('go-sum', ['go.sum'], async (text, path, _warn, context) => {
  const goMod = context.view.get(path.replace(/go\.sum$/, 'go.mod'));
  // From Go 1.17 go.mod lists every module in the build while go.sum holds the whole graph: go.mod wins.
  if (goMod !== undefined) {
    const minor = /^go\s+1\.(\d+)/m.exec((await context.view.read(goMod)).toString('utf8'))?.[1];
    if (minor !== undefined && Number(minor) >= 17) return [];
  }
  return parseGoSum(text, path);
});
