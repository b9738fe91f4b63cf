// Cargo.lock: [[package]] tables; registry crates and git dependencies (path crates are the workspace itself).
import { languagePackage } from '../analyzers/language-package.ts';
import type { Package } from '../package.ts';
import { type LockfileWarn, lockfileReader } from './lockfile-reader.ts';
import { readTomlTables } from './toml-tables.ts';

export function parseCargoLock(text: string, path: string, warn: LockfileWarn = () => {}): Package[] {
  return readTomlTables(text, warn)
    .filter((table) => table.header === 'package' && table.values.has('source'))
    .flatMap((table) => {
      const name = table.values.get('name');
      const version = table.values.get('version');
      if (name === undefined || version === undefined) {
        warn('[[package]] without a name or version string is left out', table.line);
        return [];
      }
      return [
        languagePackage({ type: 'cargo', name, version, path, line: table.line, foundBy: 'cargo-lock' }),
      ];
    });
}

export const cargoLockReader = lockfileReader('cargo-lock', ['Cargo.lock'], parseCargoLock);
