// go.mod `require` directives (with replace applied); go.sum adds modules missing from go.mod files written
// before Go 1.17, which did not list indirect dependencies. Read line by line (one pass, no backtracking
// regex over the whole text), as Go's own parser does.

import { decodeInput } from '../../core/decode-text.ts';
import { compareParsedSemver, parseSemver, type SemVer } from '../../vuln/version/semver.ts';
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

/** The directives cmd/go knows (modfile.Parse). */
const GO_MOD_VERBS = new Set([
  'module',
  'go',
  'toolchain',
  'godebug',
  'require',
  'exclude',
  'replace',
  'retract',
  'tool',
  'ignore',
]);

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
    if (code === '') continue;
    const verb = /^[A-Za-z]+/.exec(code)?.[0];
    // cmd/go refuses a go.mod with any other line ("unknown directive"): named, so the file is not taken as empty.
    if (verb === undefined || !GO_MOD_VERBS.has(verb)) {
      warn('unknown directive: not a go.mod line (cmd/go refuses the file)', index + 1);
      continue;
    }
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

/** go.mod tokens may be quoted (`"golang.org/x/net"`, or raw in backquotes) as Go string literals. */
function unquote(token: string): string {
  if (/^"[^"\\]*"$/.test(token) || /^`[^`]*`$/.test(token)) return token.slice(1, -1);
  return token;
}

/** Go's rule (modfile.isIndirect): the comment is `indirect`, or starts with `indirect;`. */
function isIndirect(comment: string): boolean {
  const words = comment.trim().split(/\s+/);
  return (words.length === 1 && words[0] === 'indirect') || (words.length > 1 && words[0] === 'indirect;');
}

interface Requirement {
  path: string;
  version: string;
  line: number;
  direct: boolean;
}

interface Replacement {
  path: string;
  version: string;
}

/** `require` lines with `replace` applied; `undefined` targets are replacements by a local directory. */
function requirements(
  text: string,
  warn: LockfileWarn,
): { required: Requirement[]; resolved: (Replacement | undefined)[] } {
  const found = directives(text, VERBS, warn);
  // Keyed `path@version` when the left side names a version (it then replaces that version only), else `path`.
  const replacements = new Map<string, Replacement>();
  for (const { args, line } of found.filter((directive) => directive.verb === 'replace')) {
    const arrow = args.split(/\s+/).map(unquote);
    const at = arrow.indexOf('=>');
    const old = arrow.slice(0, at);
    const target = arrow.slice(at + 1);
    if (at < 0 || old.length < 1 || old.length > 2 || target.length < 1 || target.length > 2) {
      warn(`not a replace directive: ${JSON.stringify(args.slice(0, 200))}`, line);
      continue;
    }
    const key = old.length === 2 ? `${old[0]}@${old[1]}` : old[0]!;
    // Replacements by a local path have no version: the module is then left out.
    if (!replacements.has(key)) replacements.set(key, { path: target[0]!, version: target[1] ?? '' });
  }
  const required: Requirement[] = [];
  const resolved: (Replacement | undefined)[] = [];
  for (const { verb, args, line, comment } of found) {
    if (verb !== 'require') continue;
    const [module, version, ...more] = args.split(/\s+/).map(unquote);
    if (module === undefined || version === undefined || more.length > 0 || !/^v\d/.test(version)) {
      warn(`not a module path and version: ${JSON.stringify(args.slice(0, 200))}`, line);
      continue;
    }
    required.push({ path: module, version, line, direct: !isIndirect(comment) });
    // As Go looks them up (modload.Replacement): the version-specific replacement first, then the wildcard.
    const replaced = replacements.get(`${module}@${version}`) ?? replacements.get(module);
    resolved.push(
      replaced === undefined ? { path: module, version } : replaced.version === '' ? undefined : replaced,
    );
  }
  return { required, resolved };
}

const VERBS = new Set(['require', 'replace']);

export function parseGoMod(text: string, path: string, warn: LockfileWarn = () => {}): Package[] {
  const { required, resolved } = requirements(text, warn);
  const packages: Package[] = [];
  for (const [index, { line, direct }] of required.entries()) {
    const target = resolved[index];
    if (target === undefined) continue;
    packages.push(
      languagePackage({
        type: 'golang',
        ...splitModule(target.path),
        version: target.version,
        path,
        line,
        foundBy: 'go-mod',
        direct,
      }),
    );
  }
  return packages;
}

/**
 * go.sum lines: `module version[/go.mod] hash`; the /go.mod-only lines are not in the build. A module listed at
 * several versions is built at one, the highest (minimal version selection picks the highest required, and go.sum
 * keeps the hashes of versions it has seen); `skip` names the modules go.mod already gives.
 */
export function parseGoSum(
  text: string,
  path: string,
  warn: LockfileWarn,
  skip?: ReadonlySet<string>,
): Package[] {
  const chosen = new Map<string, { version: string; parsed: SemVer | undefined; line: number }>();
  for (const [index, line] of text.split('\n').entries()) {
    if (line.trim() === '') continue;
    const fields = line.trim().split(/\s+/);
    const [module, version, hash] = fields;
    // cmd/go refuses any other line as "malformed go.sum"; it is named, never taken for a module.
    if (fields.length !== 3 || !/^v/.test(version ?? '') || !/^h\d+:/.test(hash ?? '')) {
      warn('not a go.sum line (module, version and hash): left out', index + 1);
      continue;
    }
    if (module === undefined || version === undefined || version.endsWith('/go.mod')) continue;
    if (skip?.has(module)) continue;
    const semver = parseSemver(version);
    const parsed = typeof semver === 'string' ? undefined : semver;
    const known = chosen.get(module);
    if (
      known === undefined ||
      (parsed !== undefined && (known.parsed === undefined || compareParsedSemver(parsed, known.parsed) > 0))
    )
      chosen.set(module, { version, parsed, line: index + 1 });
  }
  return [...chosen].map(([module, { version, line }]) =>
    languagePackage({
      type: 'golang',
      ...splitModule(module),
      version,
      path,
      line,
      foundBy: 'go-sum',
      // Beside a go.mod, which lists every direct dependency, what go.sum adds is indirect.
      ...(skip === undefined ? {} : { direct: false }),
    }),
  );
}

export const goModReader = lockfileReader('go-mod', ['go.mod'], parseGoMod);

export const goSumReader = lockfileReader('go-sum', ['go.sum'], async (text, path, warn, context) => {
  const goMod = context.view.get(path.replace(/go\.sum$/, 'go.mod'));
  if (goMod === undefined) return parseGoSum(text, path, warn);
  let modText: string;
  try {
    modText = decodeInput(await context.view.read(goMod)).text;
  } catch {
    // An undecodable go.mod is reported by its own reader; go.sum is then read alone.
    return parseGoSum(text, path, warn);
  }
  // From Go 1.17 go.mod lists every module in the build while go.sum holds the whole graph: go.mod wins.
  const minor = /^go\s+1\.(\d+)/m.exec(modText)?.[1];
  if (minor !== undefined && Number(minor) >= 17) return [];
  // Before, go.sum adds what go.mod does not name (go.mod's own problems are reported by its reader).
  const { required, resolved } = requirements(modText, () => {});
  const named = new Set(required.map((requirement) => requirement.path));
  for (const target of resolved) if (target !== undefined) named.add(target.path);
  return parseGoSum(text, path, warn, named);
});
