// Gemfile.lock: the `specs:` of GEM (and GIT/PATH) sections, four-space indented `name (version[-platform])`.
import { languagePackage } from '../analyzers/language-package.ts';
import type { Package } from '../package.ts';
import { lockfileReader } from './lockfile-reader.ts';

export function parseGemfileLock(text: string, path: string): Package[] {
  const packages: Package[] = [];
  let inSpecs = false;
  for (const [index, line] of text.split('\n').entries()) {
    if (/^\S/.test(line)) inSpecs = false;
    if (line === '  specs:') {
      inSpecs = true;
      continue;
    }
    if (!inSpecs) continue;
    const match = /^ {4}([^\s(]+) \(([^)]+)\)$/.exec(line);
    if (match === null) continue;
    // "1.13.10-x86_64-linux": the platform suffix is not part of the version.
    const version = match[2]!.replace(/-(?:x86|x64|aarch64|arm|universal|java|mingw|mswin)[\w-]*$/, '');
    packages.push(
      languagePackage({
        type: 'gem',
        name: match[1]!,
        version,
        path,
        line: index + 1,
        foundBy: 'gemfile-lock',
      }),
    );
  }
  return packages;
}

export const gemfileLockReader = lockfileReader('gemfile-lock', ['Gemfile.lock'], parseGemfileLock);
