// The installed-package analyzers against each package manager's own rules, on small inputs written for these
// cases: what dpkg counts as present, how Python's email parser folds core metadata, what RubyGems writes in
// an installed gemspec, what the .NET host loads from a deps.json, how npm reads licenses and a BOM, how Composer's
// loader takes a license, and how a JAR manifest may end its lines. Each case failed before the fix it names.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { AnalyzerContext, PackageAnalyzer } from '../../src/image/analyzers/analyzer.ts';
import { composerInstalledAnalyzer } from '../../src/image/analyzers/composer-installed.ts';
import { dotnetDepsAnalyzer } from '../../src/image/analyzers/dotnet-deps.ts';
import { dpkgAnalyzer } from '../../src/image/analyzers/dpkg.ts';
import { goBinaryAnalyzer } from '../../src/image/analyzers/go-binary.ts';
import { javaArchivesAnalyzer } from '../../src/image/analyzers/java-archives.ts';
import { nodeModulesAnalyzer } from '../../src/image/analyzers/node-modules.ts';
import { pythonPackagesAnalyzer } from '../../src/image/analyzers/python-packages.ts';
import { rubyGemspecsAnalyzer } from '../../src/image/analyzers/ruby-gemspecs.ts';
import type { InventoryIssue } from '../../src/image/inventory-issue.ts';
import type { FileRecord, FileView } from '../../src/image/layer-filesystem.ts';
import type { Package } from '../../src/image/package.ts';
import { goBinary, zipBytes } from './artifact-builders.ts';

const LAYER = 'sha256:1111111111111111111111111111111111111111111111111111111111111111';

/** Runs one analyzer over in-memory files, the way the inventory does (only the files it wants). */
async function analyze(
  analyzer: PackageAnalyzer,
  files: Record<string, string | Buffer>,
  ownedByOs: string[] = [],
  mode = 0o644,
): Promise<{ packages: Package[]; issues: InventoryIssue[] }> {
  const records = new Map<string, FileRecord>();
  for (const [path, content] of Object.entries(files)) {
    const data = typeof content === 'string' ? Buffer.from(content) : content;
    if (analyzer.wants(path, mode, data.length))
      records.set(path, { path, size: data.length, mode, layer: LAYER, layerIndex: 0, data });
  }
  const view: FileView = {
    files: () => records.values(),
    get: (path) => records.get(path),
    read: async (record) => record.data!,
    readRange: async (record, offset, length) => record.data!.subarray(offset, offset + length),
  };
  const issues: InventoryIssue[] = [];
  const context: AnalyzerContext = {
    view,
    os: undefined,
    ownedByOs: new Set(ownedByOs),
    issue: (issue) => issues.push(issue),
    tempFile: () => Promise.reject(new Error('not used')),
  };
  return { packages: await analyzer.analyze(context), issues };
}

const summary = (packages: Package[]): string[][] =>
  packages
    .map((pkg) => [pkg.name, pkg.version, pkg.licenses.join(' | ')])
    .sort((a, b) => (a[0]! < b[0]! ? -1 : a[0]! > b[0]! ? 1 : 0));

describe('dpkg status states', () => {
  it('an unpacked package (files on disk, not configured) counts; half-installed, config-files, not-installed do not', async () => {
    const entry = (name: string, status: string): string =>
      `Package: ${name}\nStatus: ${status}\nArchitecture: amd64\nVersion: 1.0-1\n`;
    const status = [
      entry('configured', 'install ok installed'),
      entry('unpacked-only', 'install ok unpacked'),
      entry('awaiting-triggers', 'install ok triggers-awaited'),
      entry('selected-for-removal', 'deinstall ok installed'),
      entry('interrupted', 'install reinstreq half-installed'),
      entry('removed', 'deinstall ok config-files'),
      entry('known-only', 'install ok not-installed'),
    ].join('\n');
    const { packages } = await analyze(dpkgAnalyzer, { 'var/lib/dpkg/status': status });
    assert.deepEqual(packages.map((pkg) => pkg.name).sort(), [
      'awaiting-triggers',
      'configured',
      'selected-for-removal',
      'unpacked-only',
    ]);
  });
});

