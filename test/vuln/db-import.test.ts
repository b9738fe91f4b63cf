// Import: directories, all.zip, single files; incremental by `modified`; bad records are issues, not stops.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { writeZip } from '../../src/image/zip-writer.ts';
import { AdvisoryDatabase } from '../../src/vuln/db/database.ts';
import { importOsv } from '../../src/vuln/db/import.ts';
import { matchPackages } from '../../src/vuln/match/matcher.ts';

const directory = mkdtempSync(join(tmpdir(), 'palisade-import-'));
after(() => rmSync(directory, { recursive: true, force: true }));
const NOW = new Date('2026-11-22T12:00:00Z');

function record(modified: string, fixed: string): string {
  return JSON.stringify({
    id: 'GHSA-test-incremental',
    modified,
    affected: [
      {
        package: { ecosystem: 'npm', name: 'pkg' },
        ranges: [{ type: 'SEMVER', events: [{ introduced: '0' }, { fixed }] }],
      },
    ],
  });
}

function fixedFor(db: AdvisoryDatabase): string | undefined {
  return matchPackages(db, [{ ecosystem: 'npm', name: 'pkg', version: '0.0.1' }], 't').findings[0]?.advisory
    .fixedVersion;
}

test('re-import is incremental by modified, compared to the microsecond', async () => {
  const db = AdvisoryDatabase.open(join(directory, 'inc.db'), { create: true });
  const file = join(directory, 'one.json');
  writeFileSync(file, record('2024-01-01T00:00:00.000001Z', '1.0.0'));
  assert.equal((await importOsv(db, file, { source: 's', now: NOW })).inserted, 1);
  writeFileSync(file, record('2024-01-01T00:00:00.000002Z', '2.0.0'));
  assert.equal((await importOsv(db, file, { source: 's', now: NOW })).updated, 1);
  assert.equal(fixedFor(db), '2.0.0');
  writeFileSync(file, record('2023-12-31T00:00:00Z', '1.5.0'));
  assert.equal((await importOsv(db, file, { source: 's', now: NOW })).unchanged, 1);
  assert.equal(fixedFor(db), '2.0.0', 'an older copy never replaces a newer one');
  db.close();
});

test('a zip with broken entries imports the good ones and lists the rest with their names', async () => {
  const zipPath = join(directory, 'all.zip');
  writeFileSync(
    zipPath,
    writeZip([
      { name: 'GOOD-1.json', data: record('2024-01-01T00:00:00Z', '1.0.0') },
      { name: 'BROKEN.json', data: '{"id": ' },
      { name: 'NOT-OSV.json', data: '{"hello": "world"}' },
      { name: 'NO-DATE.json', data: '{"id": "X-1"}' },
      { name: 'README.txt', data: 'ignored' },
    ]),
  );
  const db = AdvisoryDatabase.open(join(directory, 'zip.db'), { create: true });
  const stats = await importOsv(db, zipPath, { source: 'zip', now: NOW });
  db.close();
  assert.equal(stats.inserted, 1);
  assert.equal(stats.invalid, 3);
  assert.deepEqual(stats.issues.map((issue) => issue.file.slice(issue.file.indexOf('!') + 1)).sort(), [
    'BROKEN.json',
    'NO-DATE.json',
    'NOT-OSV.json',
  ]);
  assert.match(
    stats.issues.find((i) => i.file.endsWith('NO-DATE.json'))?.message ?? '',
    /X-1: missing or invalid "modified"/,
  );
});

test('a directory is walked recursively without following symbolic links', async () => {
  const root = join(directory, 'tree');
  mkdirSync(join(root, 'nested'), { recursive: true });
  writeFileSync(join(root, 'nested', 'a.json'), record('2024-01-01T00:00:00Z', '1.0.0'));
  symlinkSync(root, join(root, 'loop'));
  symlinkSync(join(root, 'nested', 'a.json'), join(root, 'link.json'));
  const db = AdvisoryDatabase.open(join(directory, 'tree.db'), { create: true });
  const stats = await importOsv(db, root, { source: 'tree', now: NOW });
  db.close();
  assert.equal(stats.read, 1);
});

test('missing paths and non-database files are clear errors', async () => {
  const db = AdvisoryDatabase.open(join(directory, 'err.db'), { create: true });
  await assert.rejects(
    importOsv(db, join(directory, 'nope'), { source: 'x', now: NOW }),
    /no such file or directory/,
  );
  db.close();
  const notDb = join(directory, 'not.db');
  writeFileSync(notDb, 'this is not sqlite at all, just text '.repeat(200));
  assert.throws(() => AdvisoryDatabase.open(notDb, { create: false }), /not a usable SQLite database/);
});

test('an aborted import stops cleanly, saying so', async () => {
  const db = AdvisoryDatabase.open(join(directory, 'abort.db'), { create: true });
  const root = join(directory, 'many');
  mkdirSync(root, { recursive: true });
  for (let index = 0; index < 20; index++)
    writeFileSync(join(root, `${index}.json`), record('2024-01-01T00:00:00Z', '1.0.0'));
  const controller = new AbortController();
  controller.abort();
  await assert.rejects(
    importOsv(db, root, { source: 'a', now: NOW, signal: controller.signal }),
    /interrupted; records committed so far are kept/,
  );
  assert.equal(db.status().sources.length, 0, 'an interrupted import does not count as an update');
  db.close();
});

test('large records are written in batches bounded by their size, so a small archive cannot exhaust memory', () => {
  // 24 entries of 8 MiB JSON each (1.5 MB zipped): held all at once, as a batch of 2,000 documents allowed, they
  // took a process with a 96 MiB heap to its limit (a fatal out-of-memory abort).
  let details = '';
  const chunk = 'abcdefghijklmnopqrstuvwxyz0123456789'.repeat(6);
  for (let index = 0; details.length < 8 * 1024 * 1024; index++)
    details += chunk + String.fromCharCode(65 + ((index * 7919) % 26));
  const data = JSON.stringify({ id: 'X', details });
  const zip = join(directory, 'large-records.zip');
  writeFileSync(zip, writeZip(Array.from({ length: 24 }, (_, index) => ({ name: `e${index}.json`, data }))));
  const main = join(import.meta.dirname, '..', '..', 'src', 'cli', 'main.ts');
  const run = spawnSync(
    process.execPath,
    ['--max-old-space-size=96', main, 'db', 'import', zip, '--db', join(directory, 'large.db')],
    { encoding: 'utf8', env: { ...process.env, PALISADE_NO_COMPILE_CACHE: '1' } },
  );
  assert.doesNotMatch(run.stderr, /heap out of memory/);
  // Every record is read (and refused: they have no modified time), none lost to a crash.
  assert.equal(run.status, 3, run.stderr);
  assert.match(run.stdout, /0 records read: .*24 invalid/);
});
