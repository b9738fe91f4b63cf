import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import {
  chmodSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { compileCacheDirectory } from './compile-cache.ts';

const MODULE = join(import.meta.dirname, 'compile-cache.ts');
const MAIN = join(import.meta.dirname, 'main.ts');

/** The cache is process-wide, so each case runs in a fresh Node with only the given environment. */
function outcome(env: Record<string, string>): { enabled: boolean; directory?: string; reason?: string } {
  const script = `import { enablePrivateCompileCache } from ${JSON.stringify(MODULE)};
process.stdout.write(JSON.stringify(enablePrivateCompileCache(process.env)));`;
  return JSON.parse(
    execFileSync(process.execPath, ['--input-type=module', '-e', script], {
      env: { PATH: process.env.PATH ?? '', ...env },
      encoding: 'utf8',
    }),
  );
}

const fresh = (): string => mkdtempSync(join(tmpdir(), 'palisade-compile-cache-'));
const permissions = (path: string): number => statSync(path).mode & 0o777;

test('the cache lives under XDG_CACHE_HOME, else ~/.cache; a relative XDG_CACHE_HOME is ignored', () => {
  assert.equal(
    compileCacheDirectory({ XDG_CACHE_HOME: '/x/cache', HOME: '/home/u' }),
    '/x/cache/palisade/compile-cache',
  );
  assert.equal(compileCacheDirectory({ HOME: '/home/u' }), '/home/u/.cache/palisade/compile-cache');
  assert.equal(
    compileCacheDirectory({ XDG_CACHE_HOME: 'relative', HOME: '/home/u' }),
    '/home/u/.cache/palisade/compile-cache',
  );
});

test('a missing cache directory is created private to the user, and the CLI fills it', () => {
  const home = fresh();
  const result = outcome({ XDG_CACHE_HOME: home });
  assert.equal(result.enabled, true, result.reason);
  const directory = join(home, 'palisade', 'compile-cache');
  assert.equal(permissions(directory), 0o700);
  assert.equal(permissions(join(home, 'palisade')), 0o700);

  // A real invocation leaves compiled modules behind for the next one, which still runs correctly.
  const cli = mkdtempSync(join(tmpdir(), 'palisade-compile-cache-cli-'));
  const env = { PATH: process.env.PATH ?? '', XDG_CACHE_HOME: cli };
  const first = execFileSync(process.execPath, [MAIN, 'version'], { env, encoding: 'utf8' });
  const cached = join(cli, 'palisade', 'compile-cache');
  const entries = readdirSync(cached, { recursive: true, withFileTypes: true }).filter((entry) =>
    entry.isFile(),
  );
  // The modules loaded before the cache is turned on (main, this one and what it imports) are not among them.
  assert.ok(entries.length >= 5, `expected compiled modules in ${cached}, found ${entries.length} files`);
  assert.equal(execFileSync(process.execPath, [MAIN, 'version'], { env, encoding: 'utf8' }), first);
});

test('a directory others can write, a symlink or another kind of file is never used', () => {
  const loose = fresh();
  mkdirSync(join(loose, 'palisade', 'compile-cache'), { recursive: true });
  chmodSync(join(loose, 'palisade', 'compile-cache'), 0o777);
  const looseResult = outcome({ XDG_CACHE_HOME: loose });
  assert.equal(looseResult.enabled, false);
  assert.match(looseResult.reason ?? '', /compile-cache is writable by others \(mode 777\)/);
  assert.deepEqual(readdirSync(join(loose, 'palisade', 'compile-cache')), []);

  const looseParent = fresh();
  mkdirSync(join(looseParent, 'palisade'));
  chmodSync(join(looseParent, 'palisade'), 0o775);
  assert.match(outcome({ XDG_CACHE_HOME: looseParent }).reason ?? '', /palisade is writable by others/);

  const linked = fresh();
  mkdirSync(join(linked, 'elsewhere'), { mode: 0o700 });
  mkdirSync(join(linked, 'palisade'), { mode: 0o700 });
  symlinkSync(join(linked, 'elsewhere'), join(linked, 'palisade', 'compile-cache'));
  assert.match(outcome({ XDG_CACHE_HOME: linked }).reason ?? '', /compile-cache is a symbolic link/);

  const file = fresh();
  writeFileSync(join(file, 'palisade'), 'not a directory');
  assert.match(outcome({ XDG_CACHE_HOME: file }).reason ?? '', /cannot create .*palisade\/compile-cache/);
});

test('PALISADE_NO_COMPILE_CACHE=1 and NODE_DISABLE_COMPILE_CACHE=1 turn the cache off', () => {
  for (const variable of ['PALISADE_NO_COMPILE_CACHE', 'NODE_DISABLE_COMPILE_CACHE']) {
    const home = fresh();
    assert.deepEqual(outcome({ XDG_CACHE_HOME: home, [variable]: '1' }), {
      enabled: false,
      reason: 'turned off by the environment',
    });
    assert.deepEqual(readdirSync(home), []);
  }
});

test('a cache the user placed with NODE_COMPILE_CACHE is kept, and no directory of ours is made', () => {
  const home = fresh();
  const chosen = join(fresh(), 'chosen');
  const result = outcome({ XDG_CACHE_HOME: home, NODE_COMPILE_CACHE: chosen });
  assert.equal(result.enabled, true, result.reason);
  assert.ok(result.directory?.startsWith(`${chosen}/`), result.directory);
  assert.deepEqual(readdirSync(home), []);
});
