// Tampering with a real ledger: each change must be caught, classified, and located exactly
// (entry index, file, line, byte offset).
import assert from 'node:assert/strict';
import { createPrivateKey } from 'node:crypto';
import { mkdir, readFile, rm, truncate, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { generateLedgerKeys } from '../../src/ledger/keys.ts';
import { verifyLedger } from '../../src/ledger/ledger-verify.ts';
import { hashLeaf } from '../../src/ledger/merkle-hash.ts';
import { signNote } from '../../src/ledger/signed-note.ts';
import type { LedgerProblem, LedgerVerification } from '../../src/ledger/verify-report.ts';
import { copyLedger, type Fixture, makeKeys, makeLedger, offsetOfLine } from './ledger-fixture.ts';

const ENTRIES = 20;
const EVERY = 4; // checkpoints at sizes 4, 8, 12, 16, 20
let fixture: Fixture;

before(async () => {
  fixture = await makeLedger(ENTRIES, EVERY);
});
after(() => fixture.cleanup());

const copy = () => copyLedger(fixture);

const verify = (dir: string, extra: Partial<Parameters<typeof verifyLedger>[0]> = {}) =>
  verifyLedger({ dir, verifier: fixture.verifier, ...extra });

const slim = (problem: LedgerProblem) => {
  const { message: _message, ...rest } = problem;
  return rest;
};

function errors(result: LedgerVerification) {
  return result.problems.filter((problem) => problem.severity === 'error').map(slim);
}

async function rewriteEntries(dir: string, lines: string[]): Promise<void> {
  await writeFile(join(dir, 'entries.jsonl'), lines.map((line) => `${line}\n`).join(''));
}

async function historyNotes(dir: string): Promise<string[]> {
  const text = await readFile(join(dir, 'checkpoints.log'), 'utf8');
  return text.split(/(?<=\n)(?=palisade)/u);
}

const lineOfNote = (notes: string[], index: number) =>
  notes.slice(0, index).reduce((sum, note) => sum + note.split('\n').length - 1, 0) + 1;
const offsetOfNote = (notes: string[], index: number) => Buffer.byteLength(notes.slice(0, index).join(''));

describe('a pristine ledger', () => {
  test('verifies: 20 entries, 5 checkpoints, proofs between all of them', async () => {
    const result = await verify(fixture.dir);
    assert.deepEqual(result.problems, []);
    assert.equal(result.ok, true);
    assert.equal(result.entries, ENTRIES);
    assert.equal(result.checkpoints, 5);
    assert.equal(result.verifiedSize, ENTRIES);
    assert.deepEqual(result.proofsChecked, { inclusion: 10, consistency: 4 });
  });
});

describe('entries.jsonl', () => {
  test('a flipped byte is an altered entry at its line and offset', async () => {
    const dir = await copy();
    const file = join(dir, 'entries.jsonl');
    const bytes = await readFile(file);
    const offset = offsetOfLine(fixture.lines, 9) + 12;
    bytes[offset]! ^= 0x01;
    await writeFile(file, bytes);
    const result = await verify(dir);
    assert.equal(result.ok, false);
    assert.deepEqual(errors(result), [
      {
        kind: 'entry-altered',
        severity: 'error',
        file: 'entries.jsonl',
        line: 10,
        offset: offsetOfLine(fixture.lines, 9),
        entryIndex: 9,
        entryCount: 1,
      },
    ]);
  });

  test('a deleted entry is named with the place it was taken from', async () => {
    const dir = await copy();
    await rewriteEntries(
      dir,
      fixture.lines.filter((_, i) => i !== 5),
    );
    assert.deepEqual(errors(await verify(dir)), [
      {
        kind: 'entry-deleted',
        severity: 'error',
        file: 'entries.jsonl',
        line: 6,
        offset: offsetOfLine(fixture.lines, 5),
        entryIndex: 5,
        entryCount: 1,
      },
    ]);
  });

  test('two swapped entries are both reported as moved, at their new lines', async () => {
    const dir = await copy();
    const swapped = [...fixture.lines];
    [swapped[3], swapped[7]] = [swapped[7]!, swapped[3]!];
    await rewriteEntries(dir, swapped);
    assert.deepEqual(errors(await verify(dir)), [
      {
        kind: 'entry-moved',
        severity: 'error',
        file: 'entries.jsonl',
        line: 4,
        offset: offsetOfLine(swapped, 3),
        entryIndex: 7,
        entryCount: 1,
      },
      {
        kind: 'entry-moved',
        severity: 'error',
        file: 'entries.jsonl',
        line: 8,
        offset: offsetOfLine(swapped, 7),
        entryIndex: 3,
        entryCount: 1,
      },
    ]);
  });

  test('two swapped neighbours are one entry moved (either of them could be the one that moved)', async () => {
    const dir = await copy();
    const swapped = [...fixture.lines];
    [swapped[3], swapped[4]] = [swapped[4]!, swapped[3]!];
    await rewriteEntries(dir, swapped);
    const found = errors(await verify(dir));
    assert.deepEqual(
      found.map((problem) => problem.kind),
      ['entry-moved'],
    );
  });

  test('a line appended after the last entry is reported as never written by the ledger', async () => {
    const dir = await copy();
    await writeFile(join(dir, 'entries.jsonl'), '{"rule":"forged"}\n', { flag: 'a' });
    assert.deepEqual(errors(await verify(dir)), [
      {
        kind: 'entry-inserted',
        severity: 'error',
        file: 'entries.jsonl',
        line: 21,
        offset: offsetOfLine(fixture.lines, 20),
        entryIndex: 20,
        entryCount: 1,
      },
    ]);
  });

  test('a forged line inserted in the middle is located', async () => {
    const dir = await copy();
    await rewriteEntries(dir, [
      ...fixture.lines.slice(0, 11),
      '{"rule":"forged"}',
      ...fixture.lines.slice(11),
    ]);
    assert.deepEqual(errors(await verify(dir)), [
      {
        kind: 'entry-inserted',
        severity: 'error',
        file: 'entries.jsonl',
        line: 12,
        offset: offsetOfLine(fixture.lines, 11),
        entryIndex: 11,
        entryCount: 1,
      },
    ]);
  });

  test('cutting the last three entries is a truncation at the new end of the file', async () => {
    const dir = await copy();
    await truncate(join(dir, 'entries.jsonl'), offsetOfLine(fixture.lines, 17));
    assert.deepEqual(errors(await verify(dir)), [
      {
        kind: 'entries-truncated',
        severity: 'error',
        file: 'entries.jsonl',
        line: 18,
        offset: offsetOfLine(fixture.lines, 17),
        entryIndex: 17,
        entryCount: 3,
      },
    ]);
  });

  test('a torn final write is reported, not taken as an entry', async () => {
    const dir = await copy();
    await writeFile(join(dir, 'entries.jsonl'), '{"rule":"half', { flag: 'a' });
    assert.deepEqual(errors(await verify(dir)), [
      {
        kind: 'torn-write',
        severity: 'error',
        file: 'entries.jsonl',
        line: 21,
        offset: offsetOfLine(fixture.lines, 20),
        entryIndex: 20,
      },
    ]);
  });

  test('an entry rewritten in entries.jsonl and leaves.bin alike is caught by the checkpoint covering it', async () => {
    const dir = await copy();
    const changed = [...fixture.lines];
    changed[6] = '{"rule":"innocent"}';
    await rewriteEntries(dir, changed);
    const leaves = await readFile(join(dir, 'leaves.bin'));
    hashLeaf(Buffer.from(changed[6])).copy(leaves, 6 * 32);
    await writeFile(join(dir, 'leaves.bin'), leaves);
    const notes = await historyNotes(dir);
    // Checkpoints of sizes 8, 12, 16 and 20 all cover entry 6; the last one before it (size 4) still holds.
    const expected = [1, 2, 3, 4].map((n) => ({
      kind: 'checkpoint-root',
      severity: 'error',
      file: 'checkpoints.log',
      line: lineOfNote(notes, n),
      offset: offsetOfNote(notes, n),
      checkpoint: n + 1,
      entryIndex: 4,
      entryCount: 4 * n,
    }));
    assert.deepEqual(errors(await verify(dir)), expected);
  });

  test('a deleted entries.jsonl is a truncation of every entry; a deleted leaves.bin is located too', async () => {
    const dir = await copy();
    await rm(join(dir, 'entries.jsonl'));
    assert.deepEqual(errors(await verify(dir)), [
      {
        kind: 'entries-truncated',
        severity: 'error',
        file: 'entries.jsonl',
        line: 1,
        offset: 0,
        entryIndex: 0,
        entryCount: 20,
      },
    ]);
    const other = await copy();
    await rm(join(other, 'leaves.bin'));
    assert.deepEqual(errors(await verify(other)), [
      {
        kind: 'leaves-truncated',
        severity: 'error',
        file: 'leaves.bin',
        offset: 0,
        entryIndex: 0,
        entryCount: 20,
      },
    ]);
  });

  test('a changed leaf hash alone is located in leaves.bin', async () => {
    const dir = await copy();
    const leaves = await readFile(join(dir, 'leaves.bin'));
    leaves[13 * 32 + 5]! ^= 0x80;
    await writeFile(join(dir, 'leaves.bin'), leaves);
    assert.deepEqual(errors(await verify(dir)), [
      {
        kind: 'leaf-altered',
        severity: 'error',
        file: 'leaves.bin',
        offset: 13 * 32,
        entryIndex: 13,
        entryCount: 1,
      },
    ]);
  });
});

describe('not a ledger', () => {
  test('a missing directory or one without ledger files is an error, not an empty success', async () => {
    await assert.rejects(verify(join(fixture.root, 'nowhere')), /does not exist/);
    const empty = join(fixture.root, 'empty');
    await mkdir(empty);
    await assert.rejects(verify(empty), /is not a ledger/);
  });
});

describe('checkpoints', () => {
  test('a flipped byte in a checkpoint breaks its signature, reported at that checkpoint', async () => {
    const dir = await copy();
    const notes = await historyNotes(dir);
    const file = join(dir, 'checkpoints.log');
    const bytes = await readFile(file);
    const offset = offsetOfNote(notes, 2) + notes[2]!.indexOf('\n', notes[2]!.indexOf('\n') + 1) + 3;
    bytes[offset]! ^= 0x02;
    await writeFile(file, bytes);
    const found = errors(await verify(dir));
    assert.deepEqual(found, [
      {
        kind: 'checkpoint-signature',
        severity: 'error',
        file: 'checkpoints.log',
        line: lineOfNote(notes, 2),
        offset: offsetOfNote(notes, 2),
        checkpoint: 3,
      },
    ]);
  });

  test('a checkpoint signed by another key is refused, and verifying with the wrong key fails everywhere', async () => {
    const dir = await copy();
    const other = generateLedgerKeys('palisade.test/alerts');
    const forged = signNote(
      'palisade.test/alerts\n25\n' + Buffer.alloc(32, 9).toString('base64') + '\n',
      'palisade.test/alerts',
      createPrivateKey(other.privateKeyPem),
    );
    const notes = await historyNotes(dir);
    await writeFile(join(dir, 'checkpoints.log'), forged, { flag: 'a' });
    assert.deepEqual(errors(await verify(dir)), [
      {
        kind: 'checkpoint-signature',
        severity: 'error',
        file: 'checkpoints.log',
        line: lineOfNote(notes, 5),
        offset: offsetOfNote(notes, 5),
        checkpoint: 6,
      },
      // The published checkpoint is no longer the last one in the history.
      { kind: 'latest-checkpoint', severity: 'error', file: 'checkpoint', line: 1, offset: 0 },
    ]);
    const otherDir = join(fixture.root, 'other-key');
    await mkdir(otherDir);
    const wrongKey = await makeKeys(otherDir, 'palisade.test/alerts');
    const result = await verifyLedger({ dir: fixture.dir, verifier: wrongKey.verifier });
    assert.equal(result.ok, false);
    assert.equal(result.problems.filter((p) => p.kind === 'checkpoint-signature').length, 5);
  });

  test('reordered checkpoints are reported where the order breaks', async () => {
    const dir = await copy();
    const notes = await historyNotes(dir);
    const reordered = [notes[0]!, notes[2]!, notes[1]!, notes[3]!, notes[4]!];
    await writeFile(join(dir, 'checkpoints.log'), reordered.join(''));
    assert.deepEqual(errors(await verify(dir)), [
      {
        kind: 'checkpoint-order',
        severity: 'error',
        file: 'checkpoints.log',
        line: lineOfNote(reordered, 2),
        offset: offsetOfNote(reordered, 2),
        checkpoint: 3,
      },
    ]);
  });

  test('deleting the last checkpoint leaves the published one unmatched and the last entries unsigned', async () => {
    const dir = await copy();
    const notes = await historyNotes(dir);
    await writeFile(join(dir, 'checkpoints.log'), notes.slice(0, 4).join(''));
    const found = errors(await verify(dir));
    assert.deepEqual(found, [
      { kind: 'latest-checkpoint', severity: 'error', file: 'checkpoint', line: 1, offset: 0 },
    ]);
    // With the published checkpoint gone as well, the entries after size 16 are unsigned.
    await writeFile(join(dir, 'checkpoint'), notes[3]!);
    assert.deepEqual(errors(await verify(dir)), [
      {
        kind: 'entries-unsigned',
        severity: 'error',
        file: 'entries.jsonl',
        line: 17,
        offset: offsetOfLine(fixture.lines, 16),
        entryIndex: 16,
        entryCount: 4,
      },
    ]);
    const allowed = await verify(dir, { allowUnsignedTail: true });
    assert.equal(allowed.ok, true);
    assert.equal(allowed.problems[0]?.severity, 'warning');
  });

  test('a cut checkpoint write is a torn write at its offset', async () => {
    const dir = await copy();
    const notes = await historyNotes(dir);
    const size = Buffer.byteLength(notes.join(''));
    await truncate(join(dir, 'checkpoints.log'), size - 10);
    const found = errors(await verify(dir));
    assert.deepEqual(found[0], {
      kind: 'torn-write',
      severity: 'error',
      file: 'checkpoints.log',
      line: lineOfNote(notes, 4),
      offset: offsetOfNote(notes, 4),
    });
    assert.equal(found.length, 2, 'and the published checkpoint no longer matches the history');
  });

  test('a rollback of every file is caught by a checkpoint kept elsewhere', async () => {
    const dir = await copy();
    const saved = await readFile(join(fixture.dir, 'checkpoint'), 'utf8');
    const notes = await historyNotes(dir);
    await truncate(join(dir, 'entries.jsonl'), offsetOfLine(fixture.lines, 12));
    await truncate(join(dir, 'leaves.bin'), 12 * 32);
    await writeFile(join(dir, 'checkpoints.log'), notes.slice(0, 3).join(''));
    await writeFile(join(dir, 'checkpoint'), notes[2]!);
    assert.deepEqual(errors(await verify(dir)), [], 'locally consistent');
    assert.deepEqual(
      errors(await verify(dir, { trustedCheckpoints: [{ source: 'saved.checkpoint', note: saved }] })),
      [
        {
          kind: 'trusted-checkpoint',
          severity: 'error',
          file: 'saved.checkpoint',
          line: 1,
          offset: 0,
          entryIndex: 12,
          entryCount: 8,
        },
      ],
    );
  });
});
