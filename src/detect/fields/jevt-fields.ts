// Fields of Falco's json plugin over the raw audit event, under both the old (`jevt.*`) and new (`json.*`) names.
import { eventTimeNs, splitNanos } from '../audit-event.ts';
import { exactInteger, jsonText } from '../field-value.ts';
import { resolvePointer } from '../json-pointer.ts';
import type { FieldDefinition } from './field-definition.ts';

function isoNanos(ns: bigint): string {
  const { whole: seconds, rest: fraction } = splitNanos(ns, 1_000_000_000n);
  return `${new Date(Number(seconds) * 1000).toISOString().slice(0, 19)}.${String(fraction).padStart(9, '0')}Z`;
}

function jsonFields(prefix: 'jevt' | 'json'): FieldDefinition[] {
  return [
    {
      name: `${prefix}.value`,
      type: 'string',
      list: false,
      arg: 'required',
      doc: 'The value at a JSON pointer (RFC 6901; the leading `/` optional) into the event, e.g. `[/annotations/authorization.k8s.io~1decision]`; strings as they are, anything else (`null` too) as JSON.',
      extract: ({ event }, arg) => jsonText(resolvePointer(event, arg ?? '')),
    },
    {
      name: `${prefix}.obj`,
      type: 'string',
      list: false,
      arg: 'none',
      doc: 'The whole event as JSON text, indented by two spaces as the json plugin writes it (`"hostNetwork": true`).',
      extract: ({ event }) => jsonText(event, 2),
    },
    {
      name: `${prefix}.rawtime`,
      type: 'number',
      list: false,
      arg: 'none',
      doc: 'The event time (stageTimestamp) in nanoseconds since the epoch.',
      // As digits: a JavaScript number would round nanoseconds away (2^53 is about 9e15).
      extract: ({ event }) => {
        const ns = eventTimeNs(event);
        return ns === undefined ? undefined : String(ns);
      },
      json: ({ event }) => {
        const ns = eventTimeNs(event);
        return ns === undefined ? null : exactInteger(ns);
      },
    },
    {
      name: `${prefix}.time`,
      type: 'string',
      list: false,
      arg: 'none',
      doc: 'The event time as HH:MM:SS.nnnnnnnnn (UTC).',
      extract: ({ event }) => {
        const ns = eventTimeNs(event);
        return ns === undefined ? undefined : isoNanos(ns).slice(11, 29);
      },
    },
    {
      name: `${prefix}.time.iso8601`,
      type: 'string',
      list: false,
      arg: 'none',
      doc: 'The event time in ISO 8601 with nanoseconds (UTC).',
      extract: ({ event }) => {
        const ns = eventTimeNs(event);
        return ns === undefined ? undefined : isoNanos(ns);
      },
    },
  ];
}

export { isoNanos };
export const JEVT_FIELDS: readonly FieldDefinition[] = [...jsonFields('jevt'), ...jsonFields('json')];
