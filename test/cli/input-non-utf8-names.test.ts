// A manifest directory holding names that are not UTF-8: they cannot be opened by their decoded names, so each is
// reported as such (directory and escaped bytes), not as a misleading "no such file", and the rest is scanned; a
// manifest left out makes the scan incomplete (exit 3), so a CI gate cannot pass on what it never read.
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { expandInput } from '../../src/inputs/input-files.ts';
import { runPalisade } from './cli-harness.ts';

const MANIFEST = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n';

test('names that are not valid UTF-8 are reported, not read as ENOENT', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'palisade-names-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const bytes = (text: string, raw: number[]): Buffer =>
    Buffer.concat([Buffer.from(join(dir, 'in'), 'utf8'), Buffer.from(`/${text}`), Buffer.from(raw)]);
  await mkdir(join(dir, 'in'));
  await writeFile(join(dir, 'in', 'ok.yaml'), MANIFEST);
  try {
    await writeFile(Buffer.concat([bytes('inv', [0xff, 0xfe]), Buffer.from('.yaml')]), MANIFEST);
    await mkdir(bytes('sub', [0xff]));
  } catch {
    t.skip('the file system refuses names that are not UTF-8');
    return;
  }
  const expanded = await expandInput(dir, 'in', new Set());
  assert.deepEqual(expanded.sources, [{ type: 'file', path: join('in', 'ok.yaml') }]);
  assert.deepEqual(expanded.problems, [
    {
      path: join('in', 'inv\\xff\\xfe.yaml'),
      message: 'name is not valid UTF-8; not read',
      severity: 'error',
    },
    { path: join('in', 'sub\\xff'), message: 'name is not valid UTF-8; not read', severity: 'error' },
  ]);
  const run = await runPalisade(['scan', 'in', '--fail-on', 'none'], { cwd: dir });
  assert.equal(run.code, 3, run.stdout + run.stderr);
  assert.doesNotMatch(run.stdout + run.stderr, /ENOENT|no such file/);
  assert.match(run.stdout + run.stderr, /in\/inv\\xff\\xfe\.yaml: name is not valid UTF-8; not read/);
});
