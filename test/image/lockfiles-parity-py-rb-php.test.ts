// Python, Ruby and PHP lockfiles read as their own tools read them (pip, Poetry, pipenv, Bundler, Composer):
// each case is a difference found comparing our readers with another scanner's test cases, decided by the
// ecosystem's semantics. Inputs are small and written here.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Package, PackageInventory } from '../../src/image/package.ts';
import { scanFiles } from './scan-files.ts';

/** `name@version` with the fields a case is about: dev, direct, licenses, first line. */
function summary(pkg: Package): string {
  const name = pkg.namespace === undefined ? pkg.name : `${pkg.namespace}/${pkg.name}`;
  const parts = [`${name}@${pkg.version}`];
  if (pkg.dev !== undefined) parts.push(`dev=${pkg.dev}`);
  if (pkg.direct !== undefined) parts.push(`direct=${pkg.direct}`);
  if (pkg.licenses.length > 0) parts.push(`licenses=${pkg.licenses.join('|')}`);
  const line = pkg.locations[0]?.line;
  if (line !== undefined) parts.push(`line=${line}`);
  return parts.join(' ');
}

const summaries = (inventory: PackageInventory): string[] => inventory.packages.map(summary);
const messages = (inventory: PackageInventory): string[] => inventory.issues.map((issue) => issue.message);

describe('requirements.txt read as pip reads it', () => {
  it('a comment line ending in a backslash does not swallow the next requirement', async (t) => {
    const inventory = await scanFiles(t, {
      'requirements.txt':
        '# pinned below, see the ticket \\\nflask==3.0.0\nclick==8.1.7 \\\n# note \\\nitsdangerous==2.1.2\n',
    });
    assert.deepEqual(inventory.issues, []);
    assert.deepEqual(summaries(inventory), [
      'click@8.1.7 line=3',
      'flask@3.0.0 line=2',
      'itsdangerous@2.1.2 line=5',
    ]);
  });

  it('reads requirements followed by options other than --hash', async (t) => {
    const inventory = await scanFiles(t, {
      'requirements.txt':
        'lxml==5.2.1 --config-settings="--build-option=--static"\nuvloop==0.19.0 --global-option=build_ext\npyyaml==6.0.1 -r other.txt\n',
    });
    assert.deepEqual(inventory.issues, []);
    assert.deepEqual(summaries(inventory), [
      'lxml@5.2.1 line=1',
      'pyyaml@6.0.1 line=3',
      'uvloop@0.19.0 line=2',
    ]);
  });

  it("reads PEP 508's parenthesized version specifier", async (t) => {
    const inventory = await scanFiles(t, {
      'requirements.txt': 'requests (==2.31.0)\ncelery [redis] ( === 5.3.6 ) ; python_version >= "3.8"\n',
    });
    assert.deepEqual(summaries(inventory), ['celery@5.3.6 line=2', 'requests@2.31.0 line=1']);
  });

  it('leaves out what pip refuses, warned with its line: a "==" version that is not PEP 440, a bad name', async (t) => {
    const inventory = await scanFiles(t, {
      'requirements.txt': 'flask==3.0.0\nwerkzeug==latest\nbad-==1.0\nlegacy===1.0-custom\n',
    });
    assert.deepEqual(summaries(inventory), ['flask@3.0.0 line=1', 'legacy@1.0-custom line=4']);
    assert.deepEqual(messages(inventory), [
      'requirements.txt:2: werkzeug==latest: not a PEP 440 version, left out',
      'requirements.txt:3: "bad-==1.0": not a requirement pip reads, left out',
    ]);
  });
});

