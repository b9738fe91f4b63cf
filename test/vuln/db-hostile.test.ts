// `palisade db import|update` with hostile input: mirror passwords, terminal escapes in names, invalid records in a
// download, non-UTF-8 JSON, and a symbolic link as the path the user named.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { writeZip } from '../../src/image/zip-writer.ts';
import { AdvisoryDatabase } from '../../src/vuln/db/database.ts';
import { importOsv } from '../../src/vuln/db/import.ts';
import { runPalisade } from '../cli/cli-harness.ts';

const NOW = new Date('2026-11-22T12:00:00Z');
const PASSWORD = 's3cretpw';
const ESC = '\u001b';

function record(id: string): string {
  return JSON.stringify({
    id,
    modified: '2024-01-01T00:00:00Z',
    affected: [
      {
        package: { ecosystem: 'npm', name: 'pkg' },
        ranges: [{ type: 'SEMVER', events: [{ introduced: '0' }, { fixed: '1.0.0' }] }],
      },
    ],
  });
}

const goodZip = writeZip([{ name: 'GOOD-1.json', data: record('GHSA-good-0001') }]);
const hostileZip = writeZip([
  { name: 'GOOD-1.json', data: record('GHSA-good-0001') },
  { name: `EVIL${ESC}[31m${ESC}]0;pwned\u0007.json`, data: '{"hello": "world"}' },
]);
const authorizations: Array<string | undefined> = [];

function handler(request: IncomingMessage, response: ServerResponse): void {
  authorizations.push(request.headers.authorization);
  const body =
    request.url === '/npm/all.zip'
      ? goodZip
      : request.url === '/hostile/npm/all.zip'
        ? hostileZip
        : request.url === '/truncated/npm/all.zip'
          ? goodZip.subarray(0, goodZip.length - 30)
          : undefined;
  if (body === undefined) {
    response.writeHead(404).end();
    return;
  }
  // The hostile export carries a validator, as real mirrors do: an update may ask whether it changed.
  const etag = body === hostileZip ? '"hostile-1"' : undefined;
  if (etag !== undefined && request.headers['if-none-match'] === etag) {
    response.writeHead(304).end();
    return;
  }
  response
    .writeHead(200, {
      'content-type': 'application/zip',
      'content-length': body.length,
      ...(etag === undefined ? {} : { etag }),
    })
    .end(body);
}

let server: Server;
let directory = '';
const mirror = (path = ''): string =>
  `http://user:${PASSWORD}@127.0.0.1:${(server.address() as AddressInfo).port}${path}`;

/** `palisade db update` of the npm export from the mirror at `path`, into `db`. */
const update = (path: string, db: string) =>
  runPalisade(['db', 'update', '--ecosystem', 'npm', '--mirror', mirror(path), '--db', db]);

before(async () => {
  directory = mkdtempSync(join(tmpdir(), 'palisade-db-hostile-'));
  server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
});
after(async () => {
  await new Promise((resolve) => server.close(resolve));
  rmSync(directory, { recursive: true, force: true });
});

test('a mirror password is used for the request but never printed or stored', async () => {
  const db = join(directory, 'secret.db');
  const run = await update('', db);
  assert.equal(run.code, 0, run.stderr);
  assert.equal(authorizations.at(-1), `Basic ${Buffer.from(`user:${PASSWORD}`).toString('base64')}`);
  assert.match(run.stdout, /bytes from http:\/\/\*\*\*@127\.0\.0\.1:\d+\/npm\/all\.zip/);
  assert.doesNotMatch(run.stdout + run.stderr, new RegExp(PASSWORD));
  for (const format of ['json', 'table']) {
    const status = await runPalisade(['db', 'status', '--db', db, '--format', format]);
    assert.equal(status.code, 0, status.stderr);
    assert.match(status.stdout, /\*\*\*@127\.0\.0\.1/);
    assert.doesNotMatch(status.stdout, new RegExp(PASSWORD));
  }
  const stored = AdvisoryDatabase.open(db, { create: false });
  try {
    assert.doesNotMatch(JSON.stringify(stored.sources()), new RegExp(PASSWORD));
  } finally {
    stored.close();
  }
  const missing = await update('/nothing-here', db);
  assert.equal(missing.code, 3);
  assert.match(missing.stderr, /HTTP 404/);
  assert.doesNotMatch(missing.stdout + missing.stderr, new RegExp(PASSWORD));
});

