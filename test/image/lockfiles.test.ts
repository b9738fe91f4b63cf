import assert from 'node:assert/strict';
import { mkdir, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { scanTarget } from '../../src/image/index.ts';
import { parsePlatform } from '../../src/image/platform.ts';
import { renderCycloneDx } from '../../src/image/sbom/cyclonedx-writer.ts';
import { renderSpdx } from '../../src/image/sbom/spdx-writer.ts';
import { skipWithoutShared } from '../shared-corpus.ts';
import { cycloneDxValidator, spdxValidator } from './sbom-schemas.ts';
import { tempDir } from './temp-dir.ts';

const FILES: Record<string, string> = {
  'web/package-lock.json': JSON.stringify({
    lockfileVersion: 3,
    packages: {
      '': { name: 'web', dependencies: { react: '^18' }, devDependencies: { jest: '^29' } },
      'node_modules/react': { version: '18.2.0', license: 'MIT' },
      'node_modules/jest': { version: '29.7.0', dev: true },
      'node_modules/react/node_modules/loose-envify': { version: '1.4.0' },
      'node_modules/local-lib': { resolved: 'packages/local-lib', link: true },
    },
  }),
  'legacy/package-lock.json': JSON.stringify({
    lockfileVersion: 1,
    dependencies: {
      lodash: { version: '4.17.21', dependencies: { 'nested-dep': { version: '0.1.0' } } },
      gitdep: { version: 'github:x/y#abc' },
    },
  }),
  'yarn1/yarn.lock':
    '# yarn lockfile v1\n\n"@babel/core@^7.0.0", "@babel/core@^7.1.0":\n  version "7.23.5"\n  resolved "https://registry"\n\nchalk@^4:\n  version "4.1.2"\n',
  'berry/yarn.lock':
    '__metadata:\n  version: 6\n\n"debug@npm:^4.3.4":\n  version: 4.3.4\n  resolution: "debug@npm:4.3.4"\n\n"berry@workspace:.":\n  version: 0.0.0-use.local\n',
  'pnpm/pnpm-lock.yaml':
    "lockfileVersion: '9.0'\npackages:\n  '@scope/pkg@1.0.0':\n    resolution: {integrity: sha512-x}\n  semver@7.5.4:\n    resolution: {integrity: sha512-y}\n",
  'pnpm6/pnpm-lock.yaml':
    "lockfileVersion: '6.0'\npackages:\n  /ms@2.1.3:\n    dev: true\n  /react-dom@18.2.0(react@18.2.0):\n    dev: false\n",
  'py/requirements.txt':
    '# pinned\nDjango==4.2.7\nrequests[security] == 2.31.0 ; python_version >= "3.8"\nflask>=2.0\n-r other.txt\nnumpy==1.26.2 \\\n    --hash=sha256:abc\n',
  'py/poetry.lock':
    '[[package]]\nname = "attrs"\nversion = "23.1.0"\ndescription = "Classes"\noptional = false\n\n[package.extras]\ntests = ["pytest"]\n\n[[package]]\nname = "pytest"\nversion = "7.4.3"\ncategory = "dev"\n',
  'py/Pipfile.lock': JSON.stringify({
    default: { certifi: { version: '==2023.11.17' } },
    develop: { black: { version: '==23.11.0' } },
  }),
  'go/go.mod':
    'module example.com/svc\n\ngo 1.21\n\nrequire (\n\tgithub.com/gin-gonic/gin v1.9.1\n\tgolang.org/x/net v0.17.0 // indirect\n)\n\nrequire github.com/google/uuid v1.4.0\n\nreplace golang.org/x/net => golang.org/x/net v0.19.0\n',
  'go/go.sum': 'github.com/gin-gonic/gin v1.9.1 h1:x\ngithub.com/extra/only v1.0.0 h1:y\n',
  'rust/Cargo.lock':
    'version = 3\n\n[[package]]\nname = "myapp"\nversion = "0.1.0"\ndependencies = [\n "serde",\n]\n\n[[package]]\nname = "serde"\nversion = "1.0.193"\nsource = "registry+https://github.com/rust-lang/crates.io-index"\nchecksum = "abc"\n',
  'ruby/Gemfile.lock':
    'GEM\n  remote: https://rubygems.org/\n  specs:\n    nokogiri (1.15.5-x86_64-linux)\n      racc (~> 1.4)\n    racc (1.7.3)\n\nPLATFORMS\n  x86_64-linux\n',
  'php/composer.lock': JSON.stringify({
    packages: [{ name: 'guzzlehttp/guzzle', version: '7.8.1', license: ['MIT'] }],
    'packages-dev': [{ name: 'phpunit/phpunit', version: '10.5.2' }],
  }),
  'java/pom.xml':
    // biome-ignore lint/suspicious/noTemplateCurlyInString: Maven property syntax, not a template
    '<project><version>1.0.0</version><properties><jackson.version>2.16.0</jackson.version></properties>\n<dependencyManagement><dependencies><dependency><groupId>managed</groupId><artifactId>only</artifactId><version>9.9</version></dependency></dependencies></dependencyManagement>\n<dependencies>\n<!-- <dependency><groupId>commented</groupId><artifactId>out</artifactId><version>1</version></dependency> -->\n<dependency><groupId>com.fasterxml.jackson.core</groupId><artifactId>jackson-databind</artifactId><version>${jackson.version}</version></dependency>\n<dependency><groupId>junit</groupId><artifactId>junit</artifactId><version>4.13.2</version><scope>test</scope></dependency>\n<dependency><groupId>no</groupId><artifactId>version</artifactId></dependency>\n<dependency><groupId>unresolved</groupId><artifactId>prop</artifactId><version>${missing}</version></dependency>\n</dependencies></project>\n',
  'dotnet/packages.lock.json': JSON.stringify({
    version: 1,
    dependencies: {
      'net8.0': {
        Serilog: { type: 'Direct', resolved: '3.1.1' },
        'Microsoft.CSharp': { type: 'Transitive', resolved: '4.7.0' },
        MyLib: { type: 'Project' },
      },
    },
  }),
  'web/node_modules/react/package.json': JSON.stringify({ name: 'react', version: '18.2.0', license: 'MIT' }),
  'web/node_modules/some-dep/package-lock.json': JSON.stringify({
    lockfileVersion: 3,
    packages: { 'node_modules/ignored': { version: '1.0.0' } },
  }),
};

const EXPECTED = [
  'pkg:cargo/serde@1.0.193',
  'pkg:composer/guzzlehttp/guzzle@7.8.1',
  'pkg:composer/phpunit/phpunit@10.5.2',
  'pkg:gem/nokogiri@1.15.5',
  'pkg:gem/racc@1.7.3',
  'pkg:golang/github.com/gin-gonic/gin@v1.9.1',
  'pkg:golang/github.com/google/uuid@v1.4.0',
  'pkg:golang/golang.org/x/net@v0.19.0',
  'pkg:maven/com.fasterxml.jackson.core/jackson-databind@2.16.0',
  'pkg:maven/junit/junit@4.13.2',
  'pkg:npm/%40babel/core@7.23.5',
  'pkg:npm/%40scope/pkg@1.0.0',
  'pkg:npm/chalk@4.1.2',
  'pkg:npm/debug@4.3.4',
  'pkg:npm/jest@29.7.0',
  'pkg:npm/lodash@4.17.21',
  'pkg:npm/loose-envify@1.4.0',
  'pkg:npm/ms@2.1.3',
  'pkg:npm/nested-dep@0.1.0',
  'pkg:npm/react-dom@18.2.0',
  'pkg:npm/react@18.2.0',
  'pkg:npm/semver@7.5.4',
  'pkg:nuget/Microsoft.CSharp@4.7.0',
  'pkg:nuget/Serilog@3.1.1',
  'pkg:pypi/attrs@23.1.0',
  'pkg:pypi/black@23.11.0',
  'pkg:pypi/certifi@2023.11.17',
  'pkg:pypi/django@4.2.7',
  'pkg:pypi/numpy@1.26.2',
  'pkg:pypi/pytest@7.4.3',
  'pkg:pypi/requests@2.31.0',
];

describe('lockfile packages in CycloneDX', () => {
  it('development dependencies are scope "excluded" (non-runtime use), not "optional" (not installed)', async (t) => {
    const dir = await tempDir(t);
    await writeFile(join(dir, 'package-lock.json'), FILES['web/package-lock.json']!);
    const { inventory } = await scanTarget('.', { cwd: dir, platform: parsePlatform('linux/amd64') });
    const bom = JSON.parse(renderCycloneDx(inventory, { now: new Date(0), toolVersion: 'test' })) as {
      components: { name: string; scope?: string }[];
    };
    const scopes = Object.fromEntries(bom.components.map((component) => [component.name, component.scope]));
    assert.equal(scopes.jest, 'excluded');
    assert.equal(scopes.react, undefined);
  });
});

describe('dual licences in SBOMs', () => {
  it("are one SPDX expression: OR for npm's expression and for a Composer list, valid against both schemas", {
    skip: skipWithoutShared('corpus', 'schemas'),
  }, async (t) => {
    const dir = await tempDir(t);
    await writeFile(
      join(dir, 'package-lock.json'),
      JSON.stringify({
        lockfileVersion: 3,
        packages: {
          '': { name: 'app' },
          'node_modules/dual': { version: '1.0.0', license: '(MIT OR Apache-2.0)' },
        },
      }),
    );
    await mkdir(join(dir, 'php'));
    await writeFile(
      join(dir, 'php', 'composer.lock'),
      JSON.stringify({
        packages: [{ name: 'acme/lib', version: '1.0.0', license: ['LGPL-2.1-only', 'GPL-3.0-or-later'] }],
      }),
    );
    const { inventory } = await scanTarget('.', { cwd: dir, platform: parsePlatform('linux/amd64') });
    const options = { now: new Date(0), toolVersion: 'test' };
    const cdx = JSON.parse(renderCycloneDx(inventory, options)) as {
      components: { name: string; licenses: unknown }[];
    };
    const spdx = JSON.parse(renderSpdx(inventory, options)) as {
      packages: { name: string; licenseDeclared: string }[];
    };
    const validateCdx = cycloneDxValidator();
    const validateSpdx = spdxValidator();
    assert.ok(validateCdx(cdx), JSON.stringify(validateCdx.errors));
    assert.ok(validateSpdx(spdx), JSON.stringify(validateSpdx.errors));
    const cdxLicenses = Object.fromEntries(cdx.components.map((c) => [c.name, c.licenses]));
    assert.deepEqual(cdxLicenses.dual, [{ expression: 'MIT OR Apache-2.0' }]);
    assert.deepEqual(cdxLicenses.lib, [{ expression: 'LGPL-2.1-only OR GPL-3.0-or-later' }]);
    const declared = Object.fromEntries(spdx.packages.map((p) => [p.name, p.licenseDeclared]));
    assert.equal(declared.dual, 'MIT OR Apache-2.0');
    assert.equal(declared['acme/lib'], 'LGPL-2.1-only OR GPL-3.0-or-later');
  });
});

describe('directory scans read lockfiles', () => {
  it('lists exactly the locked packages of every supported format', async (t) => {
    const dir = await tempDir(t);
    for (const [path, content] of Object.entries(FILES)) {
      await mkdir(join(dir, path, '..'), { recursive: true });
      await writeFile(join(dir, path), content);
    }
    // A symlink out of the directory is never followed.
    await symlink('/etc', join(dir, 'escape'));
    const { inventory } = await scanTarget('.', { cwd: dir, platform: parsePlatform('linux/amd64') });
    assert.equal(inventory.kind, 'directory');
    assert.deepEqual(
      inventory.packages.map((pkg) => pkg.purl),
      EXPECTED,
    );
    const byPurl = new Map(inventory.packages.map((pkg) => [pkg.purl, pkg]));
    assert.equal(byPurl.get('pkg:npm/jest@29.7.0')?.dev, true);
    assert.equal(byPurl.get('pkg:npm/react@18.2.0')?.direct, true);
    assert.deepEqual(
      byPurl
        .get('pkg:npm/react@18.2.0')
        ?.locations.map((l) => l.path)
        .sort(),
      ['web/node_modules/react/package.json', 'web/package-lock.json'],
    );
    assert.equal(byPurl.get('pkg:golang/golang.org/x/net@v0.19.0')?.direct, false);
    assert.deepEqual(byPurl.get('pkg:pypi/django@4.2.7')?.locations, [
      { path: 'py/requirements.txt', line: 2 },
    ]);
    assert.equal(byPurl.get('pkg:maven/junit/junit@4.13.2')?.dev, true);
    assert.equal(byPurl.get('pkg:pypi/pytest@7.4.3')?.dev, true);
    assert.equal(byPurl.get('pkg:pypi/requests@2.31.0')?.ecosystem, 'PyPI');
  });

  it('reports an unreadable lockfile and goes on with the others', async (t) => {
    const dir = await tempDir(t);
    await writeFile(join(dir, 'package-lock.json'), '{ not json');
    await writeFile(
      join(dir, 'Cargo.lock'),
      '[[package]]\nname = "anyhow"\nversion = "1.0.75"\nsource = "registry+x"\n',
    );
    const { inventory } = await scanTarget(dir, { cwd: '/', platform: parsePlatform('linux/amd64') });
    assert.deepEqual(
      inventory.packages.map((pkg) => pkg.purl),
      ['pkg:cargo/anyhow@1.0.75'],
    );
    assert.equal(inventory.issues.length, 1);
    assert.match(inventory.issues[0]!.message, /package-lock\.json/);
  });
});
