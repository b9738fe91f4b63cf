// Reports and refusals say only what is known: entries removed from both files are placed after the last
// checkpoint that still holds (not at the end), a writer refusing a log points at the first line that parts
// from its leaves, and no proof is issued against a checkpoint whose root the log no longer gives.
import assert from 'node:assert/strict';
import { readFile, truncate, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { PalisadeError } from '../../src/core/errors.ts';
import { consistencyProofFor, inclusionProofFor } from '../../src/ledger/ledger-proofs.ts';
import { verifyLedger } from '../../src/ledger/ledger-verify.ts';
import { hashLeaf } from '../../src/ledger/merkle-hash.ts';
import { openLedger } from '../../src/ledger/open-ledger.ts';
import { runPalisade } from '../cli/cli-harness.ts';
import { copyLedger, type Fixture, makeLedger, ORIGIN, offsetOfLine } from './ledger-fixture.ts';

const ENTRIES = 20;
const EVERY = 4; // checkpoints at sizes 4, 8, 12, 16, 20
let fixture: Fixture;

before(async () => {
  fixture = await makeLedger(ENTRIES, EVERY);
});
after(() => fixture.cleanup());

const copy = () => copyLedger(fixture);

const writeLines = (dir: string, lines: string[]) =>
  writeFile(join(dir, 'entries.jsonl'), lines.map((line) => `${line}\n`).join(''));

/** Entry `index` dropped from entries.jsonl and, when `leavesToo`, its record from leaves.bin. */
async function dropEntry(dir: string, index: number, leavesToo: boolean): Promise<void> {
  await writeLines(
    dir,
    fixture.lines.filter((_, i) => i !== index),
  );
  if (!leavesToo) return;
  const leaves = await readFile(join(dir, 'leaves.bin'));
  await writeFile(
    join(dir, 'leaves.bin'),
    Buffer.concat([leaves.subarray(0, index * 32), leaves.subarray((index + 1) * 32)]),
  );
}

/** Entry `index` rewritten consistently in entries.jsonl and leaves.bin. */
async function rewriteBoth(dir: string, index: number): Promise<void> {
  const changed = [...fixture.lines];
  changed[index] = '{"rule":"innocent"}';
  await writeLines(dir, changed);
  const leaves = await readFile(join(dir, 'leaves.bin'));
  hashLeaf(Buffer.from(changed[index]!)).copy(leaves, index * 32);
  await writeFile(join(dir, 'leaves.bin'), leaves);
}

const errorsOf = async (dir: string) =>
  (await verifyLedger({ dir, verifier: fixture.verifier })).problems.filter((p) => p.severity === 'error');

describe('ledger verify: entries removed from entries.jsonl and leaves.bin alike', () => {
  test('a deletion in the middle is placed after the last checkpoint that still holds, not at the end', async () => {
    const dir = await copy();
    await dropEntry(dir, 17, true);
    const found = await errorsOf(dir);
    assert.equal(found.length, 1, JSON.stringify(found));
    const [problem] = found;
    assert.equal(problem!.kind, 'checkpoint-beyond-log');
    assert.equal(problem!.checkpoint, 5);
    // Checkpoint #4 (size 16) still holds: the missing entry is somewhere in 16..19.
    assert.equal(problem!.entryIndex, 16);
    assert.equal(problem!.entryCount, 4);
    assert.equal(
      problem!.message,
      `checkpoint #5 vouches for 20 entries but the log has 19: 1 entry is missing somewhere in entries 16..19 (from entries.jsonl line 17, byte ${offsetOfLine(fixture.lines, 16)}), after the last checkpoint that still holds (size 16); the signed roots cannot place it more precisely`,
    );
  });

  test('a cut at a checkpoint that still holds is a removal from the end', async () => {
    const dir = await copy();
    await truncate(join(dir, 'entries.jsonl'), offsetOfLine(fixture.lines, 12));
    await truncate(join(dir, 'leaves.bin'), 12 * 32);
    const found = await errorsOf(dir);
    assert.deepEqual(
      found.map((p) => [p.kind, p.checkpoint, p.entryIndex, p.entryCount, p.message]),
      [
        [
          'checkpoint-beyond-log',
          4,
          12,
          4,
          'checkpoint #4 vouches for 16 entries but the log has 12: entries 12..15 were removed from its end',
        ],
        [
          'checkpoint-beyond-log',
          5,
          12,
          8,
          'checkpoint #5 vouches for 20 entries but the log has 12: entries 12..19 were removed from its end',
        ],
      ],
    );
  });
});

describe('openLedger: entries.jsonl and leaves.bin disagree in length', () => {
  const open = (dir: string) => openLedger({ dir, origin: ORIGIN, signingKeyFile: fixture.keyFile });

  test('a line deleted from entries.jsonl alone is refused at that line, not at the end', async () => {
    const dir = await copy();
    await dropEntry(dir, 5, false);
    await assert.rejects(open(dir), (error: Error) => {
      assert.ok(error instanceof PalisadeError);
      assert.match(
        error.message,
        new RegExp(
          `entries\\.jsonl holds 19 entries but leaves\\.bin 20, and they disagree from entry 5 \\(entries\\.jsonl line 6, byte offset ${offsetOfLine(fixture.lines, 5)}\\) on`,
        ),
      );
      assert.match(error.message, /run "palisade ledger verify /);
      assert.doesNotMatch(error.message, /from index 19/);
      return true;
    });
  });

  test('lines cut from the end of entries.jsonl are refused as missing from its end', async () => {
    const dir = await copy();
    await truncate(join(dir, 'entries.jsonl'), offsetOfLine(fixture.lines, 18));
    await assert.rejects(
      open(dir),
      new RegExp(
        `entries\\.jsonl holds 18 entries but leaves\\.bin 20: entries from index 18 \\(byte offset ${offsetOfLine(fixture.lines, 18)}\\) are missing from its end`,
      ),
    );
  });
});

describe('ledger proof and consistency never contradict the checkpoint they attach', () => {
  const refusal = /do not reproduce the root hash of the checkpoint of size (\d+) .*: run ledger verify/;

  test('an entry rewritten in both files: proofs against the checkpoints covering it are refused', async () => {
    const dir = await copy();
    await rewriteBoth(dir, 6);
    const isRefusal = (size: number) => (error: Error) => {
      assert.ok(error instanceof PalisadeError);
      assert.equal(error.code, 'input-unreadable');
      assert.equal(refusal.exec(error.message)?.[1], String(size));
      return true;
    };
    await assert.rejects(inclusionProofFor(dir, 6), isRefusal(20));
    await assert.rejects(inclusionProofFor(dir, 2, 8), isRefusal(8));
    await assert.rejects(consistencyProofFor(dir, 4, 12), isRefusal(12));
    await assert.rejects(consistencyProofFor(dir, 8), isRefusal(8));

    for (const args of [
      ['proof', dir, '6'],
      ['consistency', dir, '4', '12'],
    ]) {
      const run = await runPalisade(['ledger', ...args]);
      assert.equal(run.code, 3, `${args.join(' ')}: ${run.stderr}`);
      assert.equal(run.stdout, '', 'no proof is printed');
      assert.match(run.stderr, refusal);
    }

    // The checkpoint before the change still holds, and proofs against it are still given.
    const held = await inclusionProofFor(dir, 2, 4);
    assert.ok(held.checkpoint?.includes('\n4\n'));
    const early = await consistencyProofFor(dir, 2, 4);
    assert.ok(early.checkpoint2?.includes('\n4\n'));
  });

  test('a changed record in leaves.bin alone is refused too', async () => {
    const dir = await copy();
    const leaves = await readFile(join(dir, 'leaves.bin'));
    leaves[13 * 32 + 5]! ^= 0x80;
    await writeFile(join(dir, 'leaves.bin'), leaves);
    await assert.rejects(inclusionProofFor(dir, 3), refusal);
    await assert.rejects(consistencyProofFor(dir, 4, 16), refusal);
  });
});
