// Notices when files change by polling their contents. Polling, not fs.watch: Kubernetes updates mounted Secrets
// and ConfigMaps by swapping a symlink (`..data`), which inotify watches on the files themselves miss, and
// polling behaves the same on every platform. Files here are a few kilobytes, read every few seconds.
import { createHash } from 'node:crypto';
import { readRegularFileSync } from '../core/regular-file.ts';

export interface FilePollerOptions {
  files: readonly string[];
  intervalMs: number;
  /** Called with the new contents after a change (and not for the first read). Errors are passed to onError. */
  onChange: (contents: Buffer[]) => void | Promise<void>;
  /**
   * Called once per distinct failure: contents that onChange rejected are not offered (nor reported) again until
   * they change, and the same read error is reported once until a read succeeds.
   */
  onError: (error: Error) => void;
  /**
   * A change is taken only when a second read this long after the first finds the same contents: a file being
   * written in place (an editor, `cat > policy.yaml`) can parse when cut short, and must not be loaded half-done.
   * Kubernetes' symlink swaps are atomic and pass at once. Default 0 (no second read).
   */
  settleMs?: number;
}

export class FilePoller {
  readonly #options: FilePollerOptions;
  #fingerprint: string | undefined;
  /** The contents onChange last rejected. */
  #failed: string | undefined;
  /** The message of the last read error reported. */
  #readError: string | undefined;
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<void> | undefined;

  constructor(options: FilePollerOptions) {
    this.#options = options;
  }

  /** Reads the files once to record their state, and starts polling. */
  async start(): Promise<Buffer[]> {
    const contents = await this.#read();
    this.#fingerprint = fingerprint(contents);
    this.#timer = setInterval(() => void this.check(), this.#options.intervalMs);
    // Polling must not keep a process alive on its own.
    this.#timer.unref();
    return contents;
  }

  /** Checks now (tests and SIGHUP call this); concurrent calls share one check. */
  check(): Promise<void> {
    this.#running ??= this.#checkOnce().finally(() => {
      this.#running = undefined;
    });
    return this.#running;
  }

  async #checkOnce(): Promise<void> {
    let contents: Buffer[];
    try {
      contents = await this.#read();
    } catch (error) {
      const message = (error as Error).message;
      if (message === this.#readError) return;
      this.#readError = message;
      this.#options.onError(error as Error);
      return;
    }
    this.#readError = undefined;
    const next = fingerprint(contents);
    if (next === this.#fingerprint) {
      // Back to the contents in use: should the bad version come back, that is a new change to report.
      this.#failed = undefined;
      return;
    }
    // Rejected already and unchanged since: reported once, not on every tick. A half-written rotation (new
    // certificate, old key) changes the fingerprint again when the rest is written, and is tried then.
    if (next === this.#failed) return;
    if (!(await this.#settled(next))) return;
    try {
      await this.#options.onChange(contents);
      this.#fingerprint = next;
      this.#failed = undefined;
    } catch (error) {
      this.#failed = next;
      this.#options.onError(error as Error);
    }
  }

  /** True when the files still have the contents `expected` after settleMs (still being written otherwise). */
  async #settled(expected: string): Promise<boolean> {
    const delay = this.#options.settleMs ?? 0;
    if (delay <= 0) return true;
    await new Promise((resolve) => setTimeout(resolve, delay));
    try {
      return fingerprint(await this.#read()) === expected;
    } catch {
      // Replaced or removed meanwhile: the next tick sees what is there.
      return false;
    }
  }

  /** Regular files only: a policy or key replaced by a FIFO must not block the server in open(). */
  async #read(): Promise<Buffer[]> {
    return this.#options.files.map((file) => readRegularFileSync(file));
  }

  stop(): void {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = undefined;
  }
}

function fingerprint(contents: readonly Buffer[]): string {
  const hash = createHash('sha256');
  for (const content of contents) hash.update(createHash('sha256').update(content).digest());
  return hash.digest('hex');
}
