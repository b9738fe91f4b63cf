// openLedger, the API the detection engine uses: durability, checkpoint cadence, reopening, crash
// leftovers (refused with their position, then repaired), one writer at a time, and bad input.
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readFile, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { setTimeout as delay } from 'node:timers/promises';
import { PalisadeError } from '../../src/core/errors.ts';
import { verifyLedger } from '../../src/ledger/ledger-verify.ts';
import { hashLeaf } from '../../src/ledger/merkle-hash.ts';
import { MerkleTree } from '../../src/ledger/merkle-tree.ts';
import { openLedger } from '../../src/ledger/open-ledger.ts';
import { repairLedger } from '../../src/ledger/repair.ts';
import { alert, makeKeys, ORIGIN } from './ledger-fixture.ts';

let root: string;
let keys: Awaited<ReturnType<typeof makeKeys>>;
let dirs = 0;
function freshDir(): string {
  dirs += 1;
  return join(root, `ledger-${dirs}`);
}

before(async () => {
  root = await mkdtemp(join(tmpdir(), 'palisade-ledger-writer-'));
  keys = await makeKeys(root);
});
after(() => rm(root, { recursive: true, force: true }));

const open = (dir: string, extra: { checkpointEveryEntries?: number; checkpointEveryMs?: number } = {}) =>
  openLedger({ dir, origin: ORIGIN, signingKeyFile: keys.keyFile, ...extra });

async function checkpointSizes(dir: string): Promise<number[]> {
  const text = await readFile(join(dir, 'checkpoints.log'), 'utf8').catch(() => '');
  return [...text.matchAll(/^palisade\.test\/alerts\n(\d+)\n/gmu)].map((match) => Number(match[1]));
}

test('appends are numbered, written as JSON lines with their leaf hashes, and signed every N entries and on close', async () => {
  const dir = freshDir();
  const ledger = await open(dir, { checkpointEveryEntries: 3 });
  const indices: number[] = [];
  for (let i = 0; i < 7; i += 1) indices.push((await ledger.append(alert(i))).index);
  assert.deepEqual(indices, [0, 1, 2, 3, 4, 5, 6]);
  // Durable on resolve: both files already hold entry 6 before any close.
  const entries = await readFile(join(dir, 'entries.jsonl'), 'utf8');
  assert.equal(entries, Array.from({ length: 7 }, (_, i) => `${alert(i)}\n`).join(''));
  const leaves = await readFile(join(dir, 'leaves.bin'));
  assert.deepEqual(leaves.subarray(6 * 32), hashLeaf(Buffer.from(alert(6))));
  assert.deepEqual(await checkpointSizes(dir), [3, 6]);
  await ledger.close();
  assert.deepEqual(await checkpointSizes(dir), [3, 6, 7]);
  // The checkpoint's root hash is the RFC 6962 tree head of the seven entries.
  const tree = new MerkleTree();
  for (let i = 0; i < 7; i += 1) tree.appendData(Buffer.from(alert(i)));
  assert.match(
    await readFile(join(dir, 'checkpoint'), 'utf8'),
    new RegExp(`\\n7\\n${tree.root().toString('base64').replace(/[+/]/g, '\\$&')}\\n\\n\u2014 `, 'u'),
  );
  await assert.rejects(ledger.append('{}'), /closed/);
  await ledger.close(); // idempotent
  assert.equal((await verifyLedger({ dir, verifier: keys.verifier })).ok, true);
});

test('concurrent appends are group-committed, each still gets its own index', async () => {
  const dir = freshDir();
  const ledger = await open(dir);
  const results = await Promise.all(Array.from({ length: 200 }, (_, i) => ledger.append(alert(i))));
  assert.deepEqual(
    results.map((r) => r.index),
    Array.from({ length: 200 }, (_, i) => i),
  );
  const lines = (await readFile(join(dir, 'entries.jsonl'), 'utf8')).trimEnd().split('\n');
  assert.deepEqual(
    lines,
    Array.from({ length: 200 }, (_, i) => alert(i)),
  );
  await ledger.checkpoint();
  await ledger.checkpoint(); // nothing new: no second checkpoint
  assert.deepEqual(await checkpointSizes(dir), [200]);
  await ledger.close();
  assert.deepEqual(await checkpointSizes(dir), [200]);
});

test('a checkpoint is written after checkpointEveryMs when entries are waiting', async () => {
  const dir = freshDir();
  const ledger = await open(dir, { checkpointEveryMs: 20 });
  await ledger.append(alert(1));
  for (let wait = 0; wait < 250 && (await checkpointSizes(dir)).length === 0; wait += 1) await delay(20);
  assert.deepEqual(await checkpointSizes(dir), [1]);
  await ledger.close();
  assert.deepEqual(await checkpointSizes(dir), [1]);
});

