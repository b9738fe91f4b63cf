import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { makeDirectory } from './make-directory.ts';

const root = mkdtempSync(join(tmpdir(), 'palisade-mkdir-'));
after(() => rmSync(root, { recursive: true, force: true }));

test('creates the missing parents, each with the mode, and accepts what already exists', () => {
  const deep = join(root, 'a', 'b', 'c');
  makeDirectory(deep, 0o700);
  for (const path of [join(root, 'a'), join(root, 'a', 'b'), deep])
    assert.equal(statSync(path).mode & 0o777, 0o700, path);
  makeDirectory(deep, 0o700);
  mkdirSync(join(root, 'target'));
  symlinkSync(join(root, 'target'), join(root, 'link'));
  makeDirectory(join(root, 'link', 'inside'));
  assert.ok(existsSync(join(root, 'target', 'inside')));
});

test('a file in the way is a clear error naming it', () => {
  writeFileSync(join(root, 'file'), 'x');
  for (const path of [join(root, 'file'), join(root, 'file', 'sub')])
    assert.throws(
      () => makeDirectory(path),
      (error: Error & { code?: string }) =>
        error.code === 'output-unwritable' &&
        error.message.includes(`${join(root, 'file')} exists and is not a directory`),
    );
});

test('a place where nothing can be made fails at once (Node’s own recursive mkdir spins forever under /proc)', (t) => {
  if (!existsSync('/proc/self')) return t.skip('no /proc here');
  for (const path of ['/proc/palisade-x', '/proc/palisade-x/y'])
    assert.throws(
      () => makeDirectory(path),
      (error: Error & { code?: string }) =>
        error.code === 'output-unwritable' && error.message.startsWith(`cannot create directory ${path}`),
    );
});
