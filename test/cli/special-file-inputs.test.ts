// Special files named as inputs. A link that does not resolve is a path, not an image reference. A FIFO given where a
// file is expected (an SBOM, an image archive, a rules file, a VEX document, a key) is refused
// at once: a plain read would block in open() until a writer came, and a blocked open cannot be interrupted, so
// even SIGTERM would not stop the command. Run as a real process with a time limit, so a regression fails here
// instead of hanging the suite.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';

const MAIN = join(import.meta.dirname, '..', '..', 'src', 'cli', 'main.ts');

let dir: string;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'palisade-fifo-'));
  execFileSync('mkfifo', [join(dir, 'fifo')]);
  await writeFile(join(dir, 'bom.json'), '{"bomFormat":"CycloneDX","specVersion":"1.6","components":[]}');
  await writeFile(join(dir, 'audit.jsonl'), '');
});
after(() => rm(dir, { recursive: true, force: true }));

/** The palisade executable in `dir`, killed if still running after 20 s (a blocked open ignores SIGTERM). */
function runPalisade(args: readonly string[]) {
  return spawnSync(process.execPath, [MAIN, ...args], {
    cwd: dir,
    encoding: 'utf8',
    timeout: 20_000,
    killSignal: 'SIGKILL',
    env: { ...process.env, XDG_CACHE_HOME: dir, NO_COLOR: '1' },
  });
}

describe('a link that does not resolve is a path, not an image reference', () => {
  it('sbom and scan-image refuse it without looking it up in a registry', async () => {
    await symlink('nowhere', join(dir, 'dangling'));
    await symlink('loop-b', join(dir, 'loop-a'));
    await symlink('loop-a', join(dir, 'loop-b'));
    for (const args of [
      ['sbom', 'dangling'],
      ['scan-image', 'loop-a', '--offline'],
    ]) {
      const run = runPalisade(args);
      assert.match(
        run.stderr,
        new RegExp(`${args[1]}: a symbolic link that does not resolve \\(dangling, or a loop\\)`),
      );
      assert.equal(run.status, 3, run.stderr);
    }
  });
});

describe('a FIFO in place of a file is refused, not waited on', () => {
  const cases: [string, string[], RegExp][] = [
    ['sbom', ['sbom', 'fifo'], /fifo: not a regular file \(a FIFO, socket or device\)/],
    ['scan-image', ['scan-image', 'fifo', '--offline'], /fifo: not a regular file/],
    ['scan-sbom', ['scan-sbom', 'fifo', '--db', 'none.db'], /fifo: not a regular file/],
    [
      'scan-sbom --vex',
      ['scan-sbom', 'bom.json', '--db', 'none.db', '--vex', 'fifo'],
      /--vex fifo: not a regular file/,
    ],
    ['watch validate', ['watch', 'validate', 'fifo'], /rules file fifo: not a regular file/],
    [
      'watch --rules',
      ['watch', '--rules', 'fifo', '--once', '--file', 'audit.jsonl'],
      /rules file fifo: not a regular file/,
    ],
    ['ledger verify --key', ['ledger', 'verify', 'ledger', '--key', 'fifo'], /fifo: not a regular file/],
  ];
  for (const [name, args, message] of cases)
    it(name, () => {
      const run = runPalisade(args);
      assert.equal(run.signal, null, `${name} was still running after 20 s`);
      assert.match(run.stderr, message);
      assert.equal(run.status, 3, run.stderr);
    });
});