test('reopening continues the same log, and the whole history verifies', async () => {
  const dir = freshDir();
  let ledger = await open(dir);
  await ledger.append(alert(0));
  await ledger.append(alert(1));
  await ledger.close();
  ledger = await open(dir);
  assert.deepEqual(await ledger.append(alert(2)), { index: 2 });
  await ledger.close();
  assert.deepEqual(await checkpointSizes(dir), [2, 3]);
  const result = await verifyLedger({ dir, verifier: keys.verifier });
  assert.deepEqual(result.problems, []);
  assert.deepEqual(result.proofsChecked.consistency, 1);
});

test('a torn final write is refused at open with its offset, and repair moves it aside', async () => {
  const dir = freshDir();
  const ledger = await open(dir);
  await ledger.append(alert(0));
  await ledger.close();
  const size = (await stat(join(dir, 'entries.jsonl'))).size;
  await writeFile(join(dir, 'entries.jsonl'), '{"rule":"cut sh', { flag: 'a' });
  await assert.rejects(open(dir), (error: unknown) => {
    assert.ok(error instanceof PalisadeError);
    assert.match(
      error.message,
      new RegExp(`torn write: 15 byte\\(s\\) without a newline at byte offset ${size} \\(line 2\\)`),
    );
    return true;
  });
  const actions = await repairLedger(dir);
  assert.deepEqual(actions, [
    {
      file: 'entries.jsonl',
      offset: size,
      bytes: 15,
      action: `moved to torn-entries.jsonl-at-${size}.partial`,
    },
  ]);
  assert.equal(await readFile(join(dir, `torn-entries.jsonl-at-${size}.partial`), 'utf8'), '{"rule":"cut sh');
  // Torn again at the same place: the first quarantine file is kept, the second gets a number.
  await writeFile(join(dir, 'entries.jsonl'), '{"rule":"cut again', { flag: 'a' });
  const again = await repairLedger(dir);
  assert.equal(again[0]?.action, `moved to torn-entries.jsonl-at-${size}.partial.1`);
  assert.equal(await readFile(join(dir, `torn-entries.jsonl-at-${size}.partial`), 'utf8'), '{"rule":"cut sh');
  assert.equal(
    await readFile(join(dir, `torn-entries.jsonl-at-${size}.partial.1`), 'utf8'),
    '{"rule":"cut again',
  );
  const reopened = await open(dir);
  assert.deepEqual(await reopened.append(alert(1)), { index: 1 });
  await reopened.close();
  assert.equal((await verifyLedger({ dir, verifier: keys.verifier })).ok, true);
});

test('a line without its leaf hash is never signed: open refuses it, repair moves it aside', async () => {
  const dir = freshDir();
  const ledger = await open(dir);
  await ledger.append(alert(0));
  await ledger.close();
  const size = (await stat(join(dir, 'entries.jsonl'))).size;
  // A crash after syncing the entry line but before its leaf hash looks exactly like a line someone appended.
  await writeFile(join(dir, 'entries.jsonl'), `${alert(1)}\nFORGED not even json\n`, { flag: 'a' });
  await assert.rejects(
    open(dir),
    new RegExp(
      `entries\\.jsonl holds 2 line\\(s\\) without a leaf hash from entry 1 \\(line 2, byte offset ${size}\\)`,
    ),
  );
  assert.equal((await verifyLedger({ dir, verifier: keys.verifier })).ok, false);
  const actions = await repairLedger(dir);
  const quarantine = `unrecorded-entries.jsonl-at-${size}.jsonl`;
  assert.deepEqual(
    actions.map((action) => action.action),
    [`moved entries 1..2, which have no leaf hash, to ${quarantine}`],
  );
  assert.equal(await readFile(join(dir, quarantine), 'utf8'), `${alert(1)}\nFORGED not even json\n`);
  const reopened = await open(dir);
  assert.deepEqual(await reopened.append(alert(2)), { index: 1 });
  await reopened.close();
  assert.equal((await readFile(join(dir, 'leaves.bin'))).length, 2 * 32);
  assert.deepEqual(await checkpointSizes(dir), [1, 2]);
  assert.equal((await verifyLedger({ dir, verifier: keys.verifier })).ok, true);
});

test('ledger files that are symbolic links or directories are refused, never written through', async () => {
  const dir = freshDir();
  const ledger = await open(dir);
  await ledger.append(alert(0));
  await ledger.close();
  const outside = join(root, `outside-${dirs}.txt`);
  await writeFile(outside, 'not a ledger\n');
  const entries = join(dir, 'entries.jsonl');
  const kept = await readFile(entries);
  await rm(entries);
  await symlink(outside, entries);
  await assert.rejects(open(dir), /entries\.jsonl is a symbolic link; a ledger file must be a regular file/);
  await assert.rejects(verifyLedger({ dir, verifier: keys.verifier }), /entries\.jsonl is a symbolic link/);
  assert.equal(await readFile(outside, 'utf8'), 'not a ledger\n');
  await rm(entries);
  await writeFile(entries, kept);
  await rm(join(dir, 'leaves.bin'));
  await mkdir(join(dir, 'leaves.bin'));
  await assert.rejects(open(dir), /leaves\.bin is a directory/);
  await assert.rejects(verifyLedger({ dir, verifier: keys.verifier }), /leaves\.bin is a directory/);
});

