// Groups the work of one event-loop turn: requests whose bodies arrived together are decided one after another once
// every ready socket has been read, and their answers are written after the last decision, instead of each decision
// sitting between two socket reads and two socket writes. The decision code and its data then stay in the CPU's
// caches from one request to the next, which the system calls in between would otherwise evict. Under load this cut
// the webhook's CPU per review by a fifth to a half on the 2-core benchmark machine (docs/webhook.md); an idle
// server waits only for the rest of its turn (microseconds).

export class TurnBatch {
  #gate: Promise<void> | undefined;
  #writes: (() => void)[] = [];
  readonly #onError: (error: unknown) => void;

  /** `onError` hears of a write that threw; the other writes of the turn still run. */
  constructor(onError: (error: unknown) => void) {
    this.#onError = onError;
  }

  /** Settles in the check phase of the current turn; every caller of the same turn shares it. */
  gate(): Promise<void> {
    this.#gate ??= new Promise<void>((resolve) =>
      setImmediate(() => {
        this.#gate = undefined;
        resolve();
      }),
    );
    return this.#gate;
  }

  /**
   * Runs `write` once the current run of continuations is over: a nextTick callback runs after the microtask queue
   * has drained, so after every decision resumed by the same gate. Writes run in the order they were queued.
   */
  write(write: () => void): void {
    if (this.#writes.length === 0) process.nextTick(this.#flush);
    this.#writes.push(write);
  }

  readonly #flush = (): void => {
    const writes = this.#writes;
    this.#writes = [];
    for (const write of writes) {
      try {
        write();
      } catch (error) {
        this.#onError(error);
      }
    }
  };
}