describe('Python core metadata, as email.parser reads it', () => {
  const SITE = 'usr/local/lib/python3.12/site-packages';

  it('a line of blanks inside a folded field continues it, so the headers after it are still read', async () => {
    // setuptools folds a long Description with 8 spaces per line, blank lines included.
    const pkgInfo = [
      'Metadata-Version: 1.1',
      'Name: Folded',
      'Version: 0.2',
      'License: UNKNOWN',
      'Description: First paragraph.',
      '        ',
      '        Second paragraph.',
      'Platform: UNKNOWN',
      'Classifier: License :: OSI Approved :: BSD License',
      '',
    ].join('\n');
    const { packages } = await analyze(pythonPackagesAnalyzer, {
      [`${SITE}/Folded-0.2-py3.12.egg-info/PKG-INFO`]: pkgInfo,
    });
    assert.deepEqual(summary(packages), [['Folded', '0.2', 'BSD License']]);
  });

  it('a License field of several lines is the license text, not its name: the classifier names it', async () => {
    const metadata = [
      'Metadata-Version: 2.1',
      'Name: textual',
      'Version: 3.1',
      'License: Copyright (c) 2020 Somebody',
      '        ',
      '        Permission is hereby granted, free of charge, to any person',
      'Classifier: License :: OSI Approved :: MIT License',
      '',
      'Long description.',
    ].join('\n');
    const { packages } = await analyze(pythonPackagesAnalyzer, {
      [`${SITE}/textual-3.1.dist-info/METADATA`]: metadata,
    });
    assert.deepEqual(summary(packages), [['textual', '3.1', 'MIT License']]);
  });

  it('eggs installed by easy_install: an .egg directory and a zipped .egg, read from EGG-INFO/PKG-INFO', async () => {
    const zipped = zipBytes([
      {
        name: 'EGG-INFO/PKG-INFO',
        content: 'Metadata-Version: 1.1\nName: zipped\nVersion: 1.4\n',
        deflate: true,
      },
      { name: 'zipped/__init__.py', content: '' },
    ]);
    const { packages, issues } = await analyze(pythonPackagesAnalyzer, {
      [`${SITE}/unzipped-2.0-py3.12.egg/EGG-INFO/PKG-INFO`]:
        'Metadata-Version: 1.1\nName: unzipped\nVersion: 2.0\n',
      [`${SITE}/zipped-1.4-py3.12.egg`]: zipped,
      [`${SITE}/broken-1.0-py3.12.egg`]: 'not a zip archive',
    });
    assert.deepEqual(summary(packages), [
      ['unzipped', '2.0', ''],
      ['zipped', '1.4', ''],
    ]);
    assert.equal(
      packages.find((pkg) => pkg.name === 'zipped')?.locations[0]?.path,
      `${SITE}/zipped-1.4-py3.12.egg!/EGG-INFO/PKG-INFO`,
    );
    assert.deepEqual(
      issues.map((issue) => [issue.code, issue.path]),
      [['parse-failed', `${SITE}/broken-1.0-py3.12.egg`]],
    );
  });
});

describe('installed gemspecs, as RubyGems writes them', () => {
  it('%q{} literals (RubyGems before 2.0), Gem::Version.new, and licenses given as one string', async () => {
    const old = [
      '# -*- encoding: utf-8 -*-',
      'Gem::Specification.new do |s|',
      '  s.name = %q{oldgem}',
      '  s.version = "0.9.1"',
      '  s.date = %q{2011-01-01}',
      '  s.licenses = [%q{MIT}]',
      'end',
      '',
    ].join('\n');
    const single = [
      'Gem::Specification.new do |spec|',
      '  spec.name = "single".freeze',
      '  spec.version = Gem::Version.new("2.1.0")',
      '  spec.licenses = "Ruby"',
      'end',
      '',
    ].join('\n');
    const { packages, issues } = await analyze(rubyGemspecsAnalyzer, {
      'usr/local/bundle/specifications/oldgem-0.9.1.gemspec': old,
      'usr/local/bundle/specifications/single-2.1.0.gemspec': single,
    });
    assert.deepEqual(summary(packages), [
      ['oldgem', '0.9.1', 'MIT'],
      ['single', '2.1.0', 'Ruby'],
    ]);
    assert.deepEqual(issues, []);
  });

  it('default gems (specifications/default) are installed gems too; an empty name is still refused', async () => {
    const spec = (name: string, version: string): string =>
      `Gem::Specification.new do |s|\n  s.name = "${name}".freeze\n  s.version = "${version}"\n  s.licenses = ["Ruby".freeze, "BSD-2-Clause".freeze]\nend\n`;
    const { packages, issues } = await analyze(rubyGemspecsAnalyzer, {
      'usr/local/lib/ruby/3.3.0/specifications/default/uri-0.13.0.gemspec': spec('uri', '0.13.0'),
      'usr/local/lib/ruby/3.3.0/specifications/default/empty.gemspec': spec('', '1.0'),
    });
    assert.deepEqual(summary(packages), [['uri', '0.13.0', 'Ruby | BSD-2-Clause']]);
    assert.deepEqual(
      issues.map((issue) => issue.path),
      ['usr/local/lib/ruby/3.3.0/specifications/default/empty.gemspec'],
    );
  });
});