test('update with invalid records exits 3 like import, naming the URL and escaping entry names', async () => {
  const db = join(directory, 'hostile.db');
  const run = await update('/hostile', db);
  assert.equal(run.code, 3, run.stderr);
  assert.match(run.stdout, /1 new, 0 updated, 0 unchanged, 1 invalid/);
  assert.ok(!run.stdout.includes(ESC) && !run.stderr.includes(ESC), 'no raw escape reaches the terminal');
  assert.ok(!run.stderr.includes('\u0007'));
  assert.match(run.stderr, /http:\/\/\*\*\*@127\.0\.0\.1:\d+\/hostile\/npm\/all\.zip!EVIL\\x1b\[31m/);
  assert.doesNotMatch(run.stderr, /\.download-/, 'not the deleted temporary file');
  assert.doesNotMatch(run.stdout + run.stderr, new RegExp(PASSWORD));
  // Incomplete data keeps no validator: the next update downloads it again and says so again.
  const again = await update('/hostile', db);
  assert.equal(again.code, 3, again.stdout + again.stderr);
  assert.match(again.stdout, /1 invalid/);

  const zip = join(directory, `hostile${ESC}[2J.zip`);
  writeFileSync(zip, hostileZip);
  const imported = await runPalisade(['db', 'import', zip, '--db', join(directory, 'import.db')]);
  assert.equal(imported.code, 3);
  assert.ok(!imported.stdout.includes(ESC) && !imported.stderr.includes(ESC));
  assert.match(imported.stdout, /hostile\\x1b\[2J\.zip: /);
  assert.match(imported.stderr, /!EVIL\\x1b\[31m\\x1b\]0;pwned\\x07\.json/);
});

test('an export that is not a readable ZIP is named by its URL, not the deleted temporary file', async () => {
  const run = await update('/truncated', join(directory, 'truncated.db'));
  assert.equal(run.code, 3, run.stdout + run.stderr);
  assert.match(
    run.stderr,
    /http:\/\/\*\*\*@127\.0\.0\.1:\d+\/truncated\/npm\/all\.zip: not a readable ZIP archive/,
  );
  assert.doesNotMatch(run.stderr, /\.download-/);
  assert.doesNotMatch(run.stdout + run.stderr, new RegExp(PASSWORD));
});

test('non-UTF-8 JSON is an invalid record naming the file, never stored with U+FFFD', async () => {
  const root = join(directory, 'latin1');
  mkdirSync(root);
  const file = join(root, 'BAD.json');
  // `"id": "GHSA-café"` in Latin-1: the é is the lone byte 0xE9.
  writeFileSync(file, Buffer.from(record('GHSA-caf\u00e9'), 'latin1'));
  writeFileSync(join(root, 'BOM.json'), `\ufeff${record('GHSA-with-bom')}`);
  const db = AdvisoryDatabase.open(join(directory, 'latin1.db'), { create: true });
  try {
    const stats = await importOsv(db, root, { source: 'latin1', now: NOW });
    assert.equal(stats.inserted, 1, 'a UTF-8 file with a BOM is still read');
    assert.equal(stats.invalid, 1);
    assert.equal(stats.issues[0]?.file, file);
    assert.match(stats.issues[0]?.message ?? '', /not valid UTF-8/);
    assert.equal(db.status().advisories, 1);
  } finally {
    db.close();
  }
});

test('a symbolic link named on the command line is followed; links below it are not', async () => {
  const real = join(directory, 'real-tree');
  mkdirSync(real);
  writeFileSync(join(real, 'A.json'), record('GHSA-link-0001'));
  symlinkSync(join(real, 'A.json'), join(real, 'linked.json'));
  const linkdir = join(directory, 'linkdir');
  symlinkSync(real, linkdir);
  const zip = join(directory, 'real.zip');
  writeFileSync(zip, goodZip);
  const linkzip = join(directory, 'link.zip');
  symlinkSync(zip, linkzip);
  const db = join(directory, 'links.db');
  const run = await runPalisade(['db', 'import', linkdir, linkzip, '--db', db]);
  assert.equal(run.code, 0, run.stderr);
  assert.match(run.stdout, /linkdir: 1 records read: 1 new/, 'the link inside the tree is not followed');
  assert.match(run.stdout, /link\.zip: 1 records read: 1 new/);
});
