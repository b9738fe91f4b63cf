// Long synchronous work (evaluating tens of thousands of objects, rendering their findings) keeps the event loop
// from delivering Ctrl-C or SIGTERM until it ends. Loops that may run long ask the pacer between steps: about
// every 50 ms it lets the event loop take a turn, and once the signal has aborted it throws its reason.

export class EventLoopPacer {
  #last = performance.now();
  readonly #signal: AbortSignal | undefined;
  readonly #everyMs: number;

  constructor(signal?: AbortSignal, everyMs = 50) {
    this.#signal = signal;
    this.#everyMs = everyMs;
  }

  /** Undefined while no turn is due (the caller need not await); else a promise for after the event loop's turn. */
  due(): Promise<void> | undefined {
    if (performance.now() - this.#last < this.#everyMs) return undefined;
    return new Promise<void>((resolve) => setImmediate(resolve)).then(() => {
      this.#last = performance.now();
      this.#signal?.throwIfAborted();
    });
  }
}