describe('.deps.json, as the .NET host reads it', () => {
  it("a self-contained app's bundled runtime counts, under its NuGet name", async () => {
    const deps = {
      runtimeTarget: { name: '.NETCoreApp,Version=v8.0/linux-x64' },
      targets: {
        '.NETCoreApp,Version=v8.0': {},
        '.NETCoreApp,Version=v8.0/linux-x64': {
          'shop/1.0.0': { runtime: { 'shop.dll': {} } },
          'runtimepack.Microsoft.NETCore.App.Runtime.linux-x64/8.0.1': {
            runtime: { 'System.Private.CoreLib.dll': {} },
          },
        },
      },
      libraries: {
        'shop/1.0.0': { type: 'project' },
        'runtimepack.Microsoft.NETCore.App.Runtime.linux-x64/8.0.1': { type: 'runtimepack' },
      },
    };
    const { packages } = await analyze(dotnetDepsAnalyzer, { 'app/shop.deps.json': JSON.stringify(deps) });
    assert.deepEqual(
      packages.map((pkg) => pkg.purl),
      ['pkg:nuget/Microsoft.NETCore.App.Runtime.linux-x64@8.0.1'],
    );
  });

  it('a package whose runtime-target entry lists no assets deploys nothing and is not reported', async () => {
    const deps = {
      runtimeTarget: { name: '.NETCoreApp,Version=v8.0' },
      targets: {
        '.NETCoreApp,Version=v8.0': {
          'Loaded/1.2.0': { runtime: { 'lib/net8.0/Loaded.dll': {} } },
          'NativeOnly/3.0.0': {
            runtimeTargets: { 'runtimes/linux-x64/native/libn.so': { rid: 'linux-x64' } },
          },
          'Superseded/4.3.0': { dependencies: { Loaded: '1.2.0' } },
        },
      },
      libraries: {
        'Loaded/1.2.0': { type: 'package' },
        'NativeOnly/3.0.0': { type: 'package' },
        'Superseded/4.3.0': { type: 'package' },
        'NotInTarget/5.0.0': { type: 'package' },
      },
    };
    const { packages } = await analyze(dotnetDepsAnalyzer, {
      // With a UTF-8 byte order mark, which the host skips.
      'app/svc.deps.json': `\uFEFF${JSON.stringify(deps)}`,
    });
    assert.deepEqual(summary(packages), [
      ['Loaded', '1.2.0', ''],
      ['NativeOnly', '3.0.0', ''],
      ['NotInTarget', '5.0.0', ''],
    ]);
  });
});

describe('node_modules package.json, as npm reads it', () => {
  it('a BOM is skipped; the legacy license list is read under "license" as under "licenses", as a choice (OR)', async () => {
    const { packages, issues } = await analyze(nodeModulesAnalyzer, {
      'app/node_modules/bom/package.json': `\uFEFF${JSON.stringify({ name: 'bom', version: '1.0.0', license: 'ISC' })}`,
      'app/node_modules/listed/package.json': JSON.stringify({
        name: 'listed',
        version: '1.3.0',
        license: [
          { type: 'Public Domain', url: 'https://example.org/pd' },
          { type: 'MIT', url: 'https://example.org/mit' },
        ],
      }),
      'app/node_modules/plain/package.json': JSON.stringify({
        name: 'plain',
        version: '2.0.0',
        licenses: 'BSD-3-Clause',
      }),
      // npm's docs: this deprecated form should have been written "(MIT OR Apache-2.0)".
      'app/node_modules/dual/package.json': JSON.stringify({
        name: 'dual',
        version: '0.4.0',
        licenses: [
          { type: 'MIT', url: 'https://www.opensource.org/licenses/mit-license.php' },
          { type: 'Apache-2.0', url: 'https://opensource.org/licenses/apache2.0.php' },
        ],
      }),
    });
    assert.deepEqual(summary(packages), [
      ['bom', '1.0.0', 'ISC'],
      ['dual', '0.4.0', 'MIT OR Apache-2.0'],
      // Not every entry is an SPDX id: still one choice, carried by name (an SBOM would read a list as AND).
      ['listed', '1.3.0', 'Public Domain OR MIT'],
      ['plain', '2.0.0', 'BSD-3-Clause'],
    ]);
    assert.deepEqual(issues, []);
  });
});

