// composer.lock: `packages` and `packages-dev`.

import { parseJson } from '../../core/quiet-json.ts';
import { composerPackage, isLocalComposerPackage } from '../analyzers/composer-installed.ts';
import { isRecord } from '../analyzers/language-package.ts';
import type { Package } from '../package.ts';
import { describeJson, jsonPath, type LockfileWarn, lockfileReader } from './lockfile-reader.ts';

export function parseComposerLock(text: string, path: string, warn: LockfileWarn = () => {}): Package[] {
  const json = parseJson(text);
  if (!isRecord(json)) throw new Error(`expected a JSON object, got ${describeJson(json)}`);
  const packages: Package[] = [];
  if (!Object.hasOwn(json, 'packages') && !Object.hasOwn(json, 'packages-dev'))
    warn('no packages or packages-dev: not a composer.lock');
  for (const [key, dev] of [
    ['packages', false],
    ['packages-dev', true],
  ] as const) {
    if (!Object.hasOwn(json, key) || json[key] === null) continue;
    const list = json[key];
    if (!Array.isArray(list)) {
      warn(`${jsonPath(key)}: expected an array, got ${describeJson(list)}`);
      continue;
    }
    for (const [index, entry] of list.entries()) {
      if (isRecord(entry) && isLocalComposerPackage(entry)) continue;
      const pkg = isRecord(entry) ? composerPackage(entry, path, undefined, 'composer-lock', dev) : undefined;
      if (pkg !== undefined) packages.push(pkg);
      else
        warn(
          `${jsonPath(key, index)}: expected an object with "vendor/name" and version strings, got ${isRecord(entry) ? `name ${describeJson(entry.name)} and version ${describeJson(entry.version)}` : describeJson(entry)}`,
        );
    }
  }
  return packages;
}

export const composerLockReader = lockfileReader('composer-lock', ['composer.lock'], parseComposerLock);
