import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseUvLock, uvLockReader } from './python-locks.ts';
import { readTomlTables } from './toml-tables.ts';

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
        ['pkg:pypi/anyio@4.6.2.post1', 4, undefined],
        ['pkg:pypi/private-lib@1.2.0', 37, undefined],
        ['pkg:pypi/idna@3.10', 42, undefined],
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
});
