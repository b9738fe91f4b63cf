// Events in, alerts out: the engine (which runs only rules at or above the minimum priority), rate limiting and the
// sinks, in that order.
// Summaries of rate-limited alerts are emitted as windows close (on the next alert, on `tick`, and at close);
// windows run on the events' time (rate-limit-clock.ts).
import type { Alert } from './alert.ts';
import { type AuditEvent, eventTimeMs } from './audit-event.ts';
import type { DetectionEngine } from './engine.ts';
import { atLeast, type Priority, parsePriority } from './priority.ts';
import { RateLimitClock } from './rate-limit-clock.ts';
import type { AlertRateLimiter } from './rate-limiter.ts';
import type { AlertSink } from './sinks/alert-sink.ts';

export interface AlertPipelineOptions {
  engine: DetectionEngine;
  sinks: readonly AlertSink[];
  rateLimiter?: AlertRateLimiter;
  /** The wall clock, which bounds the events' time (rate-limit-clock.ts). */
  nowMs?: () => number;
}

export class AlertPipeline {
  readonly engine: DetectionEngine;
  private readonly sinks: readonly AlertSink[];
  private readonly rateLimiter: AlertRateLimiter | undefined;
  private readonly clock: RateLimitClock;
  private readonly completeSinks: readonly AlertSink[];
  private readonly limitedSinks: readonly AlertSink[];
  emitted = 0;
  /** The most severe priority emitted so far (for --fail-on). */
  mostSevere: Priority | undefined;

  constructor(options: AlertPipelineOptions) {
    this.engine = options.engine;
    this.sinks = options.sinks;
    this.rateLimiter = options.rateLimiter;
    this.clock = new RateLimitClock(options.nowMs ?? Date.now);
    this.completeSinks = this.sinks.filter((sink) => sink.complete === true);
    this.limitedSinks = this.sinks.filter((sink) => sink.complete !== true);
  }

  process(events: readonly AuditEvent[]): void {
    for (const event of events) {
      this.clock.observe(eventTimeMs(event));
      for (const alert of this.engine.process(event)) this.route(alert);
    }
  }

  private route(alert: Alert): void {
    if (this.rateLimiter === undefined) {
      this.emit(alert, this.sinks);
      return;
    }
    // A complete record (the ledger) keeps every alert; rate limiting spares only the other sinks.
    if (this.completeSinks.length > 0) for (const sink of this.completeSinks) sink.write(alert);
    for (const item of this.rateLimiter.offer(alert, this.clock.now())) this.emit(item, this.limitedSinks);
  }

  private emit(alert: Alert, sinks: readonly AlertSink[]): void {
    this.emitted++;
    const priority = parsePriority(alert.priority);
    if (priority !== undefined && (this.mostSevere === undefined || atLeast(priority, this.mostSevere)))
      this.mostSevere = priority;
    for (const sink of sinks) sink.write(alert);
  }

  /** Emits summaries of rate-limit windows that have closed. */
  tick(): void {
    if (this.rateLimiter === undefined) return;
    for (const alert of this.rateLimiter.flush(this.clock.now())) this.emit(alert, this.limitedSinks);
  }

  async flush(): Promise<void> {
    await Promise.all(this.sinks.map((sink) => sink.flush()));
  }

  async close(): Promise<void> {
    if (this.rateLimiter !== undefined)
      for (const alert of this.rateLimiter.flush(Number.POSITIVE_INFINITY))
        this.emit(alert, this.limitedSinks);
    await Promise.all(this.sinks.map((sink) => sink.close()));
  }
}
