import assert from 'node:assert/strict';
import { createHash, generateKeyPairSync } from 'node:crypto';
import { test } from 'node:test';
import { formatCheckpoint, parseCheckpoint } from './checkpoint.ts';
import {
  formatVerifierKey,
  makeVerifier,
  noteKeyId,
  openNote,
  parseVerifierKey,
  rawEd25519PublicKey,
  signNote,
} from './signed-note.ts';

const keys = () => generateKeyPairSync('ed25519');

test('interoperates with a published signed note (example from an independent implementation)', () => {
  // Verifier key and note from the README of github.com/yaglo/signed_note (an independent implementation).
  const parsed = parseVerifierKey('example.com/foo+530d903a+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k');
  assert.ok(parsed.ok);
  const note =
    'This is an example message.\n\n\u2014 example.com/foo Uw2QOkn8srV1yJGh2VYRlL1Tnagv1YEq6TfXppzi2ONncAlTgK7Ztg1ERYNZXsYjOBH3mFXmRKuwHjG1Yu72IneyaQM=\n';
  const opened = openNote(note, parsed.verifier);
  assert.ok(opened.ok);
  assert.equal(opened.text, 'This is an example message.\n');
  assert.equal(openNote(note.replace('example message', 'exemple message'), parsed.verifier).ok, false);
});

test('key ID is SHA-256(name || 0x0A || 0x01 || key)[:4] and the verifier key text round-trips', () => {
  const { publicKey } = keys();
  const raw = rawEd25519PublicKey(publicKey);
  const expected = createHash('sha256')
    .update(Buffer.concat([Buffer.from('log.example/a\n'), Buffer.from([1]), raw]))
    .digest()
    .subarray(0, 4);
  assert.deepEqual(noteKeyId('log.example/a', raw), expected);
  const text = formatVerifierKey(makeVerifier('log.example/a', publicKey));
  assert.equal(
    text,
    `log.example/a+${expected.toString('hex')}+${Buffer.concat([Buffer.from([1]), raw]).toString('base64')}`,
  );
  const parsed = parseVerifierKey(text);
  assert.ok(parsed.ok);
  assert.equal(parsed.verifier.name, 'log.example/a');
  // A key ID that does not belong to the key is refused.
  const wrongId = text.replace(/\+[0-9a-f]{8}\+/, '+00000000+');
  assert.equal(parseVerifierKey(wrongId).ok, false);
  assert.equal(parseVerifierKey('name+1234').ok, false);
});

test('a signed checkpoint opens with its key and is refused with another key, altered text or signature', () => {
  const { privateKey, publicKey } = keys();
  const text = formatCheckpoint({
    origin: 'palisade/alerts',
    size: 5,
    rootHash: Buffer.alloc(32, 7),
    extensions: [],
  });
  const note = signNote(text, 'palisade/alerts', privateKey);
  assert.match(
    note,
    /^palisade\/alerts\n5\nBwcH[A-Za-z0-9+/=]+\n\n\u2014 palisade\/alerts [A-Za-z0-9+/]+=*\n$/u,
  );
  const verifier = makeVerifier('palisade/alerts', publicKey);
  const opened = openNote(note, verifier);
  assert.ok(opened.ok);
  assert.deepEqual(parseCheckpoint(opened.text), {
    ok: true,
    checkpoint: { origin: 'palisade/alerts', size: 5, rootHash: Buffer.alloc(32, 7), extensions: [] },
  });

  const other = makeVerifier('palisade/alerts', keys().publicKey);
  const refused = openNote(note, other);
  assert.equal(refused.ok, false);
  assert.match(refused.ok ? '' : refused.reason, /not signed by palisade\/alerts\+/);
  const altered = openNote(note.replace('\n5\n', '\n6\n'), verifier);
  assert.match(altered.ok ? '' : altered.reason, /does not verify/);
  const lines = note.split('\n');
  const signatureLine = lines[4]!;
  const flippedChar = signatureLine.at(-3) === 'A' ? 'B' : 'A';
  const badSignature = note.replace(
    signatureLine,
    `${signatureLine.slice(0, -3)}${flippedChar}${signatureLine.slice(-2)}`,
  );
  assert.equal(openNote(badSignature, verifier).ok, false);
  assert.equal(openNote(note.replace('\u2014 ', '-- '), verifier).ok, false, 'not an em dash');
  assert.equal(openNote(text, verifier).ok, false, 'no signatures');
});

test('checkpoint bodies are parsed strictly', () => {
  const root = Buffer.alloc(32, 1).toString('base64');
  assert.equal(parseCheckpoint(`o\n01\n${root}\n`).ok, false, 'leading zero');
  assert.equal(parseCheckpoint(`o\n-1\n${root}\n`).ok, false);
  assert.equal(parseCheckpoint(`o\n1\n${root.slice(1)}\n`).ok, false);
  assert.equal(parseCheckpoint(`o\n1\n${Buffer.alloc(31).toString('base64')}\n`).ok, false);
  assert.equal(parseCheckpoint(`o\n1\n${root}`).ok, false, 'no final newline');
  assert.equal(parseCheckpoint(`\n1\n${root}\n`).ok, false, 'empty origin');
  assert.deepEqual(parseCheckpoint(`o\n1\n${root}\next one\n`), {
    ok: true,
    checkpoint: { origin: 'o', size: 1, rootHash: Buffer.alloc(32, 1), extensions: ['ext one'] },
  });
  assert.throws(() => signNote('a\n\nb\n', 'o', keys().privateKey));
});
