// Lockfile readers for directories and repositories, one per format.
import type { PackageAnalyzer } from '../analyzers/analyzer.ts';
import { cargoLockReader } from './cargo-lock.ts';
import { composerLockReader } from './composer-lock.ts';
import { gemfileLockReader } from './gemfile-lock.ts';
import { goModReader, goSumReader } from './go-mod.ts';
import { gradleLockReader } from './gradle-lock.ts';
import { npmLockReader } from './npm-lock.ts';
import { nugetLockReader } from './nuget-lock.ts';
import { pnpmLockReader } from './pnpm-lock.ts';
import { pomXmlReader } from './pom-xml.ts';
import { pipfileLockReader, poetryLockReader, requirementsReader } from './python-locks.ts';
import { uvLockReader } from './uv-lock.ts';
import { yarnLockReader } from './yarn-lock.ts';

export const LOCKFILE_ANALYZERS: readonly PackageAnalyzer[] = [
  npmLockReader,
  yarnLockReader,
  pnpmLockReader,
  requirementsReader,
  poetryLockReader,
  uvLockReader,
  pipfileLockReader,
  goModReader,
  goSumReader,
  cargoLockReader,
  gemfileLockReader,
  composerLockReader,
  pomXmlReader,
  gradleLockReader,
  nugetLockReader,
];

/** Whether a path is one a lockfile reader reads (by name, outside installed dependencies). */
export function wantsLockfile(path: string): boolean {
  return LOCKFILE_ANALYZERS.some((reader) => reader.wants(path, 0o644, 0));
}
