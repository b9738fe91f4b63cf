// A real ledger on disk for tests: keys from the real key generator, entries through the real openLedger.
import { cp, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateLedgerKeys } from '../../src/ledger/keys.ts';
import { openLedger } from '../../src/ledger/open-ledger.ts';
import { type NoteVerifier, parseVerifierKey } from '../../src/ledger/signed-note.ts';

export const ORIGIN = 'palisade.test/alerts';

export interface Fixture {
  root: string;
  dir: string;
  keyFile: string;
  publicKeyFile: string;
  verifierKeyFile: string;
  verifier: NoteVerifier;
  lines: string[];
  cleanup: () => Promise<void>;
}

export const alert = (i: number) =>
  JSON.stringify({ rule: `rule-${i % 3}`, priority: 'Warning', output: `alert number ${i}` });

export async function makeKeys(root: string, name = ORIGIN) {
  const keys = generateLedgerKeys(name);
  const keyFile = join(root, 'ledger.key');
  const publicKeyFile = join(root, 'ledger.pub');
  const verifierKeyFile = join(root, 'ledger.vkey');
  await writeFile(keyFile, keys.privateKeyPem, { mode: 0o600 });
  await writeFile(publicKeyFile, keys.publicKeyPem);
  await writeFile(verifierKeyFile, `${keys.verifierKey}\n`);
  const parsed = parseVerifierKey(keys.verifierKey);
  if (!parsed.ok) throw new Error(parsed.reason);
  return { keyFile, publicKeyFile, verifierKeyFile, verifier: parsed.verifier };
}

/** `entries` alerts appended one at a time, a checkpoint every `every` entries, closed (final checkpoint). */
export async function makeLedger(entries: number, every: number): Promise<Fixture> {
  const root = await mkdtemp(join(tmpdir(), 'palisade-ledger-'));
  const keys = await makeKeys(root);
  const dir = join(root, 'log');
  const ledger = await openLedger({
    dir,
    origin: ORIGIN,
    signingKeyFile: keys.keyFile,
    checkpointEveryEntries: every,
  });
  const lines: string[] = [];
  for (let i = 0; i < entries; i += 1) {
    lines.push(alert(i));
    await ledger.append(alert(i));
  }
  await ledger.close();
  return { root, dir, ...keys, lines, cleanup: () => rm(root, { recursive: true, force: true }) };
}

/** Byte offset of 0-based line `index` in text made of `lines` joined by newlines. */
export function offsetOfLine(lines: readonly string[], index: number): number {
  return lines.slice(0, index).reduce((sum, line) => sum + Buffer.byteLength(line) + 1, 0);
}

/** A fresh copy of the pristine ledger, inside the fixture's root (removed with it), to tamper with. */
export async function copyLedger(fixture: Fixture): Promise<string> {
  const dir = await mkdtemp(join(fixture.root, 'copy-'));
  await cp(fixture.dir, dir, { recursive: true });
  return dir;
}
