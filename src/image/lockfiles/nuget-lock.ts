// NuGet packages.lock.json: per target framework, Direct and Transitive packages with the resolved version.

import { parseJson } from '../../core/quiet-json.ts';
import { isRecord, languagePackage } from '../analyzers/language-package.ts';
import type { Package } from '../package.ts';
import { describeJson, jsonPath, type LockfileWarn, lockfileReader } from './lockfile-reader.ts';

export function parseNugetLock(text: string, path: string, warn: LockfileWarn = () => {}): Package[] {
  const json = parseJson(text);
  if (!isRecord(json)) throw new Error(`expected a JSON object, got ${describeJson(json)}`);
  if (!isRecord(json.dependencies))
    throw new Error(`dependencies: expected an object, got ${describeJson(json.dependencies)}`);
  const packages: Package[] = [];
  for (const [target, framework] of Object.entries(json.dependencies)) {
    if (!isRecord(framework)) {
      warn(`${jsonPath('dependencies', target)}: expected an object, got ${describeJson(framework)}`);
      continue;
    }
    for (const [name, entry] of Object.entries(framework)) {
      if (!isRecord(entry)) {
        warn(`${jsonPath('dependencies', target, name)}: expected an object, got ${describeJson(entry)}`);
        continue;
      }
      // Project references are the solution's own code.
      if (entry.type === 'Project') continue;
      if (typeof entry.resolved !== 'string') {
        warn(
          `${jsonPath('dependencies', target, name, 'resolved')}: expected a version string, got ${describeJson(entry.resolved)}`,
        );
        continue;
      }
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
