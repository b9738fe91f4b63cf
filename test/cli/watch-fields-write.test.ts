// `palisade watch fields --write PATH` writes the field reference, replaces one written before, and refuses to
// replace any other file: a mistyped path must not destroy someone's file.
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { runPalisade } from './cli-harness.ts';

const dir = await mkdtemp(join(tmpdir(), 'palisade-fields-'));
after(() => rm(dir, { recursive: true, force: true }));

describe('watch fields --write', () => {
  it('creates the reference, then replaces its own earlier version', async () => {
    const first = await runPalisade(['watch', 'fields', '--write', 'fields.md'], { cwd: dir });
    assert.equal(first.code, 0, first.stderr);
    const written = await readFile(join(dir, 'fields.md'), 'utf8');
    assert.match(written, /^# Detection rule fields\n/);
    assert.match(written, /\| `ka\.verb` \|/);
    await writeFile(join(dir, 'fields.md'), `${written.split('\n')[0]}\n\nan older version\n`);
    const again = await runPalisade(['watch', 'fields', '--write', 'fields.md'], { cwd: dir });
    assert.equal(again.code, 0, again.stderr);
    assert.equal(await readFile(join(dir, 'fields.md'), 'utf8'), written);
  });

  it('refuses to replace a file it did not write, and leaves it as it was', async () => {
    await writeFile(join(dir, 'notes.md'), '# my notes\n');
    const run = await runPalisade(['watch', 'fields', '--write', 'notes.md'], { cwd: dir });
    assert.equal(run.code, 2);
    assert.match(run.stderr, /notes\.md: the file exists and is not a field reference Palisade wrote/);
    assert.equal(await readFile(join(dir, 'notes.md'), 'utf8'), '# my notes\n');
  });
});
