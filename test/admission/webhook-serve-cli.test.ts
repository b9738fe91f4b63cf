// `palisade webhook serve` as a user runs it: certificates from `webhook certs`, a real TLS request, and a clean
// stop when the abort signal (SIGINT/SIGTERM in the real binary) fires.
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { request } from 'node:https';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable, Writable } from 'node:stream';
import { it } from 'node:test';
import type { CliIo } from '../../src/cli/io.ts';
import { runCli } from '../../src/cli/run-cli.ts';
import { runPalisade } from '../cli/cli-harness.ts';
import { podReview, privilegedPod } from './review-fixtures.ts';

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

it('serves over TLS until the signal aborts, then exits 0', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'palisade-serve-'));
  try {
    assert.equal((await runPalisade(['webhook', 'certs', '--out', dir, '--san', '127.0.0.1'])).code, 0);
    const port = await freePort();
    const controller = new AbortController();
    let stdout = '';
    let stderr = '';
    const io: CliIo = {
      stdout: new Writable({
        write: (chunk, _encoding, done) => {
          stdout += String(chunk);
          done();
        },
      }),
      stderr: new Writable({
        write: (chunk, _encoding, done) => {
          stderr += String(chunk);
          done();
        },
      }),
      stdin: Readable.from([]),
      cwd: dir,
      env: {},
      now: () => new Date(),
      signal: controller.signal,
    };
    const running = runCli(
      [
        'webhook',
        'serve',
        '--cert',
        'tls.crt',
        '--key',
        'tls.key',
        '--host',
        '127.0.0.1',
        '--port',
        String(port),
        '--max-body-mib',
        '4',
        '--shutdown-delay',
        '1',
      ],
      io,
    );
    while (!stdout.includes('listening')) await new Promise((resolve) => setTimeout(resolve, 20));
    const ca = await readFile(join(dir, 'ca.crt'), 'utf8');
    const call = (method: string, path: string, body?: string) =>
      new Promise<{ status: number; connection: string | undefined; text: string }>((resolve, reject) => {
        const outgoing = request(
          { host: '127.0.0.1', port, method, path, ca, headers: { 'content-type': 'application/json' } },
          (response) => {
            let text = '';
            response.on('data', (chunk) => {
              text += chunk;
            });
            response.on('end', () =>
              resolve({ status: response.statusCode ?? 0, connection: response.headers.connection, text }),
            );
          },
        );
        outgoing.on('error', reject);
        outgoing.end(body);
      });
    const review = JSON.stringify(podReview(privilegedPod()));
    const answer = await call('POST', '/validate', review);
    assert.equal(JSON.parse(answer.text).response.allowed, false);
    assert.equal((await call('GET', '/readyz')).status, 200);
    controller.abort();
    // Shutting down: not ready, but still answering (the API server may route here a little longer), and asking
    // the client to reconnect elsewhere.
    await new Promise((resolve) => setTimeout(resolve, 100));
    assert.equal((await call('GET', '/readyz')).status, 503);
    const late = await call('POST', '/validate', review);
    assert.equal(late.status, 200);
    assert.equal(late.connection, 'close');
    assert.equal(await running, 0);
    await assert.rejects(call('GET', '/healthz'), /ECONNREFUSED/);
    assert.match(stderr, /"msg":"admission decision"/);
    assert.match(stderr, /"msg":"webhook stopped"/);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

it('refuses a body budget smaller than one AdmissionReview can be', async () => {
  const run = await runPalisade(['webhook', 'serve', '--cert', 'c', '--key', 'k', '--max-body-mib', '2']);
  assert.equal(run.code, 2);
  assert.match(run.stderr, /--max-body-mib must be at least 4/);
});

/** Whether this machine has IPv6 loopback (a container may not). */
function hasIpv6Loopback(): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(0, '::1', () => server.close(() => resolve(true)));
  });
}

it('without --host it answers on IPv6 and IPv4 (an IPv6-only cluster reaches it too)', async (t) => {
  if (!(await hasIpv6Loopback())) return t.skip('no IPv6 loopback here');
  const dir = await mkdtemp(join(tmpdir(), 'palisade-serve-'));
  const controller = new AbortController();
  try {
    const certs = ['webhook', 'certs', '--out', dir, '--san', '127.0.0.1', '--san', '::1'];
    assert.equal((await runPalisade(certs)).code, 0);
    const port = await freePort();
    let stdout = '';
    const sink = () =>
      new Writable({
        write: (chunk, _encoding, done) => {
          stdout += String(chunk);
          done();
        },
      });
    const io: CliIo = {
      stdout: sink(),
      stderr: sink(),
      stdin: Readable.from([]),
      cwd: dir,
      env: {},
      now: () => new Date(),
      signal: controller.signal,
    };
    const serve = ['webhook', 'serve', '--cert', 'tls.crt', '--key', 'tls.key', '--port', String(port)];
    const running = runCli([...serve, '--shutdown-delay', '0'], io);
    while (!stdout.includes('listening on')) await new Promise((resolve) => setTimeout(resolve, 20));
    assert.match(stdout, new RegExp(`listening on https://\\[::\\]:${port}\\n`));
    const ca = await readFile(join(dir, 'ca.crt'), 'utf8');
    for (const host of ['::1', '127.0.0.1']) {
      const status = await new Promise<number>((resolve, reject) =>
        request({ host, port, path: '/healthz', ca }, (response) => {
          response.resume();
          resolve(response.statusCode ?? 0);
        })
          .on('error', reject)
          .end(),
      );
      assert.equal(status, 200, host);
    }
    controller.abort();
    assert.equal(await running, 0);
  } finally {
    controller.abort();
    await rm(dir, { recursive: true, force: true });
  }
});

it('webhook certs refuses a bad name before writing anything, and an --out that is a file clearly', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'palisade-certs-'));
  try {
    assert.equal((await runPalisade(['webhook', 'certs', '--out', dir, '--san', '127.0.0.1'])).code, 0);
    const names = ['ca.crt', 'ca.key', 'tls.crt', 'tls.key'];
    const before = await Promise.all(names.map((name) => readFile(join(dir, name), 'utf8')));
    for (const args of [
      ['--san', 'bad name'],
      ['--reuse-ca', '--san', 'bad name'],
    ]) {
      const refused = await runPalisade(['webhook', 'certs', '--out', dir, ...args]);
      assert.equal(refused.code, 2, refused.stderr);
      assert.match(refused.stderr, /bad name/);
      // The deployed caBundle's CA and its key, and the serving pair, are as they were.
      assert.deepEqual(await Promise.all(names.map((name) => readFile(join(dir, name), 'utf8'))), before);
    }
    const file = join(dir, 'ca.crt');
    for (const out of [file, join(file, 'sub')]) {
      const run = await runPalisade(['webhook', 'certs', '--out', out]);
      assert.equal(run.code, 3, run.stderr);
      assert.match(run.stderr, /cannot create directory .*ca\.crt exists and is not a directory/);
      assert.doesNotMatch(run.stderr, /internal error|\n\s+at /);
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
