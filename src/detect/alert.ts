// Alerts in Falco's JSON output shape, so Falcosidekick and pipelines built for Falco accept them unchanged.
import { eventTimeNs } from './audit-event.ts';
import { exactInteger, type OutputFieldValue } from './field-value.ts';
import type { EventContext } from './fields/field-definition.ts';
import { isoNanos } from './fields/jevt-fields.ts';
import { priorityLabel } from './priority.ts';
import { redactedEvent } from './redact-event.ts';
import type { CompiledRule } from './rules/compiled-rule.ts';
import { maskSecrets } from './secret-mask.ts';

export interface Alert {
  time: string;
  rule: string;
  priority: string;
  output: string;
  output_fields: Record<string, OutputFieldValue>;
  tags: string[];
  source: 'k8s_audit';
  hostname?: string;
}

/** The time Falco stamps k8s_audit alerts with: the event's stage timestamp (the time it was read when it has none). */
function alertTimeNs(context: EventContext): bigint {
  return context.stream?.timeNs ?? eventTimeNs(context.event) ?? BigInt(Date.now()) * 1_000_000n;
}

function masked(value: OutputFieldValue): OutputFieldValue {
  if (typeof value === 'string') return maskSecrets(value);
  return Array.isArray(value) ? value.map((item: string) => maskSecrets(item)) : value;
}

export function buildAlert(rule: CompiledRule, context: EventContext, hostname?: string): Alert {
  // Output is rendered from the masked view (Secret data, env values); conditions saw the event unmasked.
  const rendered = rule.output.render({ ...context, event: redactedEvent(context.event) });
  const timeNs = alertTimeNs(context);
  const iso = isoNanos(timeNs);
  const fields = rendered.fields;
  for (const [key, value] of Object.entries(fields)) fields[key] = masked(value);
  // Falco's JSON output always carries its text prefix's field, the event time, in nanoseconds.
  fields['evt.time'] = exactInteger(timeNs);
  // The audit ID ties an alert to its event (and to at-least-once redelivery); Falco outputs rarely name it.
  if (!Object.hasOwn(fields, 'ka.auditid')) fields['ka.auditid'] = context.event.auditID;
  const alert: Alert = {
    time: iso,
    rule: rule.name,
    priority: priorityLabel(rule.priority),
    output: `${iso.slice(11, 29)}: ${priorityLabel(rule.priority)} ${maskSecrets(rendered.text)}`,
    output_fields: fields,
    tags: [...rule.tags],
    source: 'k8s_audit',
  };
  if (hostname !== undefined) alert.hostname = hostname;
  return alert;
}
