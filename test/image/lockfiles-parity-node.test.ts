// npm, yarn and pnpm lockfiles in the shapes the package managers write them, checked against what each
// manager installs: real package names behind aliases, direct and dev flags, licenses, pnpm 11's several
// documents. Each case is a small file written for the test, of a construct another scanner's cases showed.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Package, PackageInventory } from '../../src/image/package.ts';
import { scanFiles } from './scan-files.ts';

/** `name@version dev=… direct=…` per package, flags shown only when set: what the assertions compare. */
function summary(inventory: PackageInventory): string[] {
  const flag = (label: string, value: boolean | undefined): string =>
    value === undefined ? '' : ` ${label}=${value}`;
  return inventory.packages.map(
    (pkg: Package) =>
      `${pkg.namespace === undefined ? '' : `${pkg.namespace}/`}${pkg.name}@${pkg.version}${flag('dev', pkg.dev)}${flag('direct', pkg.direct)}`,
  );
}

describe('package-lock.json as npm writes it', () => {
  it('v1: a top-level entry nothing requires is direct, one another entry requires is unknown, nested is not', async (t) => {
    // app depends on a; a requires b (hoisted to the top) and its own nested copy of c; b requires c (top).
    const inventory = await scanFiles(t, {
      'package-lock.json': JSON.stringify({
        lockfileVersion: 1,
        dependencies: {
          a: {
            version: '1.0.0',
            requires: { b: '^2.0.0', c: '^1.0.0' },
            dependencies: { c: { version: '1.5.0' } },
          },
          b: { version: '2.0.0', requires: { c: '^3.0.0' } },
          c: { version: '3.0.0' },
        },
      }),
    });
    assert.deepEqual(inventory.issues, []);
    assert.deepEqual(summary(inventory), [
      'a@1.0.0 dev=false direct=true',
      'b@2.0.0 dev=false',
      'c@1.5.0 dev=false direct=false',
      'c@3.0.0 dev=false',
    ]);
  });

  it('v1: an npm alias ("version": "npm:real@1.2.3") is the real package', async (t) => {
    const inventory = await scanFiles(t, {
      'package-lock.json': JSON.stringify({
        lockfileVersion: 1,
        dependencies: {
          'my-ms': { version: 'npm:ms@2.1.3' },
          'my-parser': { version: 'npm:@babel/parser@7.24.0', dev: true },
          local: { version: 'file:../local' },
        },
      }),
    });
    assert.deepEqual(inventory.issues, []);
    assert.deepEqual(summary(inventory), [
      '@babel/parser@7.24.0 dev=true direct=true',
      'ms@2.1.3 dev=false direct=true',
    ]);
  });

  it('v2+: the root peerDependencies are direct (npm 7+ installs them), as are aliased ones', async (t) => {
    const inventory = await scanFiles(t, {
      'package-lock.json': JSON.stringify({
        lockfileVersion: 3,
        packages: {
          '': { name: 'app', dependencies: { 'my-ms': 'npm:ms@^2.1.0' }, peerDependencies: { react: '^18' } },
          'node_modules/my-ms': { name: 'ms', version: '2.1.3' },
          'node_modules/react': { version: '18.2.0', peer: true },
          'node_modules/loose-envify': { version: '1.4.0', peer: true },
        },
      }),
    });
    assert.deepEqual(inventory.issues, []);
    assert.deepEqual(summary(inventory), [
      'loose-envify@1.4.0 dev=false direct=false',
      'ms@2.1.3 dev=false direct=true',
      'react@18.2.0 dev=false direct=true',
    ]);
  });

  it('v2+: licenses in the legacy object and array forms are read; a list is a choice (OR), as npm reads it', async (t) => {
    const inventory = await scanFiles(t, {
      'package-lock.json': JSON.stringify({
        lockfileVersion: 2,
        packages: {
          '': { name: 'app' },
          'node_modules/one': { version: '1.0.0', license: { type: 'BSD-2-Clause', url: 'https://x' } },
          'node_modules/two': { version: '2.0.0', license: [{ type: 'MIT' }, { type: 'Apache-2.0' }] },
          'node_modules/three': { version: '3.0.0', license: 'ISC' },
        },
      }),
    });
    assert.deepEqual(
      inventory.packages.map((pkg) => [pkg.name, pkg.licenses]),
      [
        ['one', ['BSD-2-Clause']],
        ['three', ['ISC']],
        ['two', ['MIT OR Apache-2.0']],
      ],
    );
  });
});

