import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { scanEntries, splitCheckpointHistory } from '../../src/ledger/ledger-files.ts';
import { hashLeaf } from '../../src/ledger/merkle-hash.ts';

test('entries are hashed line by line across read chunks, a long line included, with their offsets', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'palisade-ledger-files-'));
  try {
    const long = `{"output":"${'x'.repeat(3 * 1024 * 1024)}"}`;
    const lines = ['{"a":1}', long, '{"\u00e9":"\u{1F600}"}'];
    const file = join(dir, 'entries.jsonl');
    await writeFile(file, `${lines.join('\n')}\npartial`);
    const scanned = await scanEntries(file);
    assert.equal(scanned.hashes.length, 3);
    lines.forEach((line, i) => {
      assert.deepEqual(scanned.hashes.at(i), hashLeaf(Buffer.from(line)));
    });
    const ends = lines.map((_, i) => Buffer.byteLength(lines.slice(0, i + 1).join('\n')) + 1);
    assert.deepEqual(scanned.offsets, [0, ...ends]);
    assert.deepEqual(scanned.tornTail, { offset: ends[2], length: 7 });
    const missing = await scanEntries(join(dir, 'absent.jsonl'));
    assert.equal(missing.hashes.length, 0);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('the checkpoint history splits into notes with their lines and byte offsets', () => {
  const note = (size: number) => `o\n${size}\nAAAA\n\n\u2014 o AAAAAA==\n`;
  const text = note(1) + note(2);
  const split = splitCheckpointHistory(Buffer.from(text));
  assert.deepEqual(split.defects, []);
  assert.deepEqual(
    split.notes.map((n) => [n.line, n.offset, n.note]),
    [
      [1, 0, note(1)],
      [6, Buffer.byteLength(note(1)), note(2)],
    ],
  );
  const unsigned = splitCheckpointHistory(Buffer.from(`o\n1\nAAAA\n\n${note(2)}`));
  assert.deepEqual(unsigned.defects, [
    { reason: 'a checkpoint without signature lines', line: 1, offset: 0 },
  ]);
  assert.equal(unsigned.notes.length, 1);
});
