// Gemfile.lock: the `specs:` of GEM and GIT sections, four-space indented `name (version[-platform])` (PATH specs are
// local code); the DEPENDENCIES section names the Gemfile's own (direct) gems.
import { languagePackage } from '../analyzers/language-package.ts';
import type { Package } from '../package.ts';
import { type LockfileWarn, lockfileReader } from './lockfile-reader.ts';

/** The sections Bundler writes; another top-level line means the file is not a Gemfile.lock. */
const SECTIONS =
  /^(?:GEM|GIT|PATH|PLUGIN SOURCE|PLATFORMS|DEPENDENCIES|RUBY VERSION|BUNDLED WITH|CHECKSUMS)$/;

export function parseGemfileLock(text: string, path: string, warn: LockfileWarn = () => {}): Package[] {
  const specs: { name: string; version: string; line: number }[] = [];
  const direct = new Set<string>();
  let section = '';
  let hasDependencies = false;
  let inSpecs = false;
  for (const [index, line] of text.split('\n').entries()) {
    if (/^\S/.test(line)) {
      section = line.trimEnd();
      inSpecs = false;
      if (!SECTIONS.test(section)) warn('not a Gemfile.lock section: its lines are left out', index + 1);
    }
    if (section === 'DEPENDENCIES') {
      hasDependencies = true;
      // `  rails (~> 7.1)`, `  my_gem!` (the `!` marks a gem from a GIT or PATH source).
      const dependency = /^ {2}([^\s!(]+)/.exec(line);
      if (dependency !== null) direct.add(dependency[1]!);
      continue;
    }
    if (line === '  specs:') {
      inSpecs = true;
      continue;
    }
    // PATH specs are gems from the project's own tree (its gemspec, `path:` gems), not from a gem server.
    if (!inSpecs || section === 'PATH') continue;
    const match = /^ {4}([^\s(]+) \(([^)]+)\)$/.exec(line.trimEnd());
    if (match === null) {
      // Six spaces are a spec's own dependencies; four are a spec, which must read `name (version)`.
      if (/^ {4}\S/.test(line)) warn('not a `name (version)` spec: left out', index + 1);
      continue;
    }
    // "1.13.10-x86_64-linux": as Bundler reads it, the platform is everything after the first "-" (RubyGems
    // writes a "-" in a version as ".pre.", so a locked version never holds one).
    specs.push({ name: match[1]!, version: match[2]!.split('-', 1)[0]!, line: index + 1 });
  }
  return specs.map((spec) =>
    languagePackage({
      type: 'gem',
      name: spec.name,
      version: spec.version,
      path,
      line: spec.line,
      foundBy: 'gemfile-lock',
      // Only when the lockfile has a DEPENDENCIES section to tell.
      ...(hasDependencies ? { direct: direct.has(spec.name) } : {}),
    }),
  );
}

export const gemfileLockReader = lockfileReader('gemfile-lock', ['Gemfile.lock'], parseGemfileLock);