describe('yarn.lock as yarn (and npm) write it', () => {
  it('classic: an npm alias pattern names the real package, even among plain patterns', async (t) => {
    const inventory = await scanFiles(t, {
      'yarn.lock': [
        '# yarn lockfile v1',
        '',
        '"left@^1.0.0", "left@npm:@acme/left-fork@1.0.1-acme.2":',
        '  version "1.0.1-acme.2"',
        '',
        '"my-ms@npm:ms":',
        '  version "2.1.3"',
        '',
        'plain@^4.0.0:',
        '  version "4.1.0"',
        '',
      ].join('\n'),
    });
    assert.deepEqual(inventory.issues, []);
    assert.deepEqual(
      inventory.packages.map((pkg) => `${pkg.purl} ${pkg.locations[0]?.line}`),
      ['pkg:npm/%40acme/left-fork@1.0.1-acme.2 3', 'pkg:npm/ms@2.1.3 6', 'pkg:npm/plain@4.1.0 9'],
    );
  });

  it('Berry: an alias is named by its resolution; an npm tag is not an alias', async (t) => {
    const inventory = await scanFiles(t, {
      'yarn.lock': [
        '__metadata:',
        '  version: 8',
        '',
        '"my-ms@npm:ms@^2.1.0":',
        '  version: 2.1.3',
        '  resolution: "ms@npm:2.1.3"',
        '',
        '"node-gyp@npm:latest":',
        '  version: 10.0.1',
        '  resolution: "node-gyp@npm:10.0.1"',
        '',
      ].join('\n'),
    });
    assert.deepEqual(inventory.issues, []);
    assert.deepEqual(
      inventory.packages.map((pkg) => `${pkg.purl} ${pkg.locations[0]?.line}`),
      ['pkg:npm/ms@2.1.3 4', 'pkg:npm/node-gyp@10.0.1 8'],
    );
  });

  it('reads a yarn.lock npm wrote, with quoted keys ("version" "1.2.3")', async (t) => {
    const inventory = await scanFiles(t, {
      'yarn.lock':
        '"chalk@^4.1.0":\n  "integrity" "sha512-x"\n  "resolved" "https://r/chalk-4.1.2.tgz"\n  "version" "4.1.2"\n',
    });
    assert.deepEqual(inventory.issues, []);
    assert.deepEqual(
      inventory.packages.map((pkg) => `${pkg.purl} ${pkg.locations[0]?.line}`),
      ['pkg:npm/chalk@4.1.2 1'],
    );
  });
});

