// The clock rate-limit windows run on. Windows follow the audit events' own time, so a replay of a long log
// (`--once`, or a follower catching up) limits as watching live would have, instead of folding hours of alerts
// into one wall-clock minute. Bounds keep a stray timestamp harmless live: an event stamped later than the wall
// clock counts as now (it cannot close windows early), one stamped earlier than the clock never moves it back
// (it cannot hold windows open), and between events the clock runs on at the wall clock's pace, so every window
// closes within its length in real time.

export class RateLimitClock {
  private readonly wallMs: () => number;
  private clockMs: number | undefined;
  private wallAtMs = 0;

  constructor(wallMs: () => number) {
    this.wallMs = wallMs;
  }

  /** Moves the clock to an event's time (milliseconds; undefined when the event has none), within the bounds. */
  observe(eventMs: number | undefined): void {
    const wall = this.wallMs();
    const current = this.clockMs === undefined ? undefined : this.readAt(wall);
    const stamped =
      eventMs === undefined || Number.isNaN(eventMs) ? (current ?? wall) : Math.min(eventMs, wall);
    this.clockMs = current === undefined ? stamped : Math.max(current, stamped);
    this.wallAtMs = wall;
  }

  /** The time now: the wall clock until an event has been seen. */
  now(): number {
    return this.readAt(this.wallMs());
  }

  private readAt(wall: number): number {
    if (this.clockMs === undefined) return wall;
    // Monotonic, even when the wall clock is stepped back.
    return this.clockMs + Math.max(0, wall - this.wallAtMs);
  }
}
