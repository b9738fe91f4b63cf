// The append side of the ledger. Appends are group-committed: entries waiting while a write is in flight
// go out together in one write and one fdatasync per file, so durability does not cost one sync per alert.
// Order on disk: entry lines are synced before their leaf hashes, and a checkpoint is written only over
// synced leaves. Any I/O failure stops the ledger (fail-stop): the files may hold a partial write, which the
// next open will refuse until repaired, so nothing half-written is ever signed.
import type { KeyObject } from 'node:crypto';
import { constants } from 'node:fs';
import { type FileHandle, open, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { PalisadeError } from '../core/errors.ts';
import { makeDirectory } from '../core/make-directory.ts';
import { formatCheckpoint } from './checkpoint.ts';
import { acquireLock } from './file-lock.ts';
import { ledgerPaths } from './ledger-files.ts';
import { hashLeaf } from './merkle-hash.ts';
import type { MerkleTree } from './merkle-tree.ts';
import { hasLoneSurrogate, signNote } from './signed-note.ts';
import type { WriterState } from './writer-recovery.ts';

export interface WriterSettings {
  dir: string;
  origin: string;
  signingKey: KeyObject;
  checkpointEveryEntries: number;
  checkpointEveryMs: number;
}

interface WriterConfig extends WriterSettings {
  tree: MerkleTree;
  checkpointSize: number;
}

interface PendingAppend {
  line: Buffer;
  resolve: (result: { index: number }) => void;
  reject: (error: unknown) => void;
}

async function writeAll(handle: FileHandle, data: Buffer): Promise<void> {
  let written = 0;
  while (written < data.length) {
    const { bytesWritten } = await handle.write(data, written, data.length - written);
    written += bytesWritten;
  }
}

/** Appends, never through a symbolic link (recovery refused one already; this closes the race after it). */
const APPEND_NO_FOLLOW = constants.O_WRONLY | constants.O_APPEND | constants.O_CREAT | constants.O_NOFOLLOW;

async function syncDirectory(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

export class LedgerWriter {
  readonly #config: WriterConfig;
  readonly #paths: ReturnType<typeof ledgerPaths>;
  readonly #entries: FileHandle;
  readonly #leaves: FileHandle;
  readonly #history: FileHandle;
  readonly #releaseLock: () => Promise<void>;
  #checkpointSize: number;
  #pending: PendingAppend[] = [];
  #flushQueued = false;
  #queue: Promise<void> = Promise.resolve();
  #timer: NodeJS.Timeout | undefined;
  #failure: unknown;
  #closing: Promise<void> | undefined;

  private constructor(
    config: WriterConfig,
    handles: { entries: FileHandle; leaves: FileHandle; history: FileHandle },
    releaseLock: () => Promise<void>,
  ) {
    this.#config = config;
    this.#paths = ledgerPaths(config.dir);
    this.#entries = handles.entries;
    this.#leaves = handles.leaves;
    this.#history = handles.history;
    this.#releaseLock = releaseLock;
    this.#checkpointSize = config.checkpointSize;
  }

  /** Takes the directory lock, then opens the files for appending. */
  static async start(settings: WriterSettings, recover: () => Promise<WriterState>): Promise<LedgerWriter> {
    makeDirectory(settings.dir, 0o700);
    const paths = ledgerPaths(settings.dir);
    const releaseLock = await acquireLock(paths.lock);
    const handles: FileHandle[] = [];
    try {
      const recovered = await recover();
      const config: WriterConfig = {
        ...settings,
        tree: recovered.tree,
        checkpointSize: recovered.checkpointSize,
      };
      const entries = await open(paths.entries, APPEND_NO_FOLLOW, 0o600);
      handles.push(entries);
      const leaves = await open(paths.leaves, APPEND_NO_FOLLOW, 0o600);
      handles.push(leaves);
      const history = await open(paths.checkpoints, APPEND_NO_FOLLOW, 0o600);
      handles.push(history);
      const writer = new LedgerWriter(config, { entries, leaves, history }, releaseLock);
      if (recovered.latestFileStale && recovered.latestNote !== undefined)
        await writer.#replaceLatest(recovered.latestNote);
      writer.#armTimerIfUnsigned();
      return writer;
    } catch (error) {
      await Promise.allSettled(handles.map((handle) => handle.close()));
      await releaseLock();
      throw error;
    }
  }

  append(entry: string): Promise<{ index: number }> {
    if (typeof entry !== 'string' || entry.length === 0)
      return Promise.reject(new PalisadeError('usage', 'a ledger entry must be a non-empty string'));
    if (entry.includes('\n') || entry.includes('\r'))
      return Promise.reject(new PalisadeError('usage', 'a ledger entry must be one line (no CR or LF)'));
    if (hasLoneSurrogate(entry))
      return Promise.reject(new PalisadeError('usage', 'a ledger entry must be well-formed Unicode'));
    const stopped = this.#stoppedError();
    if (stopped) return Promise.reject(stopped);
    return new Promise((resolve, reject) => {
      this.#pending.push({ line: Buffer.from(`${entry}\n`, 'utf8'), resolve, reject });
      if (!this.#flushQueued) {
        this.#flushQueued = true;
        // A checkpoint failing after the flush stops the ledger (#failure); later calls report it.
        this.#enqueue(() => this.#flush()).catch(() => undefined);
      }
    });
  }

  checkpoint(): Promise<void> {
    const stopped = this.#stoppedError();
    if (stopped) return Promise.reject(stopped);
    return this.#enqueue(() => this.#writeCheckpoint());
  }

  close(): Promise<void> {
    this.#closing ??= (async () => {
      clearTimeout(this.#timer);
      try {
        // Appends already accepted are flushed before the final checkpoint (they are ahead in the queue).
        if (this.#failure === undefined) await this.#enqueue(() => this.#writeCheckpoint());
      } finally {
        await this.#queue.catch(() => undefined);
        await Promise.allSettled([this.#entries.close(), this.#leaves.close(), this.#history.close()]);
        await this.#releaseLock();
      }
      if (this.#failure !== undefined) throw this.#failure;
    })();
    return this.#closing;
  }

  #stoppedError(): Error | undefined {
    if (this.#closing) return new PalisadeError('usage', `ledger ${this.#config.dir} is closed`);
    if (this.#failure !== undefined)
      return new PalisadeError(
        'output-unwritable',
        `ledger ${this.#config.dir} stopped after a write failure`,
        {
          cause: this.#failure,
        },
      );
    return undefined;
  }

  #enqueue(operation: () => Promise<void>): Promise<void> {
    const run = this.#queue.then(() => {
      if (this.#failure !== undefined) throw this.#stoppedError();
      return operation();
    });
    this.#queue = run.catch(() => undefined);
    return run;
  }

  async #flush(): Promise<void> {
    this.#flushQueued = false;
    const batch = this.#pending.splice(0);
    if (batch.length === 0) return;
    try {
      const leaves = batch.map((item) => hashLeaf(item.line.subarray(0, item.line.length - 1)));
      await writeAll(this.#entries, Buffer.concat(batch.map((item) => item.line)));
      await this.#entries.datasync();
      await writeAll(this.#leaves, Buffer.concat(leaves));
      await this.#leaves.datasync();
      const first = this.#config.tree.size;
      for (const leaf of leaves) this.#config.tree.appendLeafHash(leaf);
      for (const [offset, item] of batch.entries()) item.resolve({ index: first + offset });
    } catch (error) {
      this.#failure = error;
      clearTimeout(this.#timer);
      const failure = new PalisadeError('output-unwritable', `ledger ${this.#config.dir}: append failed`, {
        cause: error,
      });
      for (const item of batch) item.reject(failure);
      for (const item of this.#pending.splice(0)) item.reject(failure);
      return;
    }
    if (this.#config.tree.size - this.#checkpointSize >= this.#config.checkpointEveryEntries)
      await this.#writeCheckpoint();
    else this.#armTimerIfUnsigned();
  }

  async #writeCheckpoint(): Promise<void> {
    const size = this.#config.tree.size;
    if (size === this.#checkpointSize) return;
    const text = formatCheckpoint({
      origin: this.#config.origin,
      size,
      rootHash: this.#config.tree.root(size),
      extensions: [],
    });
    const note = signNote(text, this.#config.origin, this.#config.signingKey);
    try {
      await writeAll(this.#history, Buffer.from(note, 'utf8'));
      await this.#history.datasync();
      await this.#replaceLatest(note);
    } catch (error) {
      this.#failure = error;
      throw new PalisadeError('output-unwritable', `ledger ${this.#config.dir}: checkpoint failed`, {
        cause: error,
      });
    }
    this.#checkpointSize = size;
    clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  /** Atomically replaces the published checkpoint: write a temporary file, sync, rename, sync the directory. */
  async #replaceLatest(note: string): Promise<void> {
    const temporary = join(this.#config.dir, `.checkpoint.${process.pid}.tmp`);
    // Created afresh (O_EXCL): a file or link someone left under this name is removed, never written through.
    await rm(temporary, { force: true });
    const handle = await open(temporary, 'wx', 0o644);
    try {
      await writeAll(handle, Buffer.from(note, 'utf8'));
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temporary, this.#paths.latest);
    await syncDirectory(this.#config.dir);
  }

  #armTimerIfUnsigned(): void {
    if (this.#timer !== undefined || this.#config.tree.size === this.#checkpointSize) return;
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      // A failed timed checkpoint stops the ledger; the next append or close reports it.
      this.#enqueue(() => this.#writeCheckpoint()).catch(() => undefined);
    }, this.#config.checkpointEveryMs);
    this.#timer.unref();
  }
}
