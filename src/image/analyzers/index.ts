// The package analyzers, in the order they run (OS analyzers first: they say which files the OS owns).
import type { PackageAnalyzer } from './analyzer.ts';
import { apkAnalyzer } from './apk.ts';
import { composerInstalledAnalyzer } from './composer-installed.ts';
import { dotnetDepsAnalyzer } from './dotnet-deps.ts';
import { dpkgAnalyzer } from './dpkg.ts';
import { goBinaryAnalyzer } from './go-binary.ts';
import { javaArchivesAnalyzer } from './java-archives.ts';
import { nodeModulesAnalyzer } from './node-modules.ts';
import { pythonPackagesAnalyzer } from './python-packages.ts';
import { rpmAnalyzer } from './rpm.ts';
import { rubyGemspecsAnalyzer } from './ruby-gemspecs.ts';
import { rustAuditableAnalyzer } from './rust-auditable.ts';

export const PACKAGE_ANALYZERS: readonly PackageAnalyzer[] = [
  dpkgAnalyzer,
  apkAnalyzer,
  rpmAnalyzer,
  nodeModulesAnalyzer,
  pythonPackagesAnalyzer,
  goBinaryAnalyzer,
  rustAuditableAnalyzer,
  javaArchivesAnalyzer,
  rubyGemspecsAnalyzer,
  composerInstalledAnalyzer,
  dotnetDepsAnalyzer,
];
