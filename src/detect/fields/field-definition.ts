// One field of the rule language: its name, type, argument, documentation and extractor, declared once.
import type { AuditEvent } from '../audit-event.ts';
import type { FieldValue } from '../field-value.ts';
import type { EventFacts } from '../state/event-facts.ts';

/** What a rule sees of one event: the event itself and what Palisade's state knows about it. */
export interface EventContext {
  readonly event: AuditEvent;
  readonly facts: EventFacts;
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
}