describe('vendor/composer/installed.json, as Composer loads it', () => {
  it('a license given as one string (the composer.json form) is read; a list is a choice (OR)', async () => {
    const { packages } = await analyze(composerInstalledAnalyzer, {
      'app/vendor/composer/installed.json': JSON.stringify({
        packages: [
          { name: 'acme/listed', version: '1.0.0', license: ['MIT', 'GPL-2.0-only'] },
          { name: 'acme/repeated', version: '1.1.0', license: ['MIT', 'MIT'] },
          { name: 'acme/single', version: '2.0.0', license: 'BSD-3-Clause' },
        ],
      }),
    });
    assert.deepEqual(summary(packages), [
      ['listed', '1.0.0', 'MIT OR GPL-2.0-only'],
      ['repeated', '1.1.0', 'MIT'],
      ['single', '2.0.0', 'BSD-3-Clause'],
    ]);
  });
});

describe('JAR manifests', () => {
  it('lines ended by a lone CR (allowed by the JAR spec) are read as lines', async () => {
    const manifest = 'Manifest-Version: 1.0\rImplementation-Title: crlib\rImplementation-Version: 4.5\r\r';
    const { packages } = await analyze(javaArchivesAnalyzer, {
      'opt/app/lib/renamed.jar': zipBytes([{ name: 'META-INF/MANIFEST.MF', content: manifest }]),
    });
    assert.deepEqual(summary(packages), [['crlib', '4.5', '']]);
  });
});

describe('JARs without pom.properties: the file name first, the manifest as a fallback (as Syft picks)', () => {
  it('Implementation-Title is a display title: the artifactId and version come from the file name', async () => {
    const jar = (manifest: string): Buffer =>
      zipBytes([{ name: 'META-INF/MANIFEST.MF', content: `Manifest-Version: 1.0\n${manifest}\n` }]);
    const { packages } = await analyze(javaArchivesAnalyzer, {
      'opt/lib/jna-platform-5.13.0.jar': jar(
        'Implementation-Title: com.sun.jna.platform\nImplementation-Version: 5.13.0 (b0)\nBundle-SymbolicName: com.sun.jna.platform',
      ),
      'opt/lib/json4s-scalap_2.13-4.0.7.jar': jar(
        'Implementation-Title: json4s-scalap\nImplementation-Version: 4.0.7',
      ),
      'opt/lib/velocity-tools-2.0.jar': jar(
        'Implementation-Title: org.apache.velocity\nImplementation-Version: 2.0\nImplementation-Vendor-Id: org.apache.velocity',
      ),
      'opt/lib/jackson-databind-2.15.2.jar': jar(
        'Bundle-SymbolicName: com.fasterxml.jackson.core.jackson-databind;singleton:=true\nBundle-Version: 2.15.2',
      ),
      // No version in the file name: the manifest's, cut to its leading token.
      'opt/lib/renamed.jar': jar('Implementation-Title: jna\nImplementation-Version: 5.13.0 (b0)'),
    });
    assert.deepEqual(packages.map((pkg) => pkg.purl).sort(), [
      'pkg:maven/com.fasterxml.jackson.core/jackson-databind@2.15.2',
      'pkg:maven/jna-platform@5.13.0',
      'pkg:maven/jna@5.13.0',
      'pkg:maven/json4s-scalap_2.13@4.0.7',
      'pkg:maven/org.apache.velocity/velocity-tools@2.0',
    ]);
  });
});

