// openLedger: the API the detection engine appends alerts through (see index.ts for the contract).
import { PalisadeError } from '../core/errors.ts';
import { loadSigningKey } from './keys.ts';
import { LedgerWriter } from './ledger-writer.ts';
import { isValidKeyName, makeVerifier } from './signed-note.ts';
import { recoverWriterState } from './writer-recovery.ts';

export interface LedgerOptions {
  /** Directory the ledger owns (its entry log and checkpoints live there). Created if missing. */
  dir: string;
  /** Checkpoint origin line (C2SP signed-note checkpoint), e.g. "palisade/alerts". */
  origin: string;
  /** Ed25519 private key, PEM PKCS#8, as written by `palisade ledger keygen`. */
  signingKeyFile: string;
  /** Write a signed checkpoint after this many new entries (default 1000) ... */
  checkpointEveryEntries?: number;
  /** ... or after this many milliseconds with new entries (default 60000). */
  checkpointEveryMs?: number;
}

export interface AlertLedger {
  /** Appends one entry (one alert JSON text, no trailing newline); durable when the promise resolves. */
  append(entry: string): Promise<{ index: number }>;
  /** Writes a signed checkpoint now if there are new entries. */
  checkpoint(): Promise<void>;
  /** Writes a final checkpoint and releases the files. */
  close(): Promise<void>;
}

export const DEFAULT_CHECKPOINT_EVERY_ENTRIES = 1000;
export const DEFAULT_CHECKPOINT_EVERY_MS = 60_000;
// setTimeout cannot wait longer than this (about 24.8 days).
const MAX_TIMER_MS = 2 ** 31 - 1;

function positiveInteger(value: number | undefined, fallback: number, name: string, max: number): number {
  if (value === undefined) return fallback;
  if (!Number.isSafeInteger(value) || value <= 0 || value > max)
    throw new PalisadeError(
      'config-invalid',
      `${name} must be a whole number from 1 to ${max}, got ${value}`,
    );
  return value;
}

export async function openLedger(options: LedgerOptions): Promise<AlertLedger> {
  if (typeof options.dir !== 'string' || options.dir.length === 0)
    throw new PalisadeError('config-invalid', 'ledger dir must be a non-empty path');
  if (!isValidKeyName(options.origin))
    throw new PalisadeError(
      'config-invalid',
      `ledger origin "${options.origin}" must be non-empty, without spaces or "+" (it also names the signing key)`,
    );
  const checkpointEveryEntries = positiveInteger(
    options.checkpointEveryEntries,
    DEFAULT_CHECKPOINT_EVERY_ENTRIES,
    'checkpointEveryEntries',
    Number.MAX_SAFE_INTEGER,
  );
  const checkpointEveryMs = positiveInteger(
    options.checkpointEveryMs,
    DEFAULT_CHECKPOINT_EVERY_MS,
    'checkpointEveryMs',
    MAX_TIMER_MS,
  );
  const signingKey = await loadSigningKey(options.signingKeyFile);
  const verifier = makeVerifier(options.origin, signingKey);
  let writer: LedgerWriter;
  try {
    writer = await LedgerWriter.start(
      { dir: options.dir, origin: options.origin, signingKey, checkpointEveryEntries, checkpointEveryMs },
      () => recoverWriterState(options.dir, options.origin, verifier),
    );
  } catch (error) {
    if (error instanceof PalisadeError) throw error;
    throw new PalisadeError('output-unwritable', `ledger ${options.dir}: ${(error as Error).message}`, {
      cause: error,
    });
  }
  return {
    append: (entry) => writer.append(entry),
    checkpoint: () => writer.checkpoint(),
    close: () => writer.close(),
  };
}
