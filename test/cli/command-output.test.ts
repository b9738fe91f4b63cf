import assert from 'node:assert/strict';
import { chmod, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable, Writable } from 'node:stream';
import { after, describe, it } from 'node:test';
import { writeCommandOutput } from '../../src/cli/command-output.ts';
import type { CliIo } from '../../src/cli/io.ts';

const dir = await mkdtemp(join(tmpdir(), 'palisade-output-'));
after(() => rm(dir, { recursive: true, force: true }));

function io(): CliIo {
  return {
    stdout: new Writable({ write: (_chunk, _encoding, done) => done() }),
    stderr: new Writable({ write: (_chunk, _encoding, done) => done() }),
    stdin: Readable.from([]),
    cwd: dir,
    env: {},
    now: () => new Date(),
  };
}

describe('command output files', () => {
  it('narrows an existing world-readable file before a private key goes in', async () => {
    const file = join(dir, 'secret.yaml');
    await writeFile(file, 'old');
    await chmod(file, 0o644);
    await writeCommandOutput(io(), 'secret.yaml', 'key: value\n', 0o600);
    assert.equal((await stat(file)).mode & 0o777, 0o600);
    assert.equal(await readFile(file, 'utf8'), 'key: value\n');
  });

  it('names the file it cannot write', async () => {
    await assert.rejects(
      writeCommandOutput(io(), 'missing/dir/out.json', '{}'),
      /cannot write missing\/dir\/out\.json/,
    );
  });
});
