// NuGet packages.lock.json: per target framework, Direct and Transitive packages with the resolved version.
import { isRecord, languagePackage } from '../analyzers/language-package.ts';
import type { Package } from '../package.ts';
import { lockfileReader } from './lockfile-reader.ts';

export function parseNugetLock(text: string, path: string): Package[] {
  const json = JSON.parse(text) as unknown;
  if (!isRecord(json) || !isRecord(json.dependencies)) throw new Error('no "dependencies" object');
  const packages: Package[] = [];
  for (const framework of Object.values(json.dependencies)) {
    if (!isRecord(framework)) continue;
    for (const [name, entry] of Object.entries(framework)) {
      // Project references are the solution's own code.
      if (!isRecord(entry) || typeof entry.resolved !== 'string' || entry.type === 'Project') continue;
      packages.push(
        languagePackage({
          type: 'nuget',
          name,
          version: entry.resolved,
          path,
          foundBy: 'nuget-lock',
          direct: entry.type === 'Direct',
        }),
      );
    }
  }
  return packages;
}

export const nugetLockReader = lockfileReader('nuget-lock', ['packages.lock.json'], parseNugetLock);
