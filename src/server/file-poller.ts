// Notices when files change by polling their contents. Polling, not fs.watch: Kubernetes updates mounted Secrets
// and ConfigMaps by swapping a symlink (`..data`), which inotify watches on the files themselves miss, and
// polling behaves the same on every platform. Files here are a few kilobytes, read every few seconds.
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';

export interface FilePollerOptions {
  files: readonly string[];
  intervalMs: number;
  /** Called with the new contents after a change (and not for the first read). Errors are passed to onError. */
  onChange: (contents: Buffer[]) => void | Promise<void>;
  onError: (error: Error) => void;
}

export class FilePoller {
  readonly #options: FilePollerOptions;
  #fingerprint: string | undefined;
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
      this.#options.onError(error as Error);
      return;
    }
    const next = fingerprint(contents);
    if (next === this.#fingerprint) return;
    try {
      await this.#options.onChange(contents);
      this.#fingerprint = next;
    } catch (error) {
      // Not recorded as seen: a half-written rotation (new certificate, old key) is retried on the next tick.
      this.#options.onError(error as Error);
    }
  }

  #read(): Promise<Buffer[]> {
    return Promise.all(this.#options.files.map((file) => readFile(file)));
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
