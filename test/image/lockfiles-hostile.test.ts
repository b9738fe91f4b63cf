// Lockfiles that are huge, hostile, truncated, oddly encoded or of the wrong shape: each is read in linear time
// or reported (file and line), never a crash, a hang or a silent skip.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdir, symlink, truncate, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it, type TestContext } from 'node:test';
import { scanTarget } from '../../src/image/index.ts';
import type { PackageInventory } from '../../src/image/package.ts';
import { parsePlatform } from '../../src/image/platform.ts';
import { tempDir } from './temp-dir.ts';

async function scanFiles(t: TestContext, files: Record<string, string | Buffer>): Promise<PackageInventory> {
  const dir = await tempDir(t);
  for (const [path, content] of Object.entries(files)) {
    await mkdir(join(dir, path, '..'), { recursive: true });
    await writeFile(join(dir, path), content);
  }
  return (await scanTarget(dir, { cwd: '/', platform: parsePlatform('linux/amd64') })).inventory;
}

const purls = (inventory: PackageInventory): string[] => inventory.packages.map((pkg) => pkg.purl);
const messages = (inventory: PackageInventory): string[] => inventory.issues.map((issue) => issue.message);

describe('lockfiles at scale', () => {
  it('reads 200k packages of one package-lock.json (no stack overflow spreading them)', {
    timeout: 60_000,
  }, async (t) => {
    const packages: Record<string, unknown> = { '': { name: 'big' } };
    for (let i = 0; i < 200_000; i++) packages[`node_modules/p${i}`] = { version: '1.0.0' };
    const inventory = await scanFiles(t, {
      'package-lock.json': JSON.stringify({ lockfileVersion: 3, packages }),
    });
    assert.deepEqual(inventory.issues, []);
    assert.equal(inventory.packages.length, 200_000);
  });

  it('reads a go.mod of 200k requirements in one pass, with the right line numbers', {
    timeout: 60_000,
  }, async (t) => {
    const lines = Array.from({ length: 200_000 }, (_, i) => `\tgithub.com/a/m${i} v1.0.${i}`);
    const inventory = await scanFiles(t, {
      'go.mod': `module x\n\ngo 1.21\n\nrequire (\n${lines.join('\n')}\n)\n`,
    });
    assert.equal(inventory.packages.length, 200_000);
    const last = inventory.packages.find((pkg) => pkg.purl === 'pkg:golang/github.com/a/m199999@v1.0.199999');
    assert.deepEqual(last?.locations, [{ path: 'go.mod', line: 200_005 }]);
  });

  it('reports an unclosed go.mod block, even 200k "require (" lines of one, in linear time', {
    timeout: 60_000,
  }, async (t) => {
    const truncated = await scanFiles(t, {
      'go.mod': 'module x\n\nrequire (\n\tgithub.com/a/b v1.2.3\n\tgithub.com/c/d v0.1.0',
    });
    assert.deepEqual(purls(truncated), [
      'pkg:golang/github.com/a/b@v1.2.3',
      'pkg:golang/github.com/c/d@v0.1.0',
    ]);
    assert.match(messages(truncated).join('\n'), /^go\.mod:3: "require \(" block is not closed/m);
    const hostile = await scanFiles(t, { 'go.mod': 'require (\n'.repeat(200_000) });
    assert.deepEqual(purls(hostile), []);
    assert.match(messages(hostile).join('\n'), /^go\.mod:1: "require \(" block is not closed/m);
    assert.ok(hostile.issues.length <= 25, 'warnings per file are capped');
  });

  it('reads a pom.xml of 150k dependencies with their lines, in one pass', { timeout: 60_000 }, async (t) => {
    const dependencies = Array.from(
      { length: 150_000 },
      (_, i) =>
        `<dependency><groupId>g</groupId><artifactId>a${i}</artifactId><version>1.${i}</version></dependency>`,
    );
    const inventory = await scanFiles(t, {
      'pom.xml': `<project>\n<dependencies>\n${dependencies.join('\n')}\n</dependencies>\n</project>\n`,
    });
    assert.equal(inventory.packages.length, 150_000);
    assert.deepEqual(inventory.packages.find((pkg) => pkg.name === 'a149999')?.locations, [
      { path: 'pom.xml', line: 150_002 },
    ]);
  });

  it('reports a hostile pom.xml (200k unclosed <dependencies>, unclosed comments) in linear time', {
    timeout: 60_000,
  }, async (t) => {
    const inventory = await scanFiles(t, {
      'a/pom.xml': `<project>${'<dependencies>'.repeat(200_000)}`,
      'b/pom.xml': `<project>${'<!--'.repeat(200_000)}`,
    });
    assert.deepEqual(inventory.packages, []);
    const text = messages(inventory).join('\n');
    assert.match(text, /a\/pom\.xml: ends inside <dependencies> \(opened at line 1\).*truncated/);
    assert.match(text, /b\/pom\.xml:1: comment is not closed by "-->"/);
  });

  it('reads what a truncated pom.xml declares before the cut, and says where it was cut', async (t) => {
    const inventory = await scanFiles(t, {
      'pom.xml':
        '<project>\n<dependencies>\n<dependency><groupId>g</groupId><artifactId>whole</artifactId><version>1.0</version></dependency>\n<dependency><groupId>g</groupId><artifactId>cut</artifactId><vers',
    });
    assert.deepEqual(purls(inventory), ['pkg:maven/g/whole@1.0']);
    assert.match(messages(inventory).join('\n'), /pom\.xml: ends inside <dependency> \(opened at line 4\)/);
  });
});

