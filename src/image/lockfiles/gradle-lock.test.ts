import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { gradleLockReader, parseGradleLockfile } from './gradle-lock.ts';

const LOCKFILE = `# This is a Gradle generated file for dependency locking.
# Manual edits can break the build and are not advised.
# This file is expected to be part of source control.
com.google.code.gson:gson:2.8.9=compileClasspath,runtimeClasspath
junit:junit:4.13.2=testCompileClasspath,testRuntimeClasspath
org.mockito:mockito-core:5.2.0=debugUnitTestRuntimeClasspath,releaseAndroidTestCompileClasspath
org.slf4j:slf4j-api:2.0.9=runtimeClasspath,testRuntimeClasspath
not a module line
empty=annotationProcessor,testAnnotationProcessor
`;

describe('gradle.lockfile', () => {
  it('reads each module with its line, dev when only test configurations need it, and warns about the rest', () => {
    const warnings: string[] = [];
    const packages = parseGradleLockfile(LOCKFILE, 'app/gradle.lockfile', (message, line) =>
      warnings.push(`${line}: ${message}`),
    );
    assert.deepEqual(
      packages.map((pkg) => [pkg.purl, pkg.dev, pkg.locations[0]?.line]),
      [
        ['pkg:maven/com.google.code.gson/gson@2.8.9', false, 4],
        ['pkg:maven/junit/junit@4.13.2', true, 5],
        ['pkg:maven/org.mockito/mockito-core@5.2.0', true, 6],
        ['pkg:maven/org.slf4j/slf4j-api@2.0.9', false, 7],
      ],
    );
    assert.equal(packages[0]?.ecosystem, 'Maven');
    assert.deepEqual(warnings, ['8: not a group:name:version=configurations line, left out']);
  });

  it('reads the per-configuration files of Gradle before 6.1, the configuration named by the file', () => {
    const text = '# comment\norg.apache.commons:commons-lang3:3.12.0\n';
    const [runtime] = parseGradleLockfile(text, 'gradle/dependency-locks/runtimeClasspath.lockfile');
    const [test] = parseGradleLockfile(text, 'gradle/dependency-locks/testRuntimeClasspath.lockfile');
    assert.equal(runtime?.dev, false);
    assert.equal(test?.dev, true);
  });

  it('is read by name, outside installed dependencies, and never for the build script classpath', () => {
    const wants = (path: string) => gradleLockReader.wants(path, 0o644, 0);
    assert.equal(wants('gradle.lockfile'), true);
    assert.equal(wants('services/api/gradle.lockfile'), true);
    assert.equal(wants('gradle/dependency-locks/compileClasspath.lockfile'), true);
    assert.equal(wants('buildscript-gradle.lockfile'), false);
    assert.equal(wants('gradle/dependency-locks/buildscript-classpath.lockfile'), false);
    assert.equal(wants('vendor/lib/gradle.lockfile'), false);
    assert.equal(wants('my-gradle.lockfile'), false);
  });
});