describe('pnpm-lock.yaml as pnpm writes it', () => {
  it('v5: peer suffixes and registry hosts are not part of the name or the version', async (t) => {
    const inventory = await scanFiles(t, {
      'pnpm-lock.yaml': [
        'lockfileVersion: 5.4',
        'dependencies:',
        '  react-dom: 18.2.0_react@18.2.0',
        '  plain_name: 1.0.0',
        'packages:',
        '  /react-dom/18.2.0_react@18.2.0:',
        '    dev: false',
        '  /@types/react-dom/18.0.0_@types+react@18.0.0:',
        '    dev: true',
        '  /plain_name/1.0.0:',
        '    dev: false',
        '  registry.example.com/@acme/tool/2.0.0_typescript@5.4.0:',
        '    dev: true',
        '  /not-exact/4-beta:',
        '    dev: false',
        '',
      ].join('\n'),
    });
    assert.deepEqual(inventory.issues, []);
    assert.deepEqual(summary(inventory), [
      '@acme/tool@2.0.0 dev=true direct=false',
      '@types/react-dom@18.0.0 dev=true direct=false',
      'plain_name@1.0.0 dev=false direct=true',
      'react-dom@18.2.0 dev=false direct=true',
    ]);
  });

  it('v6: tarball and git entries are read from their name and version fields; local ones are left out', async (t) => {
    const inventory = await scanFiles(t, {
      'pnpm-lock.yaml': [
        "lockfileVersion: '6.0'",
        'dependencies:',
        '  left:',
        '    specifier: https://example.com/left/tarball/1.1.0',
        "    version: '@example.com/left/tarball/1.1.0'",
        '  mine:',
        '    specifier: file:mine',
        '    version: file:mine',
        'packages:',
        "  '@example.com/left/tarball/1.1.0':",
        '    resolution: {tarball: https://example.com/left/tarball/1.1.0}',
        '    name: left',
        '    version: 1.1.0',
        '    dev: false',
        '  file:mine:',
        '    resolution: {directory: mine, type: directory}',
        '    name: mine',
        '    version: 0.1.0',
        '    dev: false',
        '  /right@2.0.0(left@1.1.0):',
        '    dev: false',
        '',
      ].join('\n'),
    });
    assert.deepEqual(inventory.issues, []);
    assert.deepEqual(summary(inventory), [
      'left@1.1.0 dev=false direct=true',
      'right@2.0.0 dev=false direct=false',
    ]);
  });

  it('v9: dev and direct come from the importers, through snapshots that differ only by peers', async (t) => {
    const inventory = await scanFiles(t, {
      'pnpm-lock.yaml': [
        "lockfileVersion: '9.0'",
        'importers:',
        '  .:',
        '    dependencies:',
        '      app-lib:',
        '        specifier: 1.0.0',
        '        version: 1.0.0(peer@2.0.0)',
        '      remote:',
        '        specifier: https://example.com/remote.tgz',
        '        version: https://example.com/remote.tgz',
        '    devDependencies:',
        '      test-lib:',
        '        specifier: 1.0.0',
        '        version: 1.0.0',
        '  packages/web:',
        '    dependencies:',
        '      alias:',
        '        specifier: npm:aliased@^3.0.0',
        '        version: aliased@3.0.0',
        'packages:',
        '  app-lib@1.0.0: {}',
        '  test-lib@1.0.0: {}',
        '  shared@1.0.0: {}',
        '  dev-only@1.0.0: {}',
        '  peer@2.0.0: {}',
        '  aliased@3.0.0: {}',
        '  remote@https://example.com/remote.tgz:',
        '    version: 0.9.0',
        'snapshots:',
        '  app-lib@1.0.0(peer@2.0.0):',
        '    dependencies:',
        '      shared: 1.0.0(peer@2.0.0)',
        '      peer: 2.0.0',
        '  shared@1.0.0(peer@2.0.0): {}',
        '  shared@1.0.0:',
        '    dependencies:',
        '      dev-only: 1.0.0',
        '  test-lib@1.0.0:',
        '    dependencies:',
        '      shared: 1.0.0',
        '  dev-only@1.0.0: {}',
        '  peer@2.0.0: {}',
        '  aliased@3.0.0: {}',
        '  remote@https://example.com/remote.tgz: {}',
        '',
      ].join('\n'),
    });
    assert.deepEqual(inventory.issues, []);
    assert.deepEqual(summary(inventory), [
      'aliased@3.0.0 dev=false direct=true',
      'app-lib@1.0.0 dev=false direct=true',
      'dev-only@1.0.0 dev=true direct=false',
      'peer@2.0.0 dev=false direct=false',
      'remote@0.9.0 dev=false direct=true',
      'shared@1.0.0 dev=false direct=false',
      'test-lib@1.0.0 dev=true direct=true',
    ]);
  });

  it('pnpm 11: reads the project document of a multi-document file, not the one locking pnpm itself', async (t) => {
    const inventory = await scanFiles(t, {
      'pnpm-lock.yaml': [
        '---',
        "lockfileVersion: '9.0'",
        'importers:',
        '  .:',
        '    configDependencies: {}',
        '    packageManagerDependencies:',
        '      pnpm:',
        '        specifier: ^11.0.0',
        '        version: 11.0.0',
        'packages:',
        '  pnpm@11.0.0: {}',
        'snapshots:',
        '  pnpm@11.0.0: {}',
        '---',
        "lockfileVersion: '9.0'",
        'importers:',
        '  .:',
        '    dependencies:',
        '      left-pad:',
        '        specifier: 1.3.0',
        '        version: 1.3.0',
        'packages:',
        '  left-pad@1.3.0: {}',
        'snapshots:',
        '  left-pad@1.3.0: {}',
        '',
      ].join('\n'),
    });
    assert.deepEqual(inventory.issues, []);
    assert.deepEqual(summary(inventory), ['left-pad@1.3.0 dev=false direct=true']);
  });

  it('a document of a multi-document file that is not a mapping is reported with its number', async (t) => {
    const inventory = await scanFiles(t, {
      'pnpm-lock.yaml': "lockfileVersion: '9.0'\npackages:\n  a@1.0.0: {}\n---\n- not a mapping\n",
    });
    assert.deepEqual(inventory.packages, []);
    assert.deepEqual(
      inventory.issues.map((issue) => [issue.severity, issue.message]),
      [['error', 'pnpm-lock.yaml: not read: document 2: expected a YAML mapping, got an array']],
    );
  });
});