describe('requirement files and -r includes', () => {
  it('reads requirements-*.txt, *-requirements.txt and requirements/*.txt, and names includes it cannot follow', async (t) => {
    const inventory = await scanFiles(t, {
      'requirements.txt':
        'flask==3.0.0\n-r requirements-dev.txt\n--requirement=requirements/base.txt\n-r extra.in\n-r ../outside.txt\n-r requirements-missing.txt\n',
      'requirements-dev.txt': 'pytest==7.4.0\n',
      'requirements/base.txt': 'django==4.2.7\n',
      'docs-requirements.txt': 'sphinx==7.2.6\n',
      'extra.in': 'black==23.11.0\n',
      'notes.txt': 'requests==2.31.0\n',
    });
    assert.deepEqual(
      inventory.packages.map((pkg) => `${pkg.name}@${pkg.version} ${pkg.locations[0]?.path}`),
      [
        'django@4.2.7 requirements/base.txt',
        'flask@3.0.0 requirements.txt',
        'pytest@7.4.0 requirements-dev.txt',
        'sphinx@7.2.6 docs-requirements.txt',
      ],
    );
    assert.deepEqual(messages(inventory), [
      'requirements.txt:4: -r extra.in: included requirements are not read (only requirement files by name are)',
      'requirements.txt:5: -r ../outside.txt: included requirements are not read (only requirement files by name are)',
      'requirements.txt:6: -r requirements-missing.txt: the included file is not in the scanned directory',
    ]);
  });
});

describe('poetry.lock and Pipfile.lock', () => {
  it('marks packages of poetry 2 (lock 2.1) groups other than "main" as dev', async (t) => {
    const inventory = await scanFiles(t, {
      'poetry.lock': [
        '[[package]]\nname = "pytest"\nversion = "8.1.1"\ngroups = ["dev"]\nfiles = [\n    {file = "pytest-8.1.1.tar.gz", hash = "sha256:ab"},\n]\n',
        '[[package]]\nname = "colorama"\nversion = "0.4.6"\ngroups = [\n    "main", # both\n    "dev",\n]\nmarkers = {main = "platform_system == \\"Windows\\"", dev = "sys_platform == \\"win32\\""}\n',
        '[[package]]\nname = "sphinx"\nversion = "7.2.6"\ngroups = [\'docs\']\n',
        '[[package]]\nname = "flask"\nversion = "3.0.2"\ngroups = ["main"]\n',
        '[metadata]\nlock-version = "2.1"\n',
      ].join('\n'),
    });
    assert.deepEqual(inventory.issues, []);
    assert.deepEqual(summaries(inventory), [
      'colorama@0.4.6 dev=false line=9',
      'flask@3.0.2 dev=false line=23',
      'pytest@8.1.1 dev=true line=1',
      'sphinx@7.2.6 dev=true line=18',
    ]);
  });

  it('reads the packages of pipenv named categories, beside default and develop', async (t) => {
    const inventory = await scanFiles(t, {
      'Pipfile.lock': JSON.stringify({
        _meta: { 'pipfile-spec': 6, sources: [] },
        default: { requests: { version: '==2.31.0' } },
        develop: { pytest: { version: '==8.1.1' } },
        docs: { sphinx: { version: '==7.2.6' }, 'local-theme': { path: './theme' } },
      }),
    });
    assert.deepEqual(inventory.issues, []);
    assert.deepEqual(summaries(inventory), [
      'pytest@8.1.1 dev=true',
      'requests@2.31.0 dev=false',
      'sphinx@7.2.6',
    ]);
  });
});

