// Alerts in Falco's JSON output shape, so Falcosidekick and pipelines built for Falco accept them unchanged.
import { type AuditEvent, eventTimeNs } from './audit-event.ts';
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
  output_fields: Record<string, string | number | null>;
  tags: string[];
  source: 'k8s_audit';
  hostname?: string;
}

/** The time Falco stamps k8s_audit alerts with: the event's stage timestamp (receipt time when it has none). */
function alertTimeNs(event: AuditEvent, now: () => Date): bigint {
  return eventTimeNs(event) ?? BigInt(now().getTime()) * 1_000_000n;
}

export function buildAlert(
  rule: CompiledRule,
  context: EventContext,
  now: () => Date,
  hostname?: string,
): Alert {
  // Output is rendered from the masked view (Secret data, env values); conditions saw the event unmasked.
  const rendered = rule.output.render({ event: redactedEvent(context.event), facts: context.facts });
  const iso = isoNanos(alertTimeNs(context.event, now));
  const fields = rendered.fields;
  for (const [key, value] of Object.entries(fields))
    if (typeof value === 'string') fields[key] = maskSecrets(value);
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
