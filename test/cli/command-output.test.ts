import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { chmod, mkdtemp, readFile, rm, stat, symlink, writeFile } from 'node:fs/promises';
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

  it('writes pieces one after the other, replacing what the file held, through a link to a file', async () => {
    const file = join(dir, 'report.json');
    await writeFile(file, 'x'.repeat(10_000));
    await symlink(file, join(dir, 'link.json'));
    await writeCommandOutput(io(), 'link.json', ['{"a":', '1', '}\n']);
    assert.equal(await readFile(file, 'utf8'), '{"a":1}\n');
  });

  it('writes into a pipe as it is, without changing its permissions', async () => {
    const fifo = join(dir, 'pipe');
    execFileSync('mkfifo', ['-m', '0644', fifo]);
    const received = readFile(fifo, 'utf8');
    await writeCommandOutput(io(), 'pipe', ['one ', 'two\n'], 0o600);
    assert.equal(await received, 'one two\n');
    assert.equal((await stat(fifo)).mode & 0o777, 0o644);
  });

  it('refuses a directory, naming it', async () => {
    await assert.rejects(writeCommandOutput(io(), '.', '{}', 0o600), /cannot write \.: .*EISDIR/);
    assert.notEqual((await stat(dir)).mode & 0o777, 0o600);
  });

  it('waits for standard output to drain between pieces', async () => {
    const written: string[] = [];
    let waits = 0;
    const slow = new Writable({
      highWaterMark: 4,
      write: (chunk, _encoding, done) => {
        written.push(String(chunk));
        setImmediate(done);
      },
    });
    slow.on('drain', () => waits++);
    const pieces = Array.from({ length: 50 }, (_, index) => `piece ${index}\n`);
    await writeCommandOutput({ ...io(), stdout: slow }, undefined, pieces);
    await new Promise((done) => slow.end(done));
    assert.equal(written.join(''), pieces.join(''));
    assert.ok(waits >= 40, `drained ${waits} times`);
  });
});
