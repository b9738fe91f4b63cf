// Ctrl-C during a command: a plain "interrupted" and exit 3, never an internal error with a stack trace.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, it } from 'node:test';
import { runPalisade } from './cli-harness.ts';

const dir = await mkdtemp(join(tmpdir(), 'palisade-interrupt-'));
after(() => rm(dir, { recursive: true, force: true }));

it('an interrupted download says "interrupted" and exits 3', async () => {
  // A mirror that accepts the request and never answers: only the interrupt ends the command.
  const server = createServer(() => {});
  await new Promise<void>((ready) => server.listen(0, '127.0.0.1', ready));
  const { port } = server.address() as { port: number };
  const controller = new AbortController();
  setTimeout(() => controller.abort(new Error('received SIGINT')), 300);
  try {
    const run = await runPalisade(
      [
        'db',
        'update',
        '--ecosystem',
        'Go',
        '--mirror',
        `http://127.0.0.1:${port}`,
        '--db',
        join(dir, 'vuln.db'),
      ],
      { signal: controller.signal, cwd: dir },
    );
    assert.equal(run.code, 3);
    assert.match(run.stderr, /palisade db: interrupted/);
    assert.doesNotMatch(run.stderr, /internal error|\n\s+at /);
  } finally {
    server.closeAllConnections();
    server.close();
  }
});

it('an interrupted scan waiting on a stdin that never ends says "interrupted" and exits 3', {
  timeout: 20_000,
}, async () => {
  // Standard input that stays open: without the interrupt the scan would wait for it forever.
  const { PassThrough } = await import('node:stream');
  const stdin = new PassThrough();
  stdin.write('apiVersion: v1\nkind: Pod\n');
  const controller = new AbortController();
  setTimeout(() => controller.abort(new Error('received SIGTERM')), 300);
  const run = await runPalisade(['scan', '-'], { stdin, signal: controller.signal, cwd: dir });
  assert.equal(run.code, 3);
  assert.match(run.stderr, /palisade scan: interrupted/);
  assert.equal(run.stdout, '');
  stdin.destroy();
});
