// Ledger throughput: append rate (entries/s) against plain appendFile of the same lines, and against a
// write + fdatasync per line (the same durability promise as the ledger); verify rate against the bare
// minimum a verifier must do (read the file and SHA-256 every line). All measured in this run, same disk.
//   node bench/ledger.ts [ENTRIES]   (default 20000; LEDGER_BENCH_DIR picks the directory, default tmpdir)
import { createHash } from 'node:crypto';
import { appendFile, mkdtemp, open, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateLedgerKeys } from '../src/ledger/keys.ts';
import { verifyLedger } from '../src/ledger/ledger-verify.ts';
import { openLedger } from '../src/ledger/open-ledger.ts';
import { parseVerifierKey } from '../src/ledger/signed-note.ts';

const total = Number(process.argv[2] ?? 20000);
const sequentialCount = Math.min(total, 2000);
const root = await mkdtemp(join(process.env.LEDGER_BENCH_DIR ?? tmpdir(), 'palisade-ledger-bench-'));
const lines = Array.from({ length: total }, (_, i) =>
  JSON.stringify({
    time: new Date(1_790_000_000_000 + i * 1000).toISOString(),
    rule: 'Attach/Exec Pod',
    priority: 'Notice',
    output: `Attach/Exec to pod (user=system:admin pod=web-${i % 97} resource=pods/exec ns=default)`,
    output_fields: {
      'ka.user.name': 'system:admin',
      'ka.target.name': `web-${i % 97}`,
      'ka.auditid': `id-${i}`,
    },
    source: 'k8s_audit',
    tags: ['k8s'],
  }),
);

async function timed(run: () => Promise<void>): Promise<number> {
  const start = process.hrtime.bigint();
  await run();
  return Number(process.hrtime.bigint() - start) / 1e9;
}

const rate = (count: number, seconds: number) => count / seconds;
const fmt = (value: number) => Math.round(value).toLocaleString('en-US');

const keys = generateLedgerKeys('bench/alerts');
const keyFile = join(root, 'bench.key');
await writeFile(keyFile, keys.privateKeyPem, { mode: 0o600 });
const parsed = parseVerifierKey(keys.verifierKey);
if (!parsed.ok) throw new Error(parsed.reason);

// Baselines.
const plainFile = join(root, 'plain.jsonl');
const plainSeconds = await timed(async () => {
  for (const line of lines.slice(0, sequentialCount)) await appendFile(plainFile, `${line}\n`);
});
const syncedFile = await open(join(root, 'synced.jsonl'), 'a');
const syncedSeconds = await timed(async () => {
  for (const line of lines.slice(0, sequentialCount)) {
    await syncedFile.write(`${line}\n`);
    await syncedFile.datasync();
  }
});
await syncedFile.close();

// The ledger, one append at a time (each awaited), then many in flight (group commit).
const sequentialDir = join(root, 'sequential');
let ledger = await openLedger({ dir: sequentialDir, origin: 'bench/alerts', signingKeyFile: keyFile });
const sequentialSeconds = await timed(async () => {
  for (const line of lines.slice(0, sequentialCount)) await ledger.append(line);
});
await ledger.close();

const concurrentDir = join(root, 'concurrent');
ledger = await openLedger({ dir: concurrentDir, origin: 'bench/alerts', signingKeyFile: keyFile });
const inFlight = 256;
const concurrentSeconds = await timed(async () => {
  for (let start = 0; start < total; start += inFlight)
    await Promise.all(lines.slice(start, start + inFlight).map((line) => ledger.append(line)));
});
await ledger.close();

// Verify: the whole log, against reading and hashing every line.
const entriesFile = join(concurrentDir, 'entries.jsonl');
const hashOnlySeconds = await timed(async () => {
  const text = await readFile(entriesFile);
  let start = 0;
  for (let newline = text.indexOf(10); newline >= 0; newline = text.indexOf(10, start)) {
    createHash('sha256').update(text.subarray(start, newline)).digest();
    start = newline + 1;
  }
});
let verifiedOk = false;
const verifySeconds = await timed(async () => {
  verifiedOk = (await verifyLedger({ dir: concurrentDir, verifier: parsed.verifier })).ok;
});
if (!verifiedOk) throw new Error('the benchmark ledger did not verify');

console.log(
  `ledger benchmark: ${total} alert entries (${Math.round(lines.reduce((s, l) => s + l.length + 1, 0) / total)} bytes each), directory ${root}`,
);
console.log(`append, one at a time (${sequentialCount} entries):`);
console.log(
  `  baseline appendFile per line (no sync)     ${fmt(rate(sequentialCount, plainSeconds))} entries/s`,
);
console.log(
  `  baseline write + fdatasync per line        ${fmt(rate(sequentialCount, syncedSeconds))} entries/s`,
);
console.log(
  `  ledger.append, awaited each                ${fmt(rate(sequentialCount, sequentialSeconds))} entries/s` +
    `  (${(plainSeconds / sequentialSeconds).toFixed(2)}x appendFile, ${(syncedSeconds / sequentialSeconds).toFixed(2)}x write+fdatasync)`,
);
console.log(`append, ${inFlight} in flight (${total} entries, group commit):`);
console.log(
  `  ledger.append                              ${fmt(rate(total, concurrentSeconds))} entries/s` +
    `  (${(rate(total, concurrentSeconds) / rate(sequentialCount, plainSeconds)).toFixed(2)}x appendFile per line)`,
);
console.log(`verify (${total} entries, ${Math.ceil(total / 1000)} checkpoints):`);
console.log(`  baseline read + SHA-256 per line           ${fmt(rate(total, hashOnlySeconds))} entries/s`);
console.log(
  `  ledger verify                              ${fmt(rate(total, verifySeconds))} entries/s` +
    `  (${(hashOnlySeconds / verifySeconds).toFixed(2)}x the baseline)`,
);
await rm(root, { recursive: true, force: true });
