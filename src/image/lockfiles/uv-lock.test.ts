import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { readTomlTables, type TableArrays } from './toml-tables.ts';
import { parseUvLock, uvLockReader } from './uv-lock.ts';

// The shape uv 0.5 writes (lock version 1): the project itself is editable, a workspace member virtual.
const UV_LOCK = `version = 1
requires-python = ">=3.12"

[[package]]
name = "anyio"
version = "4.6.2.post1"
source = { registry = "https://pypi.org/simple" }
dependencies = [
    { name = "idna" },
    { name = "sniffio" },
]
sdist = { url = "https://files.pythonhosted.org/packages/anyio-4.6.2.post1.tar.gz", hash = "sha256:4c8bc", size = 173422 }
wheels = [
    { url = "https://files.pythonhosted.org/packages/anyio-4.6.2.post1-py3-none-any.whl", hash = "sha256:6d170", size = 90377 },
]

[[package]]
name = "demo"
version = "0.1.0"
source = { editable = "." }
dependencies = [
    { name = "anyio" },
]

[package.dev-dependencies]
dev = [
    { name = "pytest" },
]

[package.metadata]
requires-dist = [{ name = "anyio", specifier = ">=4" }]

[[package]]
name = "tools"
source = { virtual = "packages/tools" }

[[package]]
name = "private-lib"
version = "1.2.0"
source = { git = "https://github.com/example/private-lib?rev=v1.2.0#0a1b2c3" }

[[package]]
name = "idna"
version = "3.10"
source = { registry = "https://pypi.org/simple" }

[[package]]
name = "broken"
source = { registry = "https://pypi.org/simple" }
`;

