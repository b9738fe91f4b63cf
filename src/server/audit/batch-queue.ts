// Accepted batches wait here to be processed in order by one worker, so the receiver answers the API server
// at once. The queue is bounded by events: when full, new batches are refused (503, the API server retries)
// rather than accepted and dropped. `drain` processes everything accepted before shutdown.
import type { AuditEvent } from '../../detect/audit-event.ts';

export interface BatchQueueOptions {
  maxEvents: number;
  process: (events: readonly AuditEvent[]) => Promise<void> | void;
  onError?: (error: Error) => void;
}

export class AuditBatchQueue {
  private readonly options: BatchQueueOptions;
  private readonly batches: AuditEvent[][] = [];
  private queuedEvents = 0;
  private worker: Promise<void> | undefined;
  accepted = 0;
  refused = 0;
  processed = 0;

  constructor(options: BatchQueueOptions) {
    this.options = options;
  }

  get depth(): number {
    return this.queuedEvents;
  }

  /** False when accepting the batch would exceed the bound. */
  offer(events: AuditEvent[]): boolean {
    if (events.length === 0) return true;
    if (this.queuedEvents > 0 && this.queuedEvents + events.length > this.options.maxEvents) {
      this.refused++;
      return false;
    }
    this.batches.push(events);
    this.queuedEvents += events.length;
    this.accepted++;
    this.worker ??= this.run().finally(() => {
      this.worker = undefined;
    });
    return true;
  }

  private async run(): Promise<void> {
    for (;;) {
      const batch = this.batches.shift();
      if (batch === undefined) return;
      try {
        await this.options.process(batch);
      } catch (error) {
        this.options.onError?.(error as Error);
      }
      this.queuedEvents -= batch.length;
      this.processed += batch.length;
      // Let the event loop answer requests between batches.
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
  }

  async drain(): Promise<void> {
    while (this.worker !== undefined) await this.worker;
  }
}
