// `palisade db update` against local HTTP and HTTPS servers serving an OSV-style all.zip built by the test.
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import {
  createServer as createHttpServer,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { writeZip } from '../../src/image/zip-writer.ts';
import { download } from '../../src/vuln/db/download.ts';
import { runPalisade } from '../cli/cli-harness.ts';
import { FIXTURES } from './fixture-db.ts';

const OSV = join(FIXTURES, 'osv');
const npmZip = writeZip(
  readdirSync(OSV)
    .filter((name) => name.startsWith('GHSA-'))
    .map((name) => ({ name, data: readFileSync(join(OSV, name)) })),
);
const ETAG = '"npm-v1"';
const requests: Array<{ url: string; ifNoneMatch?: string }> = [];

function handler(request: IncomingMessage, response: ServerResponse): void {
  const entry: { url: string; ifNoneMatch?: string } = { url: request.url ?? '' };
  if (typeof request.headers['if-none-match'] === 'string')
    entry.ifNoneMatch = request.headers['if-none-match'];
  requests.push(entry);
  if (request.url === '/npm/all.zip') {
    if (request.headers['if-none-match'] === ETAG) {
      response.writeHead(304).end();
      return;
    }
    response
      .writeHead(200, { 'content-type': 'application/zip', etag: ETAG, 'content-length': npmZip.length })
      .end(npmZip);
    return;
  }
  if (request.url === '/moved/npm/all.zip') {
    response.writeHead(302, { location: '/npm/all.zip' }).end();
    return;
  }
  // A broken or hostile mirror: "not modified" to a request that asked nothing, and bodies that never end.
  if (request.url === '/always-304/npm/all.zip') {
    response.writeHead(304).end();
    return;
  }
  if (request.url?.startsWith('/trickle/')) {
    const huge = request.url.startsWith('/trickle/huge/');
    response.writeHead(200, {
      'content-type': 'application/zip',
      ...(huge ? { 'content-length': String(5 * 1024 ** 3) } : {}),
    });
    const timer = setInterval(() => response.write('P'), 50);
    response.on('close', () => clearInterval(timer));
    return;
  }
  if (request.url === '/broken/npm/all.zip') {
    response
      .writeHead(200, { 'content-type': 'application/zip' })
      .end(Buffer.from('PK\u0003\u0004 this is not a zip'));
    return;
  }
  response.writeHead(404).end();
}

let http: Server;
let https: Server;
let directory = '';
const base = (server: Server, scheme: string): string =>
  `${scheme}://127.0.0.1:${(server.address() as AddressInfo).port}`;

before(async () => {
  directory = mkdtempSync(join(tmpdir(), 'palisade-db-update-'));
  http = createHttpServer(handler);
  https = createHttpsServer(
    {
      key: readFileSync(join(FIXTURES, 'tls', 'server.key')),
      cert: readFileSync(join(FIXTURES, 'tls', 'server.crt')),
    },
    handler,
  );
  await Promise.all([
    new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve)),
    new Promise<void>((resolve) => https.listen(0, '127.0.0.1', resolve)),
  ]);
});
after(async () => {
  await Promise.all([
    new Promise((resolve) => http.close(resolve)),
    new Promise((resolve) => https.close(resolve)),
  ]);
  rmSync(directory, { recursive: true, force: true });
});

test('update downloads the export, imports it, then sends the ETag and skips an unchanged export', async () => {
  const db = join(directory, 'http.db');
  const first = await runPalisade([
    'db',
    'update',
    '--ecosystem',
    'npm',
    '--mirror',
    base(http, 'http'),
    '--db',
    db,
  ]);
  assert.equal(first.code, 0, first.stderr);
  assert.match(
    first.stdout,
    /npm: \d+ bytes from http:\/\/127\.0\.0\.1:\d+\/npm\/all\.zip; 6 records read: 6 new/,
  );
  // No --ecosystem: the ecosystems updated before.
  const second = await runPalisade(['db', 'update', '--mirror', base(http, 'http'), '--db', db]);
  assert.equal(second.code, 0, second.stderr);
  assert.match(second.stdout, /npm: unchanged since the last update/);
  assert.equal(requests.at(-1)?.ifNoneMatch, ETAG);
  const forced = await runPalisade(['db', 'update', '--force', '--mirror', base(http, 'http'), '--db', db]);
  assert.match(forced.stdout, /6 records read: 0 new, 0 updated, 6 unchanged/);
  const status = JSON.parse((await runPalisade(['db', 'status', '--db', db, '--format', 'json'])).stdout) as {
    sources: Array<{ name: string; etag?: string; location: string }>;
  };
  assert.equal(status.sources[0]?.name, 'osv:npm');
  assert.equal(status.sources[0]?.etag, ETAG);
});

