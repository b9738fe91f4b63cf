// Progress of a cluster read on a terminal (stderr): one line rewritten in place, never in redirected output.

export interface ProgressSink {
  phase(text: string): void;
  /** A resource kind is being listed; `total` kinds in all. */
  listing(kind: string, total: number): void;
  items(count: number): void;
  kindDone(): void;
  end(): void;
}

export const SILENT_PROGRESS: ProgressSink = {
  phase() {},
  listing() {},
  items() {},
  kindDone() {},
  end() {},
};

/** Redraws at most every `intervalMs`, so that a fast read does not spend its time writing to the terminal. */
export class TerminalProgress implements ProgressSink {
  readonly #stream: NodeJS.WritableStream;
  readonly #intervalMs: number;
  readonly #clock: () => number;
  #phase = '';
  #kinds = 0;
  #total = 0;
  #objects = 0;
  #current = '';
  #lastDraw = 0;
  #drawn = false;

  constructor(stream: NodeJS.WritableStream, intervalMs = 100, clock: () => number = Date.now) {
    this.#stream = stream;
    this.#intervalMs = intervalMs;
    this.#clock = clock;
  }

  phase(text: string): void {
    this.#phase = text;
    this.#draw(true);
  }

  listing(kind: string, total: number): void {
    this.#current = kind;
    this.#total = total;
    this.#draw(false);
  }

  items(count: number): void {
    this.#objects += count;
    this.#draw(false);
  }

  kindDone(): void {
    this.#kinds++;
    this.#draw(false);
  }

  end(): void {
    if (this.#drawn) this.#stream.write('\r\x1b[K');
    this.#drawn = false;
  }

  #draw(force: boolean): void {
    const now = this.#clock();
    if (!force && now - this.#lastDraw < this.#intervalMs) return;
    this.#lastDraw = now;
    const listing =
      this.#total > 0
        ? ` ${this.#kinds}/${this.#total} kinds, ${this.#objects} objects${this.#current ? ` (${this.#current})` : ''}`
        : '';
    this.#stream.write(`\r\x1b[K${this.#phase}${listing}`);
    this.#drawn = true;
  }
}
