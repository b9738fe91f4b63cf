// The directory walk reports what it cannot walk (names that are not UTF-8, subtrees nested too deep, symlinked
// lockfiles pointing outside) and goes on; it never aborts the scan or drops entries unseen.
import assert from 'node:assert/strict';
import { mkdir, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { MAX_DEPTH, type WalkedFile, walkDirectory } from '../../src/image/directory-walk.ts';
import { scanTarget } from '../../src/image/index.ts';
import type { InventoryIssue } from '../../src/image/inventory-issue.ts';
import { parsePlatform } from '../../src/image/platform.ts';
import { tempDir } from './temp-dir.ts';

async function walk(
  root: string,
): Promise<{ files: string[]; issues: InventoryIssue[]; seen: InventoryIssue[] }> {
  const files: string[] = [];
  const seen: InventoryIssue[] = [];
  const issues = await walkDirectory(root, {
    file: (file: WalkedFile) => {
      files.push(file.path);
    },
    link: () => {},
    issue: (issue) => seen.push(issue),
  });
  return { files, issues, seen };
}

const LOCK = JSON.stringify({ lockfileVersion: 3, packages: { 'node_modules/ms': { version: '2.1.3' } } });

describe('walkDirectory', () => {
  it('reports a subtree nested deeper than the limit and goes on with the rest', async (t) => {
    const dir = await tempDir(t);
    const levels = Array.from({ length: MAX_DEPTH + 2 }, () => 'd');
    await mkdir(join(dir, ...levels), { recursive: true });
    await writeFile(join(dir, ...levels, 'package-lock.json'), LOCK);
    await writeFile(join(dir, 'package-lock.json'), LOCK);
    const { files, issues, seen } = await walk(dir);
    assert.deepEqual(files, ['package-lock.json']);
    assert.equal(issues.length, 1);
    assert.deepEqual(seen, issues);
    assert.equal(issues[0]?.path, levels.slice(0, MAX_DEPTH + 1).join('/'));
    assert.match(issues[0]!.message, /directory nested deeper than 128 levels: its contents are not read$/);
    // The scan itself completes (it used to abort as a whole).
    const { inventory } = await scanTarget(dir, { cwd: '/', platform: parsePlatform('linux/amd64') });
    assert.deepEqual(
      inventory.packages.map((pkg) => pkg.purl),
      ['pkg:npm/ms@2.1.3'],
    );
    // And says what it left out.
    assert.ok(
      inventory.issues.some((issue) => /nested deeper than 128 levels/.test(issue.message)),
      JSON.stringify(inventory.issues),
    );
  });

  it('reports entries whose names are not UTF-8, with the bytes escaped', async (t) => {
    const dir = await tempDir(t);
    await writeFile(Buffer.concat([Buffer.from(`${dir}/f`), Buffer.from([0xff]), Buffer.from('.txt')]), 'x');
    const subdir = Buffer.concat([Buffer.from(`${dir}/sub/d`), Buffer.from([0xfe, 0x1b])]);
    await mkdir(join(dir, 'sub'));
    await mkdir(subdir);
    await writeFile(Buffer.concat([subdir, Buffer.from('/package-lock.json')]), LOCK);
    await writeFile(join(dir, 'ok.txt'), 'x');
    const { files, issues } = await walk(dir);
    assert.deepEqual(files, ['ok.txt']);
    assert.deepEqual(
      issues.map((issue) => [issue.path, issue.message]),
      [
        ['.', '.: entry "f\\xff.txt" not read: its name is not valid UTF-8'],
        ['sub', 'sub: directory (and everything in it) "d\\xfe\\x1b" not read: its name is not valid UTF-8'],
      ],
    );
  });

  it('follows a symlinked lockfile only inside the directory, and reports the others', async (t) => {
    const outside = await tempDir(t);
    await writeFile(join(outside, 'package-lock.json'), LOCK);
    const dir = await tempDir(t);
    await mkdir(join(dir, 'out'));
    await mkdir(join(dir, 'gone'));
    await mkdir(join(dir, 'in'));
    await writeFile(join(dir, 'real.json'), LOCK);
    await symlink(join(outside, 'package-lock.json'), join(dir, 'out', 'package-lock.json'));
    await symlink('missing.json', join(dir, 'gone', 'yarn.lock'));
    await symlink('../real.json', join(dir, 'in', 'package-lock.json'));
    // Links that are not lockfiles are recorded as links, as before: no issue for them.
    await symlink('/etc', join(dir, 'etc'));
    const { files, issues } = await walk(dir);
    assert.deepEqual(files, ['in/package-lock.json', 'real.json']);
    assert.deepEqual(
      issues.map((issue) => issue.message),
      [
        'gone/yarn.lock: symlinked lockfile not read: it does not resolve (ENOENT)',
        'out/package-lock.json: symlinked lockfile not read: it points outside the scanned directory',
      ],
    );
  });
});