describe('uv.lock', () => {
  it('lists every package from an index, a URL or git, leaves the project and local code out, and warns', () => {
    const warnings: string[] = [];
    const packages = parseUvLock(UV_LOCK, 'uv.lock', (message, line) => warnings.push(`${line}: ${message}`));
    assert.deepEqual(
      packages.map((pkg) => [pkg.purl, pkg.locations[0]?.line, pkg.dev]),
      [
        // The project needs anyio and, through it, idna; nothing reaches private-lib, so its purpose is unknown.
        ['pkg:pypi/anyio@4.6.2.post1', 4, false],
        ['pkg:pypi/private-lib@1.2.0', 37, undefined],
        ['pkg:pypi/idna@3.10', 42, false],
      ],
    );
    assert.deepEqual(warnings, ['47: [[package]] without a name or version string is left out']);
    assert.equal(uvLockReader.wants('services/api/uv.lock', 0o644, 0), true);
    assert.equal(uvLockReader.wants('.venv/lib/uv.lock', 0o644, 0), false);
  });

  it('reads one-line inline tables of plain values as dotted keys, and skips any other inline table whole', () => {
    const [table] = readTomlTables(
      'a = { x = "1", y.z = \'2\', n = 3 }\nb = { nested = { c = "d" } }\nc = { list = ["e"] }\nd = {}\ne = "f"\n',
    );
    assert.deepEqual(Object.fromEntries(table?.values ?? []), {
      'a.x': '1',
      'a.y.z': '2',
      'a.n': '3',
      e: 'f',
    });
  });

  it('keeps arrays of inline tables, nested tables and string arrays included, and skips other arrays whole', () => {
    const [table] = readTomlTables(
      [
        'deps = [',
        '    { name = "a" },',
        '    # a comment between elements',
        '    { name = "b", version = "1.0", source = { registry = "https://pypi.org/simple" }, extra = ["x", "y"] },',
        ']',
        'mixed = [{ name = "c" }, "d"]',
        'deep = [{ name = "e", list = [{ f = "g" }] }]',
        'none = []',
      ].join('\n'),
      undefined,
      { keep: () => true, maxElements: 100 },
    );
    // Unless asked for, arrays of inline tables are skipped whole.
    assert.equal(readTomlTables('x = "1"\ndeps = [{ name = "a" }]\n')[0]?.tableArrays.size, 0);
    // Past the limit the rest are skipped, and the caller learns it.
    const warnings: string[] = [];
    const limited: TableArrays = { keep: () => true, maxElements: 2 };
    const [capped] = readTomlTables(
      'a = [{ n = "1" }, { n = "2" }]\nb = [{ n = "3" }]\nc = [{ n = "4" }]\n',
      (message, line) => warnings.push(`${line}: ${message}`),
      limited,
    );
    assert.deepEqual([...(capped?.tableArrays.keys() ?? [])], ['a']);
    assert.equal(limited.exceeded, true);
    assert.deepEqual(warnings, [
      '2: more than 2 inline tables in arrays: this one and the rest are not read',
    ]);
    assert.deepEqual(
      table?.tableArrays.get('deps')?.map((entry) => Object.fromEntries(entry)),
      [
        { name: 'a' },
        { name: 'b', version: '1.0', 'source.registry': 'https://pypi.org/simple', extra: ['x', 'y'] },
      ],
    );
    assert.equal(table?.tableArrays.has('mixed'), false);
    assert.equal(table?.tableArrays.has('deep'), false);
    assert.deepEqual(table?.arrays.get('none'), []);
  });

  it('skips inline tables nested past any lockfile (a hostile file) without running out of stack', () => {
    const depth = 100_000;
    const hostile = `[[package]]\nname = "a"\nversion = "1"\ndependencies = [{ x = ${'{ y = '.repeat(depth)}"z"${' }'.repeat(depth)} }]\n\n[[package]]\nname = "b"\nversion = "2"\n`;
    assert.deepEqual(
      parseUvLock(hostile, 'uv.lock').map((pkg) => pkg.purl),
      ['pkg:pypi/a@1', 'pkg:pypi/b@2'],
    );
  });

  it('leaves dev unknown, with a warning, when a hostile lock has more edges than it reads', () => {
    const edges = '{ name = "a" },'.repeat(200_001);
    const text = `[[package]]\nname = "root"\nversion = "1"\nsource = { virtual = "." }\ndependencies = [${edges}]\n\n[package.dev-dependencies]\ndev = [{ name = "b" }]\n\n[[package]]\nname = "a"\nversion = "1"\nsource = { registry = "x" }\n\n[[package]]\nname = "b"\nversion = "1"\nsource = { registry = "x" }\n`;
    const warnings: string[] = [];
    const packages = parseUvLock(text, 'uv.lock', (message, line) => warnings.push(`${line}: ${message}`));
    assert.deepEqual(
      packages.map((pkg) => [pkg.name, pkg.dev]),
      [
        ['a', undefined],
        ['b', undefined],
      ],
    );
    assert.deepEqual(warnings, [
      '5: more than 200000 inline tables in arrays: this one and the rest are not read',
    ]);
  });

  it('leaves dev unknown, with a warning, when following a hostile graph would take too long', () => {
    // 1,100 packages of one name and 1,000 distinct edges to that name: every edge looks at every package.
    const versions = Array.from(
      { length: 1_100 },
      (_, index) => `[[package]]\nname = "a"\nversion = "${index}"\nsource = { registry = "x" }\n`,
    );
    const edges = Array.from({ length: 1_000 }, (_, index) => `{ name = "a", extra = ["e${index}"] },`).join(
      '',
    );
    const text = `[[package]]\nname = "root"\nversion = "1"\nsource = { virtual = "." }\ndependencies = [${edges}]\n\n${versions.join('\n')}`;
    const warnings: string[] = [];
    const packages = parseUvLock(text, 'uv.lock', (message, line) => warnings.push(`${line}: ${message}`));
    assert.equal(packages.length, 1_100);
    assert.equal(packages.filter((pkg) => pkg.dev !== undefined).length, 0);
    assert.deepEqual(warnings, [
      '1: the dependency graph takes more than 1000000 steps to follow: dev is not set',
    ]);
  });

  describe('development-only packages, from the dependency graph', () => {
    // A workspace: the root project (virtual) and a member library (editable). The root needs web and the
    // member; the member needs numpy, and its extra "plot" brings matplotlib. pytest, ruff and mkdocs come from
    // dependency groups; pytest needs pluggy and also colorama, which web needs too. Two versions of click (a
    // forked resolution) are told apart by the edges' versions; an edge asking a dependency's extra brings what
    // the extra lists.
    const WORKSPACE = `version = 1
revision = 3
requires-python = ">=3.12"

[manifest]
members = ["app", "lib"]

[[package]]
name = "app"
version = "0.1.0"
source = { virtual = "." }
dependencies = [
    { name = "web", extra = ["async"] },
    { name = "lib", editable = "packages/lib" },
    { name = "click", version = "8.1.7", source = { registry = "https://pypi.org/simple" }, marker = "python_full_version < '3.13'" },
]

[package.dev-dependencies]
dev = [
    { name = "pytest" },
    { name = "click", version = "8.2.0", source = { registry = "https://pypi.org/simple" }, marker = "python_full_version >= '3.13'" },
]
lint = [{ name = "ruff" }]
docs = [
    { name = "mkdocs" },
]

[package.metadata]
requires-dist = [{ name = "web" }, { name = "lib", editable = "packages/lib" }]

[package.metadata.requires-dev]
dev = [{ name = "pytest", specifier = ">=8" }]

[[package]]
name = "lib"
version = "0.2.0"
source = { editable = "packages/lib" }
dependencies = [
    { name = "NumPy" },
]

[package.optional-dependencies]
plot = [
    { name = "matplotlib" },
]

[[package]]
name = "web"
version = "2.0.0"
source = { registry = "https://pypi.org/simple" }
dependencies = [
    { name = "colorama", marker = "sys_platform == 'win32'" },
]

[package.optional-dependencies]
async = [
    { name = "anyio" },
]
trio = [
    { name = "trio" },
]

[[package]]
name = "numpy"
version = "2.1.0"
source = { registry = "https://pypi.org/simple" }

[[package]]
name = "matplotlib"
version = "3.9.0"
source = { registry = "https://pypi.org/simple" }

[[package]]
name = "anyio"
version = "4.6.0"
source = { registry = "https://pypi.org/simple" }

[[package]]
name = "trio"
version = "0.27.0"
source = { registry = "https://pypi.org/simple" }

[[package]]
name = "click"
version = "8.1.7"
source = { registry = "https://pypi.org/simple" }

[[package]]
name = "click"
version = "8.2.0"
source = { registry = "https://pypi.org/simple" }

[[package]]
name = "pytest"
version = "8.3.3"
source = { registry = "https://pypi.org/simple" }
dependencies = [
    { name = "colorama" },
    { name = "pluggy" },
]

[[package]]
name = "pluggy"
version = "1.5.0"
source = { registry = "https://pypi.org/simple" }

[[package]]
name = "colorama"
version = "0.4.6"
source = { registry = "https://pypi.org/simple" }

[[package]]
name = "ruff"
version = "0.7.0"
source = { registry = "https://pypi.org/simple" }

[[package]]
name = "mkdocs"
version = "1.6.1"
source = { registry = "https://pypi.org/simple" }
`;

    it('marks what only the dependency groups bring in, and leaves a package nothing reaches unknown', () => {
      const dev = Object.fromEntries(
        parseUvLock(WORKSPACE, 'uv.lock').map((pkg) => [`${pkg.name}@${pkg.version}`, pkg.dev]),
      );
      assert.deepEqual(dev, {
        'web@2.0.0': false,
        'numpy@2.1.0': false,
        // The member's own extra is part of what it offers at runtime.
        'matplotlib@3.9.0': false,
        // Asked for by the root's edge to web ("async"); web's other extra is asked by nobody.
        'anyio@4.6.0': false,
        'trio@0.27.0': undefined,
        'click@8.1.7': false,
        'click@8.2.0': true,
        'pytest@8.3.3': true,
        'pluggy@1.5.0': true,
        // Needed by pytest, but by web at runtime too.
        'colorama@0.4.6': false,
        'ruff@0.7.0': true,
        'mkdocs@1.6.1': true,
      });
    });

    it('says nothing about development when the lock has no project or workspace member to start from', () => {
      const withoutMembers = WORKSPACE.replace(
        'source = { virtual = "." }',
        'source = { git = "https://example.com/app" }',
      ).replace(
        'source = { editable = "packages/lib" }\ndependencies',
        'source = { git = "https://example.com/lib" }\ndependencies',
      );
      const packages = parseUvLock(withoutMembers, 'uv.lock');
      assert.ok(packages.length > 10);
      assert.deepEqual(
        packages.filter((pkg) => pkg.dev !== undefined).map((pkg) => pkg.name),
        [],
      );
    });
  });
});
