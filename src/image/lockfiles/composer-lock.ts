// composer.lock: `packages` and `packages-dev`.
import { composerPackage } from '../analyzers/composer-installed.ts';
import { isRecord } from '../analyzers/language-package.ts';
import type { Package } from '../package.ts';
import { lockfileReader } from './lockfile-reader.ts';

export function parseComposerLock(text: string, path: string): Package[] {
  const json = JSON.parse(text) as unknown;
  if (!isRecord(json)) throw new Error('not a JSON object');
  const packages: Package[] = [];
  for (const [key, dev] of [
    ['packages', false],
    ['packages-dev', true],
  ] as const) {
    const list = json[key];
    if (!Array.isArray(list)) continue;
    for (const entry of list) {
      const pkg = isRecord(entry) ? composerPackage(entry, path, undefined, 'composer-lock', dev) : undefined;
      if (pkg !== undefined) packages.push(pkg);
    }
  }
  return packages;
}

export const composerLockReader = lockfileReader('composer-lock', ['composer.lock'], parseComposerLock);
