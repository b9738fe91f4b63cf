// At-least-once delivery from the API server means repeats: remember (auditID, stage) pairs, boundedly.
import { BoundedMap } from './state/bounded-map.ts';

const STAGE_BITS: Record<string, number> = {
  RequestReceived: 1,
  ResponseStarted: 2,
  ResponseComplete: 4,
  Panic: 8,
};

const RESPONSE_BITS = 2 | 4 | 8;

export class EventDeduplicator {
  /** auditID -> the stages seen, as bits: one lookup per event. */
  private readonly seen: BoundedMap<string, number>;

  constructor(capacity = 300_000) {
    this.seen = new BoundedMap(capacity);
  }

  /**
   * 'repeat' for a pair seen before; otherwise whether this is the request's first response-carrying stage
   * (ResponseStarted, ResponseComplete, Panic), which built-in rules use to alert once per request.
   */
  offer(auditID: string, stage: string): 'repeat' | 'first-response' | 'new' {
    const bit = STAGE_BITS[stage] ?? 16;
    const stages = this.seen.get(auditID) ?? 0;
    if ((stages & bit) !== 0) return 'repeat';
    this.seen.set(auditID, stages | bit);
    return (bit & RESPONSE_BITS) !== 0 && (stages & RESPONSE_BITS) === 0 ? 'first-response' : 'new';
  }
}