describe('lockfile encodings and line endings', () => {
  const lock = JSON.stringify({
    lockfileVersion: 3,
    packages: { 'node_modules/left-pad': { version: '1.3.0' } },
  });
  const composer = JSON.stringify({ packages: [{ name: 'monolog/monolog', version: '3.5.0' }] });
  const utf16 = (text: string, bigEndian: boolean): Buffer => {
    const le = Buffer.from(`\ufeff${text}`, 'utf16le');
    return bigEndian ? le.swap16() : le;
  };

  it('reads JSON lockfiles with a UTF-8 byte-order mark, and UTF-16 ones (LE and BE)', async (t) => {
    const inventory = await scanFiles(t, {
      'bom8/package-lock.json': `\ufeff${lock}`,
      'bom8/composer.lock': `\ufeff${composer}`,
      'le/package-lock.json': utf16(lock, false),
      'be/composer.lock': utf16(composer, true),
    });
    assert.deepEqual(inventory.issues, []);
    assert.deepEqual(purls(inventory), ['pkg:composer/monolog/monolog@3.5.0', 'pkg:npm/left-pad@1.3.0']);
    assert.equal(inventory.packages[1]?.locations.length, 2);
  });

  it('reads CRLF Gemfile.lock and requirements.txt (with continuation lines)', async (t) => {
    const inventory = await scanFiles(t, {
      'Gemfile.lock':
        'GEM\r\n  remote: https://rubygems.org/\r\n  specs:\r\n    rack (3.0.8)\r\n\r\nPLATFORMS\r\n  ruby\r\n',
      'requirements.txt': 'numpy==1.26.2 \\\r\n    --hash=sha256:abc\r\nflask==3.0.0\r\n',
    });
    assert.deepEqual(inventory.issues, []);
    assert.deepEqual(purls(inventory), [
      'pkg:gem/rack@3.0.8',
      'pkg:pypi/flask@3.0.0',
      'pkg:pypi/numpy@1.26.2',
    ]);
    assert.deepEqual(inventory.packages[1]?.locations, [{ path: 'requirements.txt', line: 3 }]);
  });

  it('warns about Gemfile.lock specs that do not read `name (version)`, instead of leaving them out unseen', async (t) => {
    const inventory = await scanFiles(t, {
      'Gemfile.lock':
        'GEM\n  remote: https://rubygems.org/\n  specs:\n    rack (2.0.4\n    actionpack 5.2.0\n    rake (13.1.0)\n      minitest (>= 5.1)\n',
    });
    assert.deepEqual(purls(inventory), ['pkg:gem/rake@13.1.0']);
    assert.deepEqual(messages(inventory), [
      'Gemfile.lock:4: not a `name (version)` spec: left out',
      'Gemfile.lock:5: not a `name (version)` spec: left out',
    ]);
  });

  it('says a lockfile that is a FIFO is not read (reading it would block), and reads the others', async (t) => {
    const dir = await tempDir(t);
    await writeFile(join(dir, 'go.mod'), 'module x\n\ngo 1.21\n\nrequire github.com/pkg/errors v0.9.1\n');
    execFileSync('mkfifo', [join(dir, 'package-lock.json')]);
    const { inventory } = await scanTarget(dir, { cwd: dir, platform: parsePlatform('linux/amd64') });
    assert.deepEqual(purls(inventory), ['pkg:golang/github.com/pkg/errors@v0.9.1']);
    assert.deepEqual(messages(inventory), [
      'package-lock.json: not read: not a regular file (a FIFO, socket or device)',
    ]);
  });

  it('reads requirements.txt lines as pip splits them (CR alone, form feed) and warns about pins pip refuses', async (t) => {
    const inventory = await scanFiles(t, {
      'a/requirements.txt': 'requests==2.30.0\rdjango==4.2.7\r',
      'b/requirements.txt':
        'flask==3.0.0\fnumpy==1.26.2 # pinned\nurllib3==2.0.0#pinned for a CVE\nx==1.0\u0000\nrange==1.*\nclauses==1.0,<2\n',
      // pip reads a last line that ends in a backslash, and `===` with any text (arbitrary equality).
      'c/requirements.txt': 'odd===1.0:abc\nsix==1.16.0\\',
    });
    assert.deepEqual(purls(inventory), [
      'pkg:pypi/django@4.2.7',
      'pkg:pypi/flask@3.0.0',
      'pkg:pypi/numpy@1.26.2',
      'pkg:pypi/requests@2.30.0',
      'pkg:pypi/six@1.16.0',
    ]);
    assert.deepEqual(inventory.packages[0]?.locations, [{ path: 'a/requirements.txt', line: 2 }]);
    // pip takes `#` as a comment only after whitespace; a range or a wildcard pins nothing and is not an error.
    assert.deepEqual(messages(inventory), [
      'b/requirements.txt:3: "urllib3==2.0.0#pinned for a CVE": not a requirement pip reads, left out',
      'b/requirements.txt:4: "x==1.0\\u0000": not a requirement pip reads, left out',
    ]);
  });

  it('refuses a TOML key defined twice and never takes a number for a version string', async (t) => {
    const registry = 'source = "registry+https://github.com/rust-lang/crates.io-index"';
    const inventory = await scanFiles(t, {
      'Cargo.lock': `[[package]]\nname = "regex"\nversion = "1.5.4"\nversion = "1.5.5"\n${registry}\n\n[[package]]\nname = "smallvec"\nversion = 1\n${registry}\n`,
    });
    assert.deepEqual(purls(inventory), ['pkg:cargo/regex@1.5.4']);
    assert.deepEqual(messages(inventory), [
      'Cargo.lock:4: key "version" is defined twice in this table: the second value is ignored',
      'Cargo.lock:7: [[package]] without a name or version string is left out',
    ]);
    // The ignored value is still read to its end: a multi-line string holding TOML is not taken for a package,
    // and a quoted dotted key is another key than the bare dotted one.
    const multiline = await scanFiles(t, {
      'Cargo.lock': `[[package]]\nname = "a"\nversion = "1.0.0"\ndescription = "x"\ndescription = """\n[[package]]\nname = "evil"\nversion = "6.6.6"\n${registry}\n"""\n"x.y" = "1"\nx.y = "2"\n${registry}\n`,
    });
    assert.deepEqual(purls(multiline), ['pkg:cargo/a@1.0.0']);
    assert.deepEqual(messages(multiline), [
      'Cargo.lock:5: key "description" is defined twice in this table: the second value is ignored',
    ]);
  });

  it('warns about bytes that are not UTF-8, naming the line, and reads the rest', async (t) => {
    const inventory = await scanFiles(t, {
      'requirements.txt': Buffer.concat([
        Buffer.from('django==4.2.7\n# caf'),
        Buffer.from([0xe9]),
        Buffer.from('\nflask==3.0.0\n'),
      ]),
    });
    assert.deepEqual(purls(inventory), ['pkg:pypi/django@4.2.7', 'pkg:pypi/flask@3.0.0']);
    assert.match(
      messages(inventory).join('\n'),
      /requirements\.txt: not valid UTF-8 \(first bad byte 0xe9 at line 2/,
    );
  });

  it('reports a lockfile of 64 MiB or more as not read, naming the file and the limit', async (t) => {
    const dir = await tempDir(t);
    await writeFile(join(dir, 'package-lock.json'), lock);
    await truncate(join(dir, 'package-lock.json'), 64 * 1024 * 1024);
    const { inventory } = await scanTarget(dir, { cwd: '/', platform: parsePlatform('linux/amd64') });
    assert.deepEqual(purls(inventory), []);
    assert.equal(inventory.issues.length, 1);
    assert.equal(inventory.issues[0]?.severity, 'error');
    assert.match(
      inventory.issues[0]!.message,
      /^package-lock\.json: not read: 67108864 bytes, the limit .* is 67108864 bytes/,
    );
  });
});

describe('lockfile shapes and syntax', () => {
  it('parse errors give the reason and position, never the text around it (it may hold a token)', async (t) => {
    const inventory = await scanFiles(t, {
      'pnpm-lock.yaml': "lockfileVersion: '9.0'\npackages:\n  foo@1.0.0:\n    token: SECRET-TOKEN\n  - bad\n",
      'package-lock.json': '["SECRET-TOKEN",]',
    });
    const text = messages(inventory).join('\n');
    assert.doesNotMatch(text, /SECRET/);
    assert.match(
      text,
      /pnpm-lock\.yaml: not read: invalid YAML: bad indentation of a mapping entry at line 5, column 3/,
    );
    assert.match(text, /package-lock\.json: not read: invalid JSON: Unexpected token/);
    assert.ok(inventory.issues.every((issue) => issue.severity === 'error'));
  });

  it('reads npm v1 dependencies nested at any depth (no level dropped past 64)', async (t) => {
    let dependencies: Record<string, unknown> = { deepest: { version: '9.9.9' } };
    for (let level = 99; level >= 0; level--)
      dependencies = { [`level${level}`]: { version: '1.0.0', dependencies } };
    const inventory = await scanFiles(t, {
      'package-lock.json': JSON.stringify({ lockfileVersion: 1, dependencies }),
    });
    assert.deepEqual(inventory.issues, []);
    assert.equal(inventory.packages.length, 101);
    assert.ok(purls(inventory).includes('pkg:npm/deepest@9.9.9'));
    assert.equal(inventory.packages.find((pkg) => pkg.name === 'level0')?.direct, true);
    assert.equal(inventory.packages.find((pkg) => pkg.name === 'level1')?.direct, false);
  });

  it('reports entries of the wrong type with their JSON path, and reads the others', async (t) => {
    const inventory = await scanFiles(t, {
      'npm/package-lock.json': JSON.stringify({
        lockfileVersion: 3,
        packages: {
          'node_modules/good': { version: '1.0.0' },
          'node_modules/numeric': { version: 5 },
          'node_modules/string': 'x',
        },
      }),
      'v1/package-lock.json': JSON.stringify({
        lockfileVersion: 1,
        dependencies: { ok: { version: '2.0.0', dependencies: [1] }, bad: { version: null } },
      }),
      'php/composer.lock': JSON.stringify({
        packages: { name: 'a/b' },
        'packages-dev': [{ name: 'c/d', version: 1 }],
      }),
      'dotnet/packages.lock.json': JSON.stringify({
        dependencies: { 'net8.0': { Lib: { type: 'Direct', resolved: 3 } } },
      }),
      'py/Pipfile.lock': JSON.stringify({ default: [], develop: { black: 'x' } }),
    });
    assert.deepEqual(purls(inventory), ['pkg:npm/good@1.0.0', 'pkg:npm/ok@2.0.0']);
    assert.deepEqual(messages(inventory).sort(), [
      'dotnet/packages.lock.json: dependencies["net8.0"].Lib.resolved: expected a version string, got a number',
      'npm/package-lock.json: packages["node_modules/numeric"].version: expected a version string, got a number',
      'npm/package-lock.json: packages["node_modules/string"]: expected an object, got a string',
      'php/composer.lock: packages-dev[0]: expected an object with "vendor/name" and version strings, got name a string and version a number',
      'php/composer.lock: packages: expected an array, got an object',
      'py/Pipfile.lock: default: expected an object, got an array',
      'py/Pipfile.lock: develop.black: expected an object, got a string',
      'v1/package-lock.json: dependencies.bad.version: expected a string, got null',
      'v1/package-lock.json: dependencies.ok.dependencies: expected an object, got an array',
    ]);
    assert.ok(inventory.issues.every((issue) => issue.severity === 'warning'));
  });

  it('reads TOML strings as TOML does: multi-line, literal, escaped, brackets inside arrays', async (t) => {
    const inventory = await scanFiles(t, {
      'poetry.lock': [
        '[[package]]',
        "name = 'attrs'",
        'version = "23.1.0"',
        'description = """',
        'Not a table:',
        '[[package]]',
        'name = "evil"',
        'version = "6.6.6"',
        '"""',
        "extras = ['''",
        "[[package]]''', \"]\"]",
        '',
        '[[package]]',
        'name = "quo\\"ted\\u0041"',
        'version = "1.0" # a comment',
        '',
        '[package.dependencies]',
        'x = {version = "]", optional = true}',
        '',
        '[[package]]',
        'name = "after"',
        'version = "2.0"',
      ].join('\n'),
      'Cargo.lock': [
        '[[package]]',
        'name = "serde"',
        'version = "1.0.193"',
        'source = "registry+https://github.com/rust-lang/crates.io-index"',
        'dependencies = [',
        ' "odd]name",',
        ']',
        '',
        '[[package]]',
        "name = 'anyhow'",
        "version = '1.0.75'",
        "source = 'registry+x'",
      ].join('\n'),
    });
    assert.deepEqual(inventory.issues, []);
    assert.deepEqual(purls(inventory), [
      'pkg:cargo/anyhow@1.0.75',
      'pkg:cargo/serde@1.0.193',
      'pkg:pypi/after@2.0',
      'pkg:pypi/attrs@23.1.0',
      'pkg:pypi/quo%22teda@1.0',
    ]);
  });

  it('reports an unclosed one-line TOML string with its line, and reads on from the next line', async (t) => {
    const inventory = await scanFiles(t, {
      'poetry.lock':
        '[[package]]\nname = "attrs"\nversion = "23.1.0"\n\n[[package]]\nname = "cut\n\n' +
        '[[package]]\nname = "urllib3"\nversion = "1.26.5"\ndescription = "unterminated\n\n' +
        '[[package]]\nname = "six"\nversion = "1.16.0"\n',
      'Cargo.lock':
        'version = 3\n\n[[package]]\nname = "rand"\nversion = "0.8.5"\nsource = "registry+https://github.com/rust-lang/crates.io-index\n\n[[package]]\nname = "libc"\nversion = "0.2.150"\nsource = "registry+https://github.com/rust-lang/crates.io-index"\n',
    });
    assert.deepEqual(purls(inventory), [
      'pkg:cargo/libc@0.2.150',
      'pkg:pypi/attrs@23.1.0',
      'pkg:pypi/six@1.16.0',
      'pkg:pypi/urllib3@1.26.5',
    ]);
    const text = messages(inventory).join('\n');
    assert.match(text, /poetry\.lock:6: string is not closed on its line/);
    assert.match(text, /poetry\.lock:11: string is not closed on its line/);
    assert.match(text, /Cargo\.lock:6: string is not closed on its line/);
  });

  it('stops at an unclosed multi-line TOML string: nothing after it can be trusted', async (t) => {
    const inventory = await scanFiles(t, {
      'poetry.lock':
        '[[package]]\nname = "attrs"\nversion = "23.1.0"\ndescription = """cut\n\n[[package]]\nname = "six"\nversion = "1.16.0"\n',
    });
    assert.deepEqual(purls(inventory), ['pkg:pypi/attrs@23.1.0']);
    assert.match(messages(inventory).join('\n'), /poetry\.lock:4: multi-line string is not closed/);
  });

  it('reads a symlinked lockfile that points inside the scanned directory', async (t) => {
    const dir = await tempDir(t);
    await mkdir(join(dir, 'shared'));
    await mkdir(join(dir, 'app'));
    await writeFile(
      join(dir, 'shared', 'lock.json'),
      JSON.stringify({ lockfileVersion: 3, packages: { 'node_modules/ms': { version: '2.1.3' } } }),
    );
    await symlink('../shared/lock.json', join(dir, 'app', 'package-lock.json'));
    const { inventory } = await scanTarget(dir, { cwd: '/', platform: parsePlatform('linux/amd64') });
    assert.deepEqual(inventory.issues, []);
    assert.deepEqual(inventory.packages[0]?.locations, [{ path: 'app/package-lock.json' }]);
  });
});

describe('lockfiles committed in the middle of a merge', () => {
  it('reads the packages of both sides and names the conflict, as yarn does', async (t) => {
    const inventory = await scanFiles(t, {
      'yarn.lock':
        '# yarn lockfile v1\n\nminimist@^1.2.0:\n<<<<<<< HEAD\n  version "1.2.8"\n=======\n  version "1.2.5"\n>>>>>>> main\n',
      'ruby/Gemfile.lock': [
        'GEM',
        '  remote: https://rubygems.org/',
        '  specs:',
        '    actioncable (7.0.8)',
        '<<<<<<< HEAD',
        '    rack (2.2.8)',
        '||||||| base',
        '    rack (2.2.6)',
        '=======',
        '    rack (2.2.7)',
        '>>>>>>> other',
        '    rails (7.0.8)',
        '',
        'DEPENDENCIES',
        '  rails',
        '',
      ].join('\n'),
    });
    assert.deepEqual(purls(inventory), [
      'pkg:gem/actioncable@7.0.8',
      'pkg:gem/rack@2.2.7',
      'pkg:gem/rack@2.2.8',
      'pkg:gem/rails@7.0.8',
      'pkg:npm/minimist@1.2.5',
      'pkg:npm/minimist@1.2.8',
    ]);
    assert.deepEqual(
      messages(inventory)
        .map((message) => message.replace(/: merge conflict markers.*/, ''))
        .sort(),
      ['ruby/Gemfile.lock:5', 'yarn.lock:4'],
    );
  });
});

describe('go.sum lines', () => {
  it('only "module version hash" lines are modules; any other line is named, never a package', async (t) => {
    const inventory = await scanFiles(t, {
      'go.sum': [
        'github.com/c/d v1.0.0 h1:AAAA=',
        'github.com/c/d v1.0.0/go.mod h1:BBBB=',
        'this is not a lockfile',
        'github.com/e/f v1.2.0',
        '',
      ].join('\n'),
    });
    assert.deepEqual(purls(inventory), ['pkg:golang/github.com/c/d@v1.0.0']);
    assert.deepEqual(messages(inventory), [
      'go.sum:3: not a go.sum line (module, version and hash): left out',
      'go.sum:4: not a go.sum line (module, version and hash): left out',
    ]);
  });
});

describe('files named as lockfiles that are not of their format', () => {
  it('are named, never read as an empty project', async (t) => {
    const inventory = await scanFiles(t, {
      'a/yarn.lock': 'this is not a lockfile\n',
      'b/Gemfile.lock': 'this is not a lockfile\n',
      'c/go.mod': 'module example.com/x\n\nmodul example.com/y\n',
      'd/package-lock.json': '{}',
      'e/composer.lock': '{}',
      // Legitimately empty: no warning.
      'f/package-lock.json': JSON.stringify({ name: 'f', lockfileVersion: 1, requires: true }),
      'g/go.mod': 'module example.com/g\n\ngo 1.22\n\ntoolchain go1.22.1\n',
    });
    assert.deepEqual(purls(inventory), []);
    assert.deepEqual(messages(inventory).sort(), [
      'a/yarn.lock:1: not a yarn.lock entry (patterns ending with ":"): left out',
      'b/Gemfile.lock:1: not a Gemfile.lock section: its lines are left out',
      'c/go.mod:3: unknown directive: not a go.mod line (cmd/go refuses the file)',
      'd/package-lock.json: no lockfileVersion, packages or dependencies: not a package-lock.json',
      'e/composer.lock: no packages or packages-dev: not a composer.lock',
    ]);
  });
});