test('PALISADE_OSV_MIRROR and redirects are followed', async () => {
  const db = join(directory, 'redirect.db');
  const run = await runPalisade(['db', 'update', '--ecosystem', 'npm', '--db', db], {
    env: { PALISADE_OSV_MIRROR: `${base(http, 'http')}/moved` },
  });
  assert.equal(run.code, 0, run.stderr);
  assert.match(run.stdout, /6 new/);
});

test('HTTPS: the certificate is verified; a mirror behind a private CA works with --ca-file', async () => {
  const db = join(directory, 'https.db');
  const untrusted = await runPalisade([
    'db',
    'update',
    '--ecosystem',
    'npm',
    '--mirror',
    base(https, 'https'),
    '--db',
    db,
  ]);
  assert.equal(untrusted.code, 3);
  assert.match(
    untrusted.stderr,
    /npm \(osv:npm\): download of https:\/\/127\.0\.0\.1:\d+\/npm\/all\.zip failed: .*(self[- ]signed|issuer|certificate)/i,
  );
  const trusted = await runPalisade([
    'db',
    'update',
    '--ecosystem',
    'npm',
    '--mirror',
    base(https, 'https'),
    '--ca-file',
    join(FIXTURES, 'tls', 'ca.crt'),
    '--db',
    db,
  ]);
  assert.equal(trusted.code, 0, trusted.stderr);
  assert.match(trusted.stdout, /6 new/);
});

test('a missing export or a broken archive is an error for that ecosystem, and nothing is half-imported', async () => {
  const db = join(directory, 'errors.db');
  const missing = await runPalisade([
    'db',
    'update',
    '--ecosystem',
    'Nope',
    '--mirror',
    base(http, 'http'),
    '--db',
    db,
  ]);
  assert.equal(missing.code, 3);
  assert.match(missing.stderr, /Nope .*HTTP 404/);
  const broken = await runPalisade([
    'db',
    'update',
    '--ecosystem',
    'npm',
    '--mirror',
    `${base(http, 'http')}/broken`,
    '--db',
    db,
  ]);
  assert.equal(broken.code, 3);
  assert.match(broken.stderr, /not a readable ZIP archive/);
  const status = JSON.parse((await runPalisade(['db', 'status', '--db', db, '--format', 'json'])).stdout) as {
    advisories: number;
  };
  assert.equal(status.advisories, 0);
  assert.deepEqual(
    readdirSync(directory).filter((name) => name.startsWith('.download-')),
    [],
  );
});

test('update without ecosystems to update is a usage error', async () => {
  const run = await runPalisade(['db', 'update', '--db', join(directory, 'empty.db')]);
  assert.equal(run.code, 2);
  assert.match(run.stderr, /--ecosystem/);
});

test('a 304 to a request that was not conditional is an error, never "unchanged" (stale data kept looking fresh)', async () => {
  const db = join(directory, 'always-304.db');
  for (const extra of [[], ['--force']]) {
    const run = await runPalisade([
      'db',
      'update',
      '--mirror',
      `${base(http, 'http')}/always-304`,
      '--ecosystem',
      'npm',
      '--db',
      db,
      ...extra,
    ]);
    assert.equal(run.code, 3, run.stdout + run.stderr);
    assert.match(run.stderr, /HTTP 304 \(not modified\) to a request that was not conditional/);
    assert.doesNotMatch(run.stdout, /unchanged since the last update/);
  }
});

test('a body over the limit or too slow is given up and its connection closed, never drained for ever', async () => {
  const destination = join(directory, 'trickle.zip');
  await assert.rejects(
    download(`${base(http, 'http')}/trickle/huge/npm/all.zip`, destination, { maxBytes: 1024 ** 3 }),
    /5368709120 bytes exceed the 1073741824-byte limit/,
  );
  // 20 bytes a second against at least 1 KiB every half second (the default is 16 KiB a minute).
  await assert.rejects(
    download(`${base(http, 'http')}/trickle/slow/npm/all.zip`, destination, {
      maxBytes: 1024 ** 3,
      minSpeed: { bytes: 1024, windowMs: 500 },
    }),
    /under 1024 bytes in 0\.5 s/,
  );
  // The server closes only once every connection has ended: `after` would wait for ever on a drained trickle.
});
