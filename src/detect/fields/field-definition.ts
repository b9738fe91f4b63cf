// One field of the rule language: its name, type, argument, documentation and extractor, declared once.
import type { AuditEvent } from '../audit-event.ts';
import type { FieldValue, OutputFieldValue } from '../field-value.ts';
import type { EventFacts } from '../state/event-facts.ts';

/** Where an event sits in the stream the engine reads: what Falco's generic `evt.*` fields report. */
export interface EventStreamInfo {
  /** 1-based number of the event among those the engine processed (dropped duplicates are not counted). */
  readonly number: number;
  /** The event's time in ns since the epoch: its stage timestamp, or the time it was processed when it has none. */
  readonly timeNs: bigint;
  /** The first processed event's time, which `evt.reltime` counts from. */
  readonly firstTimeNs: bigint;
  /** The host the watcher runs on (the alert's `hostname`). */
  readonly hostname: string | undefined;
}

/** What a rule sees of one event: the event itself and what Palisade's state knows about it. */
export interface EventContext {
  readonly event: AuditEvent;
  readonly facts: EventFacts;
  /** Set by the detection engine; without it (a lone event) the stream's fields are not available. */
  readonly stream?: EventStreamInfo;
}

export interface FieldDefinition {
  name: string;
  type: 'string' | 'number';
  /** List fields support `exists`, `in` and `intersects` in Falco; Palisade also matches other operators element-wise. */
  list: boolean;
  /** `required`: `name[arg]` must be given; `index`: an optional numeric index selects one element. */
  arg: 'none' | 'required' | 'index';
  doc: string;
  extract: (context: EventContext, arg: string | undefined) => FieldValue;
  /**
   * The value in an alert's `output_fields` when Falco gives another one than the text (its `extract_as_js`): the
   * time fields give the timestamp in nanoseconds there. Without it, the extracted value is used.
   */
  json?: (context: EventContext, arg: string | undefined) => OutputFieldValue;
}