test('open refuses a ledger whose leaves no longer match its signed checkpoint, or another origin', async () => {
  const dir = freshDir();
  const ledger = await open(dir);
  await ledger.append(alert(0));
  await ledger.append(alert(1));
  await ledger.close();
  await assert.rejects(
    openLedger({ dir, origin: 'another/origin', signingKeyFile: keys.keyFile }),
    /not signed by another\/origin|origin/,
  );
  const leaves = await readFile(join(dir, 'leaves.bin'));
  leaves[40]! ^= 1;
  await writeFile(join(dir, 'leaves.bin'), leaves);
  await assert.rejects(
    open(dir),
    /leaves\.bin does not match the root hash of the last checkpoint \(size 2\)/,
  );
});

test('open refuses entries whose whole checkpoint history was removed, rather than sign them anew', async () => {
  const dir = freshDir();
  const ledger = await open(dir);
  for (let index = 0; index < 3; index++) await ledger.append(alert(index));
  await ledger.close();
  // Someone edits the entries, recomputes the leaves and deletes every checkpoint: a writer must not vouch for it.
  const lines = (await readFile(join(dir, 'entries.jsonl'), 'utf8')).trimEnd().split('\n').slice(1);
  await writeFile(join(dir, 'entries.jsonl'), `${lines.join('\n')}\n`);
  await writeFile(join(dir, 'leaves.bin'), Buffer.concat(lines.map((line) => hashLeaf(Buffer.from(line)))));
  await rm(join(dir, 'checkpoints.log'));
  await rm(join(dir, 'checkpoint'));
  await assert.rejects(open(dir), /2 entries but no signed checkpoint in checkpoints\.log/);
  assert.equal((await readFile(join(dir, 'entries.jsonl'), 'utf8')).trimEnd().split('\n').length, 2);
});

test('one writer at a time', async () => {
  const dir = freshDir();
  const ledger = await open(dir);
  await assert.rejects(open(dir), /already held by this process/);
  await ledger.close();
  // A lock left by a process that is gone is taken over.
  await writeFile(join(dir, 'lock'), '999999999\n');
  const again = await open(dir);
  await again.close();
});

test('bad entries and options are refused without touching the log', async () => {
  const dir = freshDir();
  const ledger = await open(dir);
  await assert.rejects(ledger.append('{"a":\n1}'), /one line/);
  await assert.rejects(ledger.append(''), /non-empty/);
  await assert.rejects(ledger.append('\uD800'), /well-formed/);
  await ledger.close();
  assert.equal(await readFile(join(dir, 'entries.jsonl'), 'utf8'), '');
  await assert.rejects(openLedger({ dir, origin: 'has space', signingKeyFile: keys.keyFile }), /origin/);
  await assert.rejects(open(dir, { checkpointEveryEntries: 0 }), /checkpointEveryEntries/);
  await assert.rejects(open(dir, { checkpointEveryMs: 2 ** 40 }), /checkpointEveryMs/);
  await assert.rejects(
    openLedger({ dir, origin: ORIGIN, signingKeyFile: join(root, 'missing.key') }),
    (error: unknown) => error instanceof PalisadeError && error.code === 'input-not-found',
  );
  await assert.rejects(
    openLedger({ dir, origin: ORIGIN, signingKeyFile: keys.publicKeyFile }),
    /not a PEM private key/,
  );
});

test('a failed checkpoint stops the ledger (fail-stop); reopening completes the published checkpoint', async () => {
  const dir = freshDir();
  const ledger = await open(dir);
  await ledger.append(alert(0));
  // The temporary file for the published checkpoint cannot be created: it is a directory.
  const blocker = join(dir, `.checkpoint.${process.pid}.tmp`);
  await mkdir(blocker);
  await assert.rejects(ledger.checkpoint(), /checkpoint failed/);
  await assert.rejects(ledger.append(alert(1)), /stopped after a write failure/);
  await assert.rejects(ledger.close());
  await rm(blocker, { recursive: true });
  // The note reached checkpoints.log before the failure; the next open publishes it.
  const reopened = await open(dir);
  await reopened.close();
  const result = await verifyLedger({ dir, verifier: keys.verifier });
  assert.deepEqual(result.problems, []);
  assert.equal(result.verifiedSize, 1);
});
