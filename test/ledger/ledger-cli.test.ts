// `palisade ledger` end to end, in-process: keys, verify exit codes, proofs a third party can check.
import assert from 'node:assert/strict';
import { chmod, mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { parseCheckpoint } from '../../src/ledger/checkpoint.ts';
import { hashLeaf } from '../../src/ledger/merkle-hash.ts';
import { openLedger } from '../../src/ledger/open-ledger.ts';
import { verifyConsistency, verifyInclusion } from '../../src/ledger/proof-verify.ts';
import { openNote, parseVerifierKey } from '../../src/ledger/signed-note.ts';
import { runPalisade } from '../cli/cli-harness.ts';
import { alert } from './ledger-fixture.ts';

let cwd: string;
before(async () => {
  cwd = await mkdtemp(join(tmpdir(), 'palisade-ledger-cli-'));
});
after(() => rm(cwd, { recursive: true, force: true }));

test('keygen, a ledger written through the API, verify, proof and consistency', async () => {
  const keygen = await runPalisade(['ledger', 'keygen', '--name', 'example.org/alerts', '--out', 'keys/k'], {
    cwd,
  });
  // keys/ does not exist yet: a clear runtime error, then it works once the directory is there.
  assert.equal(keygen.code, 3);
  await mkdir(join(cwd, 'keys'));
  const made = await runPalisade(['ledger', 'keygen', '--name', 'example.org/alerts', '--out', 'keys/k'], {
    cwd,
  });
  assert.equal(made.code, 0, made.stderr);
  assert.ok(made.stdout.includes('verifier key: example.org/alerts+'));
  assert.ok(!made.stdout.includes('PRIVATE'), 'the private key is never printed');
  assert.equal((await stat(join(cwd, 'keys/k.key'))).mode & 0o777, 0o600);
  const again = await runPalisade(['ledger', 'keygen', '--name', 'example.org/alerts', '--out', 'keys/k'], {
    cwd,
  });
  assert.equal(again.code, 2);
  assert.match(again.stderr, /exists: choose another --out or give --force/);
  await chmod(join(cwd, 'keys/k.key'), 0o644);
  const forced = await runPalisade(
    ['ledger', 'keygen', '--name', 'example.org/alerts', '--out', 'keys/k', '--force'],
    { cwd },
  );
  assert.equal(forced.code, 0);
  assert.equal(
    (await stat(join(cwd, 'keys/k.key'))).mode & 0o777,
    0o600,
    'a replaced private key is private again',
  );
  const vkey = (await readFile(join(cwd, 'keys/k.vkey'), 'utf8')).trim();

  const ledger = await openLedger({
    dir: join(cwd, 'log'),
    origin: 'example.org/alerts',
    signingKeyFile: join(cwd, 'keys/k.key'),
    checkpointEveryEntries: 5,
  });
  for (let i = 0; i < 12; i += 1) await ledger.append(alert(i));
  await ledger.close();

  const verified = await runPalisade(['ledger', 'verify', 'log', '--key', 'keys/k.vkey'], { cwd });
  assert.equal(verified.code, 0, verified.stdout + verified.stderr);
  assert.match(
    verified.stdout,
    /^OK: log: 12 entries, 3 checkpoints \(origin example\.org\/alerts\), signed and verified up to size 12/,
  );
  const withPem = await runPalisade(
    ['ledger', 'verify', 'log', '--key', 'keys/k.pub', '--origin', 'example.org/alerts', '--format', 'json'],
    { cwd },
  );
  assert.equal(withPem.code, 0);
  assert.equal(JSON.parse(withPem.stdout).verifiedSize, 12);
  // An origin or key name the signed-note format refuses, or one with a control character, is a usage error.
  for (const origin of ['a b', 'a+b', '', 'x\u001b[31m']) {
    const refused = await runPalisade(
      ['ledger', 'verify', 'log', '--key', 'keys/k.pub', '--origin', origin],
      {
        cwd,
      },
    );
    assert.equal(refused.code, 2, `${JSON.stringify(origin)}: ${refused.stderr}`);
    assert.match(
      refused.stderr,
      origin === ''
        ? /--origin was given an empty value/
        : /--origin ".*" must be non-empty, without spaces, "\+" or control characters/,
    );
    assert.doesNotMatch(refused.stderr, /internal error/);
    assert.ok(!refused.stderr.includes('\u001b'), refused.stderr);
  }
  const badName = await runPalisade(['ledger', 'keygen', '--name', 'x\u001b[31m', '--out', 'keys/bad'], {
    cwd,
  });
  assert.equal(badName.code, 2);
  assert.ok(!(badName.stdout + badName.stderr).includes('\u001b'));

  const proofRun = await runPalisade(['ledger', 'proof', 'log', '7'], { cwd });
  assert.equal(proofRun.code, 0, proofRun.stderr);
  const proof = JSON.parse(proofRun.stdout);
  assert.equal(proof.entry, alert(7));
  assert.equal(proof.leafHash, hashLeaf(Buffer.from(alert(7))).toString('base64'));
  // A third party checks it with the public key alone.
  const verifier = parseVerifierKey(vkey);
  assert.ok(verifier.ok);
  const opened = openNote(proof.checkpoint, verifier.verifier);
  assert.ok(opened.ok);
  const checkpoint = parseCheckpoint(opened.text);
  assert.ok(checkpoint.ok);
  assert.equal(checkpoint.checkpoint.size, 12);
  const b64 = (s: string) => Buffer.from(s, 'base64');
  assert.equal(
    verifyInclusion(7, 12, b64(proof.leafHash), proof.proof.map(b64), checkpoint.checkpoint.rootHash).ok,
    true,
  );

  const sized = JSON.parse(
    (await runPalisade(['ledger', 'proof', 'log', '2', '--size', '5'], { cwd })).stdout,
  );
  assert.equal(sized.treeSize, 5);
  assert.ok(sized.checkpoint.includes('\n5\n'));

  const consistency = JSON.parse(
    (await runPalisade(['ledger', 'consistency', 'log', '5', '12'], { cwd })).stdout,
  );
  assert.equal(
    verifyConsistency(
      5,
      12,
      consistency.proof.map(b64),
      b64(consistency.rootHash1),
      b64(consistency.rootHash2),
    ).ok,
    true,
  );

  // Tampering: exit 1, with the location in the report.
  const entries = join(cwd, 'log/entries.jsonl');
  await writeFile(entries, (await readFile(entries, 'utf8')).replace('alert number 3', 'alert number 4'));
  const tampered = await runPalisade(['ledger', 'verify', 'log', '--key', 'keys/k.vkey'], { cwd });
  assert.equal(tampered.code, 1);
  assert.match(
    tampered.stdout,
    /^error: entries\.jsonl \(line 4, byte \d+\): entry 3 was altered \[entry-altered\]$/m,
  );
  assert.match(tampered.stdout, /^FAILED: /m);
});

test('usage errors exit 2 and say what is wrong', async () => {
  const cases: [string[], RegExp][] = [
    [['ledger', 'verify', 'log'], /--key FILE/],
    [['ledger', 'verify'], /give the ledger directory/],
    [['ledger', 'verify', 'log', '--key', 'k', '--format', 'xml'], /--format must be text or json/],
    [['ledger', 'proof', 'log'], /give DIR and ENTRY-INDEX/],
    [['ledger', 'proof', 'log', '-1'], /./],
    [['ledger', 'proof', 'log', 'x'], /ENTRY-INDEX must be a whole number/],
    [['ledger', 'consistency', 'log'], /SIZE1/],
    [['ledger', 'nope'], /unknown subcommand "nope"/],
    [['ledger', 'keygen', '--name', 'bad name'], /key name/],
  ];
  for (const [args, message] of cases) {
    const run = await runPalisade(args, { cwd });
    assert.equal(run.code, 2, `${args.join(' ')}: ${run.stderr}`);
    assert.match(run.stderr, message);
  }
  const help = await runPalisade(['ledger', 'verify', '--help'], { cwd });
  assert.equal(help.code, 0);
  assert.match(help.stdout, /palisade ledger verify DIR --key FILE/);
  const missing = await runPalisade(['ledger', 'verify', 'nowhere', '--key', 'nothing.vkey'], { cwd });
  assert.equal(missing.code, 3);
  assert.match(missing.stderr, /cannot read public key/);
  const privateAsPublic = join(cwd, 'priv.pem');
  await writeFile(
    privateAsPublic,
    '-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEIA==\n-----END PRIVATE KEY-----\n',
  );
  const refused = await runPalisade(['ledger', 'verify', cwd, '--key', privateAsPublic], { cwd });
  assert.equal(refused.code, 2);
  assert.doesNotMatch(refused.stderr, /MC4CAQ/, 'key material is never echoed');
});

/** A key made by `ledger keygen` in `cwd/sub` and a ledger of `entries` alerts in `cwd/sub/log`, signed with it. */
async function keyAndLedger(sub: string, entries: number, checkpointEveryEntries?: number): Promise<void> {
  await mkdir(join(cwd, sub));
  const made = await runPalisade(['ledger', 'keygen', '--out', `${sub}/k`], { cwd });
  assert.equal(made.code, 0, made.stderr);
  const ledger = await openLedger({
    dir: join(cwd, sub, 'log'),
    origin: 'palisade/alerts',
    signingKeyFile: join(cwd, sub, 'k.key'),
    ...(checkpointEveryEntries === undefined ? {} : { checkpointEveryEntries }),
  });
  for (let i = 0; i < entries; i += 1) await ledger.append(alert(i));
  await ledger.close();
}

test('repair moves a torn write aside; an interrupted verify stops cleanly', async () => {
  await keyAndLedger('r', 1);
  const entries = join(cwd, 'r/log/entries.jsonl');
  const size = (await stat(entries)).size;
  await writeFile(entries, '{"cut', { flag: 'a' });
  const torn = await runPalisade(['ledger', 'verify', 'r/log', '--key', 'r/k.vkey'], { cwd });
  assert.equal(torn.code, 1);
  assert.match(
    torn.stdout,
    new RegExp(
      `^error: entries\\.jsonl \\(line 2, byte ${size}\\): 5 byte\\(s\\) without a final newline`,
      'm',
    ),
  );
  const repaired = await runPalisade(['ledger', 'repair', 'r/log'], { cwd });
  assert.equal(repaired.code, 0);
  assert.equal(
    repaired.stdout,
    `entries.jsonl byte ${size}: 5 byte(s) moved to torn-entries.jsonl-at-${size}.partial\n`,
  );
  assert.equal((await runPalisade(['ledger', 'verify', 'r/log', '--key', 'r/k.vkey'], { cwd })).code, 0);
  assert.equal((await runPalisade(['ledger', 'repair', 'r/log'], { cwd })).stdout, 'nothing to repair\n');

  const controller = new AbortController();
  controller.abort();
  const interrupted = await runPalisade(['ledger', 'verify', 'r/log', '--key', 'r/k.vkey'], {
    cwd,
    signal: controller.signal,
  });
  assert.equal(interrupted.code, 3);
  assert.match(interrupted.stderr, /interrupted/);
});

test('proofs from a ledger whose leaf file is shorter than its latest checkpoint point to verify (exit 3)', async () => {
  await keyAndLedger('s', 10, 5);
  // Five of ten leaf hashes left: the checkpoint for ten now names leaves the file lacks.
  const leaves = join(cwd, 's/log/leaves.bin');
  await writeFile(leaves, (await readFile(leaves)).subarray(0, 5 * 32));
  for (const args of [
    ['proof', 's/log', '2'],
    ['consistency', 's/log', '1'],
  ]) {
    const run = await runPalisade(['ledger', ...args], { cwd });
    assert.equal(run.code, 3, `${args.join(' ')}: ${run.stderr}`);
    assert.match(
      run.stderr,
      /the latest checkpoint is for 10 entries but the leaf file holds 5: run ledger verify/,
    );
  }
});
