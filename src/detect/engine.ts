// The detection engine: deduplicates events, lets the state learn from them, and runs the rulesets.
// Each ruleset keeps its own matching mode: loaded Falco files default to Falco's `first` (one alert per
// event), Palisade's built-ins run `all`. A rule that throws on an odd event is counted and
// reported (rate-limited, through `onRuleError`), never fatal.
import { type Alert, buildAlert } from './alert.ts';
import { type AuditEvent, eventTimeNs } from './audit-event.ts';
import { EventDeduplicator, requestKey } from './dedup.ts';
import type { EventContext, EventStreamInfo } from './fields/field-definition.ts';
import { atLeast, type Priority } from './priority.ts';
import type { CompiledRule, CompiledRuleset } from './rules/compiled-rule.ts';
import { DetectionState } from './state/detection-state.ts';
import { type EventFacts, NO_FACTS } from './state/event-facts.ts';

export interface DetectionEngineOptions {
  rulesets: readonly CompiledRuleset[];
  state?: DetectionState;
  deduplicator?: EventDeduplicator;
  now?: () => Date;
  hostname?: string;
  /**
   * Rules below this priority do not run, as Falco never enables them: under first-match a low-priority rule must
   * not take an event from a higher one and then have its alert dropped.
   */
  minPriority?: Priority;
  /**
   * Told when a rule throws on an event, rate-limited per rule: on its first failure, then on its 10th, 100th,
   * 1000th... (with the running count and the latest message), so a rule failing on every event cannot flood the log.
   */
  onRuleError?: (report: RuleErrorReport) => void;
}

export interface RuleErrorReport {
  /** The rule's name, or `(state)` when learning from the event failed. */
  rule: string;
  message: string;
  /** How many times this rule has failed so far. */
  count: number;
}

export interface EngineStats {
  events: number;
  duplicates: number;
  alerts: number;
  ruleErrors: number;
  lastRuleError: string | undefined;
}

export class DetectionEngine {
  readonly state: DetectionState;
  readonly stats: EngineStats = {
    events: 0,
    duplicates: 0,
    alerts: 0,
    ruleErrors: 0,
    lastRuleError: undefined,
  };
  private readonly rulesets: readonly CompiledRuleset[];
  /** Rules below the minimum priority, skipped (undefined when every rule runs). */
  private readonly belowMinimum: ReadonlySet<CompiledRule> | undefined;
  private readonly deduplicator: EventDeduplicator;
  private readonly now: () => Date;
  private readonly hostname: string | undefined;
  private readonly onRuleError: ((report: RuleErrorReport) => void) | undefined;
  private readonly failures = new Map<string, number>();
  /** The first processed event's time: where `evt.reltime` starts. */
  private firstTimeNs: bigint | undefined;

  constructor(options: DetectionEngineOptions) {
    this.rulesets = options.rulesets;
    const minimum = options.minPriority;
    const below =
      minimum === undefined
        ? []
        : options.rulesets.flatMap((ruleset) =>
            ruleset.rules.filter((rule) => !atLeast(rule.priority, minimum)),
          );
    this.belowMinimum = below.length > 0 ? new Set(below) : undefined;
    this.state = options.state ?? new DetectionState();
    this.deduplicator = options.deduplicator ?? new EventDeduplicator();
    this.now = options.now ?? (() => new Date());
    this.hostname = options.hostname;
    this.onRuleError = options.onRuleError;
  }

  get ruleCount(): number {
    return this.rulesets.reduce((sum, ruleset) => sum + ruleset.rules.length, 0);
  }

  private noteError(rule: string, message: string): void {
    this.stats.ruleErrors++;
    this.stats.lastRuleError = `${rule}: ${message}`;
    const count = (this.failures.get(rule) ?? 0) + 1;
    this.failures.set(rule, count);
    // First failure, then 10, 100, 1000...: a count that is a power of ten.
    if (this.onRuleError !== undefined && /^10*$/.test(String(count)))
      this.onRuleError({ rule, message, count });
  }

  process(event: AuditEvent): Alert[] {
    const seen = this.deduplicator.offer(requestKey(event), event.stage);
    if (seen === 'repeat') {
      this.stats.duplicates++;
      return [];
    }
    this.stats.events++;
    let facts: EventFacts;
    try {
      facts = this.state.observe(event, seen === 'first-response');
    } catch (error) {
      // A hostile event must not stop detection: rules still run, without what the state would add.
      this.noteError('(state)', (error as Error).message);
      facts = { ...NO_FACTS, firstResponse: seen === 'first-response' };
    }
    // Falco stamps k8s_audit events with their stage timestamp; an event without one, with the time it was read.
    const timeNs = eventTimeNs(event) ?? BigInt(this.now().getTime()) * 1_000_000n;
    this.firstTimeNs ??= timeNs;
    const stream: EventStreamInfo = {
      number: this.stats.events,
      timeNs,
      firstTimeNs: this.firstTimeNs,
      hostname: this.hostname,
    };
    const context: EventContext = { event, facts, stream };
    const alerts: Alert[] = [];
    const resource = (event.objectRef as { resource?: unknown } | undefined)?.resource;
    for (const ruleset of this.rulesets) {
      for (const rule of ruleset.index.candidates(resource)) {
        if (this.belowMinimum?.has(rule)) continue;
        try {
          if (!rule.matches(context)) continue;
          alerts.push(buildAlert(rule, context, this.hostname));
        } catch (error) {
          this.noteError(rule.name, (error as Error).message);
          continue;
        }
        if (ruleset.matching === 'first') break;
      }
    }
    this.stats.alerts += alerts.length;
    return alerts;
  }
}
