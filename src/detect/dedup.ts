// At-least-once delivery from the API server means repeats: remember (request, stage) pairs, boundedly.
import { isRecord } from '../core/kube-object.ts';
import type { AuditEvent } from './audit-event.ts';
import { BoundedMap } from './state/bounded-map.ts';

/**
 * What makes two events stages of the same request. The auditID alone is not it: kube-apiserver takes it from
 * the client's Audit-ID header as sent, so an attacker could reuse one and have a later request dropped as a
 * repeat. The time the server received the request, the verb, URI and user come from the server and the request.
 */
export function requestKey(event: AuditEvent): string {
  const user = isRecord(event.user) ? event.user.username : undefined;
  return [event.auditID, event.requestReceivedTimestamp, event.verb, event.requestURI, user]
    .map((part) => (typeof part === 'string' ? part : ''))
    .join('\0');
}

const STAGE_BITS: Record<string, number> = {
  RequestReceived: 1,
  ResponseStarted: 2,
  ResponseComplete: 4,
  Panic: 8,
};

const RESPONSE_BITS = 2 | 4 | 8;

export class EventDeduplicator {
  /** requestKey -> the stages seen, as bits: one lookup per event. */
  private readonly seen: BoundedMap<string, number>;

  constructor(capacity = 300_000) {
    this.seen = new BoundedMap(capacity);
  }

  /**
   * 'repeat' for a pair seen before; otherwise whether this is the request's first response-carrying stage
   * (ResponseStarted, ResponseComplete, Panic), which built-in rules use to alert once per request.
   */
  offer(key: string, stage: string): 'repeat' | 'first-response' | 'new' {
    const bit = STAGE_BITS[stage] ?? 16;
    const stages = this.seen.get(key) ?? 0;
    if ((stages & bit) !== 0) return 'repeat';
    this.seen.set(key, stages | bit);
    return (bit & RESPONSE_BITS) !== 0 && (stages & RESPONSE_BITS) === 0 ? 'first-response' : 'new';
  }
}
