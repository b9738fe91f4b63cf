// Rate limiting per (rule, identity): at most `limit` alerts per window pass; the rest are counted and
// reported in one aggregated alert when the window closes, so a flood is visible without drowning the sinks.
import type { Alert } from './alert.ts';

export interface RateLimit {
  limit: number;
  windowMs: number;
}

interface Window {
  startMs: number;
  passed: number;
  suppressed: number;
  last: Alert;
}

export const AGGREGATED_FIELD = 'palisade.aggregated_count';

export class AlertRateLimiter {
  private readonly limit: number;
  private readonly windowMs: number;
  private readonly windows = new Map<string, Window>();
  suppressedTotal = 0;

  constructor(rateLimit: RateLimit) {
    this.limit = rateLimit.limit;
    this.windowMs = rateLimit.windowMs;
  }

  private keyOf(alert: Alert): string {
    const user = alert.output_fields['ka.user.name'];
    return `${alert.rule}\u0000${user ?? ''}`;
  }

  /** Alerts to emit now: the alert itself when under the limit, plus summaries of windows it closes. */
  offer(alert: Alert, nowMs: number): Alert[] {
    const out = this.flush(nowMs);
    if (this.limit <= 0) {
      out.push(alert);
      return out;
    }
    const key = this.keyOf(alert);
    const window = this.windows.get(key);
    if (window === undefined) {
      this.windows.set(key, { startMs: nowMs, passed: 1, suppressed: 0, last: alert });
      out.push(alert);
    } else if (window.passed < this.limit) {
      window.passed++;
      window.last = alert;
      out.push(alert);
    } else {
      window.suppressed++;
      window.last = alert;
      this.suppressedTotal++;
    }
    return out;
  }

  /** Summaries for windows that ended before `nowMs` (all of them when `nowMs` is Infinity, at shutdown). */
  flush(nowMs: number): Alert[] {
    const out: Alert[] = [];
    for (const [key, window] of this.windows) {
      if (nowMs - window.startMs < this.windowMs) continue;
      this.windows.delete(key);
      if (window.suppressed > 0) out.push(summaryOf(window, this.windowMs));
    }
    return out;
  }
}

/** The last alert held back, counting all held back (itself included); its text counts the others. */
function summaryOf(window: Window, windowMs: number): Alert {
  const last = window.last;
  const seconds = Math.round(windowMs / 1000);
  const others = window.suppressed - 1;
  const note =
    others === 0
      ? `the only one like it held back by rate limiting in ${seconds}s`
      : `and ${others} more like it in ${seconds}s, aggregated by rate limiting`;
  return {
    ...last,
    output: `${last.output} [${note}]`,
    output_fields: { ...last.output_fields, [AGGREGATED_FIELD]: window.suppressed },
    tags: [...last.tags, 'aggregated'],
  };
}

/** Parses "20/60" (20 alerts per 60 seconds); "0" disables limiting. */
export function parseRateLimit(text: string): RateLimit | undefined {
  if (text.trim() === '0') return { limit: 0, windowMs: 60_000 };
  const match = /^(\d+)\/(\d+(?:\.\d+)?)$/.exec(text.trim());
  if (match === null) return undefined;
  const limit = Number(match[1]);
  const windowMs = Number(match[2]) * 1000;
  // Digits past 2^53 would quietly become another number.
  if (windowMs <= 0 || !Number.isSafeInteger(limit) || !Number.isSafeInteger(Math.ceil(windowMs)))
    return undefined;
  return { limit, windowMs };
}