describe('Gemfile.lock read as Bundler reads it', () => {
  it('drops any platform suffix: everything after the first "-" of the locked version', async (t) => {
    const inventory = await scanFiles(t, {
      'Gemfile.lock':
        'GEM\n  remote: https://rubygems.org/\n  specs:\n    google-protobuf (3.25.3-x86_64-linux)\n    sass-embedded (1.77.5-riscv64-linux-gnu)\n      google-protobuf (>= 3.25, < 5.0)\n\nPLATFORMS\n  riscv64-linux-gnu\n  x86_64-linux\n',
    });
    assert.deepEqual(summaries(inventory), ['google-protobuf@3.25.3 line=4', 'sass-embedded@1.77.5 line=5']);
  });

  it('marks the gems DEPENDENCIES lists (git and path ones with "!") as direct, the others as indirect', async (t) => {
    const inventory = await scanFiles(t, {
      'Gemfile.lock':
        'GIT\n  remote: https://github.com/example/toolkit.git\n  revision: 0123abc\n  specs:\n    toolkit (0.4.0)\n\nGEM\n  remote: https://rubygems.org/\n  specs:\n    rack (3.0.8)\n    rack-test (2.1.0)\n      rack (>= 1.3)\n\nPLATFORMS\n  ruby\n\nDEPENDENCIES\n  rack-test (~> 2.1)\n  toolkit!\n\nBUNDLED WITH\n   2.5.6\n',
    });
    assert.deepEqual(summaries(inventory), [
      'rack-test@2.1.0 direct=true line=11',
      'rack@3.0.8 direct=false line=10',
      'toolkit@0.4.0 direct=true line=5',
    ]);
  });
});

describe('composer.lock read as Composer reads it', () => {
  it("takes a license given as one string, as Composer's loader does", async (t) => {
    const inventory = await scanFiles(t, {
      'composer.lock': JSON.stringify({
        packages: [
          { name: 'acme/single', version: '1.2.0', license: 'MIT' },
          { name: 'acme/listed', version: '2.0.0', license: ['Apache-2.0', 'MIT'] },
        ],
        'packages-dev': [{ name: 'acme/tool', version: 'v0.3.1', license: 'BSD-3-Clause' }],
      }),
    });
    assert.deepEqual(inventory.issues, []);
    assert.deepEqual(summaries(inventory), [
      'acme/listed@2.0.0 dev=false licenses=Apache-2.0 OR MIT',
      'acme/single@1.2.0 dev=false licenses=MIT',
      'acme/tool@v0.3.1 dev=true licenses=BSD-3-Clause',
    ]);
  });
});

describe('local code is not a registry package', () => {
  it('leaves out Bundler PATH gems, Poetry directory and file sources, and Composer path packages', async (t) => {
    const inventory = await scanFiles(t, {
      'ruby/Gemfile.lock':
        'PATH\n  remote: .\n  specs:\n    myapp (0.1.0)\n      rack (>= 2)\n\nGEM\n  remote: https://rubygems.org/\n  specs:\n    rack (3.0.8)\n\nDEPENDENCIES\n  myapp!\n',
      'py/poetry.lock': [
        '[[package]]',
        'name = "mylib"',
        'version = "0.1.0"',
        '',
        '[package.source]',
        'type = "directory"',
        'url = "../mylib"',
        '',
        '[[package]]',
        'name = "wheelfile"',
        'version = "1.0.0"',
        '',
        '[package.source]',
        'type = "file"',
        'url = "dist/wheelfile-1.0.0-py3-none-any.whl"',
        '',
        '[[package]]',
        'name = "requests"',
        'version = "2.31.0"',
        '',
        '[[package]]',
        'name = "internal"',
        'version = "3.0.0"',
        '',
        '[package.source]',
        'type = "legacy"',
        'url = "https://pypi.example.com/simple"',
        'reference = "corp"',
        '',
      ].join('\n'),
      'php/composer.lock': JSON.stringify({
        packages: [
          { name: 'my/local', version: 'dev-main', dist: { type: 'path', url: '../local' } },
          { name: 'guzzlehttp/guzzle', version: '7.8.1', dist: { type: 'zip', url: 'https://x/y.zip' } },
        ],
      }),
    });
    assert.deepEqual(inventory.issues, []);
    assert.deepEqual(
      inventory.packages.map((pkg) => pkg.purl),
      [
        'pkg:composer/guzzlehttp/guzzle@7.8.1',
        'pkg:gem/rack@3.0.8',
        'pkg:pypi/internal@3.0.0',
        'pkg:pypi/requests@2.31.0',
      ],
    );
  });
});