describe('JAR file names, as Maven writes them (artifactId-version[-classifier])', () => {
  it('an artifactId holding "-<digit>" keeps it; the version starts at the last dotted number', async () => {
    const bare = zipBytes([{ name: 'org/example/Main.class', content: 'x' }]);
    const { packages } = await analyze(javaArchivesAnalyzer, {
      'opt/app/lib/log4j-1.2-api-2.17.1.jar': bare,
      'opt/app/lib/guava-31.1-jre.jar': bare,
      'opt/app/lib/jetty-server-9.4.51.v20230217.jar': bare,
      'opt/app/lib/tool-7.jar': bare,
      'opt/app/lib/noversion.jar': bare,
    });
    assert.deepEqual(summary(packages), [
      ['guava', '31.1-jre', ''],
      ['jetty-server', '9.4.51.v20230217', ''],
      ['log4j-1.2-api', '2.17.1', ''],
      ['tool', '7', ''],
    ]);
  });
});

describe('executable jars (bytes before the archive)', () => {
  it('a Spring Boot "fully executable" jar is read, its BOOT-INF/lib jars too', async () => {
    const pom = (group: string, artifact: string, version: string): string =>
      `groupId=${group}\nartifactId=${artifact}\nversion=${version}\n`;
    const lib = zipBytes([
      {
        name: 'META-INF/maven/commons-lang/commons-lang/pom.properties',
        content: pom('commons-lang', 'commons-lang', '2.6'),
      },
    ]);
    const jar = zipBytes([
      { name: 'META-INF/maven/com.example/app/pom.properties', content: pom('com.example', 'app', '1.0.0') },
      { name: 'BOOT-INF/lib/commons-lang-2.6.jar', content: lib },
    ]);
    const script = Buffer.from('#!/bin/bash\nexec java -jar "$0" "$@"\n');
    const { packages, issues } = await analyze(javaArchivesAnalyzer, {
      'opt/app/app.jar': Buffer.concat([script, jar]),
    });
    assert.deepEqual(issues, []);
    assert.deepEqual(summary(packages), [
      ['app', '1.0.0', ''],
      ['commons-lang', '2.6', ''],
    ]);
  });
});

describe('Go build info, as cmd/go writes it', () => {
  it('a dependency replaced by a local directory, or a workspace module, is (devel): no package', async () => {
    const binary = goBinary('go1.22.0', [
      'path\tk8s.io/kubernetes/cmd/kubelet',
      'mod\tk8s.io/kubernetes\t(devel)\t',
      'dep\tk8s.io/api\tv0.0.0',
      '=>\t./staging/src/k8s.io/api\t(devel)\t',
      'dep\tk8s.io/apimachinery\tv0.0.0',
      '=>\t../apimachinery\t(devel)\t',
      'dep\tk8s.io/utils\tv0.0.0',
      '=>\t/src/utils\t\t',
      'dep\texample.com/workspace\t(devel)\t',
      'dep\tgithub.com/google/uuid\tv1.6.0\th1:x',
      '=>\tgithub.com/fork/uuid\tv1.6.1\th1:y',
      'dep\tgolang.org/x/net\tv0.23.0\th1:z',
    ]);
    const { packages } = await analyze(goBinaryAnalyzer, { 'usr/bin/kubelet': binary }, [], 0o755);
    assert.deepEqual(packages.map((pkg) => pkg.purl).sort(), [
      'pkg:golang/github.com/fork/uuid@v1.6.1',
      'pkg:golang/golang.org/x/net@v0.23.0',
      'pkg:golang/stdlib@v1.22.0',
    ]);
  });
});

describe('language manifests an OS package installed', () => {
  it('a .deps.json or Composer installed.json owned by dpkg, apk or rpm is not counted again', async () => {
    const deps = JSON.stringify({
      libraries: { 'Newtonsoft.Json/13.0.1': { type: 'package' } },
    });
    const installed = JSON.stringify({ packages: [{ name: 'acme/lib', version: '1.0.0' }] });
    const files = {
      'usr/lib/dotnet/tool.deps.json': deps,
      'usr/share/php/vendor/composer/installed.json': installed,
      'app/shop.deps.json': deps,
      'app/vendor/composer/installed.json': installed,
    };
    const owned = ['usr/lib/dotnet/tool.deps.json', 'usr/share/php/vendor/composer/installed.json'];
    for (const analyzer of [dotnetDepsAnalyzer, composerInstalledAnalyzer]) {
      const { packages } = await analyze(analyzer, files, owned);
      assert.deepEqual(
        packages.flatMap((pkg) => pkg.locations.map((location) => location.path)),
        analyzer === dotnetDepsAnalyzer ? ['app/shop.deps.json'] : ['app/vendor/composer/installed.json'],
      );
    }
  });
});
