// Gradle dependency locking. `gradle.lockfile` (Gradle 6.1+): one `group:name:version=configuration,...` line per
// resolved module, `#` comments, and an `empty=` line naming the configurations that resolved nothing. Before 6.1,
// one `gradle/dependency-locks/<configuration>.lockfile` per configuration, with `group:name:version` lines. The
// build script's own classpath (`buildscript-gradle.lockfile`, `buildscript-classpath.lockfile`) is build tooling,
// not the project's dependencies, and is not read.
import { languagePackage } from '../analyzers/language-package.ts';
import type { Package } from '../package.ts';
import { type LockfileWarn, lockfileReader } from './lockfile-reader.ts';

const MODULE_LINE = /^([^:=\s]+):([^:=\s]+):([^:=\s]+)(?:=(.*))?$/;

/**
 * A configuration that only tests use: Gradle's own (`testCompileClasspath`, `testRuntimeClasspath`,
 * `testFixtures...`) and Android's variants (`debugUnitTestRuntimeClasspath`, `releaseAndroidTestCompileClasspath`).
 */
function isTestConfiguration(name: string): boolean {
  return name.startsWith('test') || name.includes('UnitTest') || name.includes('AndroidTest');
}

/** `gradle/dependency-locks/testRuntimeClasspath.lockfile` -> `testRuntimeClasspath`. */
function legacyConfiguration(path: string): string | undefined {
  return /(?:^|\/)gradle\/dependency-locks\/([^/]+)\.lockfile$/.exec(path)?.[1];
}

export function parseGradleLockfile(text: string, path: string, warn: LockfileWarn = () => {}): Package[] {
  const packages: Package[] = [];
  const lines = text.split('\n');
  for (let index = 0; index < lines.length; index++) {
    const line = (lines[index] as string).trim();
    if (line === '' || line.startsWith('#') || line.startsWith('empty=')) continue;
    const match = MODULE_LINE.exec(line);
    if (!match) {
      warn('not a group:name:version=configurations line, left out', index + 1);
      continue;
    }
    const [, group, name, version, list] = match as unknown as [string, string, string, string, string?];
    // A file of the old layout is one configuration's, named by the file.
    const configurations = (list ?? legacyConfiguration(path) ?? '')
      .split(',')
      .map((configuration) => configuration.trim())
      .filter((configuration) => configuration !== '');
    packages.push(
      languagePackage({
        type: 'maven',
        namespace: group,
        name,
        version,
        path,
        line: index + 1,
        foundBy: 'gradle-lockfile',
        // Needed only where every configuration is a test one; a module without configurations is not judged.
        ...(configurations.length > 0 ? { dev: configurations.every(isTestConfiguration) } : {}),
      }),
    );
  }
  return packages;
}

/** `gradle.lockfile` (the root project's or a subproject's), and the per-configuration files before Gradle 6.1. */
function isGradleLockfile(path: string): boolean {
  const configuration = legacyConfiguration(path);
  if (configuration !== undefined) return configuration !== 'buildscript-classpath';
  return path === 'gradle.lockfile' || path.endsWith('/gradle.lockfile');
}

export const gradleLockReader = lockfileReader('gradle-lockfile', isGradleLockfile, parseGradleLockfile);
