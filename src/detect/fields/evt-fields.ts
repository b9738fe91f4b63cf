// Falco's generic `evt.*` fields, the ones libsinsp gives events of every source (k8s_audit included): the
// event's time in several forms, its number in the stream, its source, plugin and host. The event's time is its
// stage timestamp, as the k8saudit plugin stamps events. Times are shown in UTC (Falco uses the host's zone).
import { eventTimeNs, splitNanos } from '../audit-event.ts';
import { exactInteger, jsonText } from '../field-value.ts';
import type { EventContext, FieldDefinition } from './field-definition.ts';
import { isoNanos } from './jevt-fields.ts';

const NS_PER_SECOND = 1_000_000_000n;

function timeNs(context: EventContext): bigint | undefined {
  return context.stream?.timeNs ?? eventTimeNs(context.event);
}

function relativeNs(context: EventContext): bigint | undefined {
  const stream = context.stream;
  return stream === undefined ? undefined : stream.timeNs - stream.firstTimeNs;
}

/** Falco prints nanosecond parts zero-padded to nine digits (its PF_10_PADDED_DEC, printf's `%09`). */
function padded(ns: bigint): string {
  return ns < 0n ? String(ns) : String(ns).padStart(9, '0');
}

/** A time shown as text from its ISO 8601 form; in output_fields it is the timestamp in ns, as in Falco. */
function timeText(name: string, doc: string, show: (iso: string) => string): FieldDefinition {
  return {
    name,
    type: 'string',
    list: false,
    arg: 'none',
    doc,
    extract: (context) => {
      const ns = timeNs(context);
      return ns === undefined ? undefined : show(isoNanos(ns));
    },
    json: (context) => {
      const ns = timeNs(context);
      return ns === undefined ? null : exactInteger(ns);
    },
  };
}

/** A count of nanoseconds or seconds: compared as a number, written digit for digit. */
function duration(
  name: string,
  doc: string,
  value: (context: EventContext) => bigint | undefined,
  show: (ns: bigint) => string = String,
): FieldDefinition {
  return {
    name,
    type: 'number',
    list: false,
    arg: 'none',
    doc,
    extract: (context) => {
      const ns = value(context);
      return ns === undefined ? undefined : show(ns);
    },
    json: (context) => {
      const ns = value(context);
      return ns === undefined ? null : exactInteger(ns);
    },
  };
}

function constant(name: string, doc: string, value: string | undefined): FieldDefinition {
  return { name, type: 'string', list: false, arg: 'none', doc, extract: () => value };
}

const seconds = (ns: bigint | undefined) =>
  ns === undefined ? undefined : splitNanos(ns, NS_PER_SECOND).whole;
const fraction = (ns: bigint | undefined) =>
  ns === undefined ? undefined : splitNanos(ns, NS_PER_SECOND).rest;

export const EVT_FIELDS: readonly FieldDefinition[] = [
  {
    name: 'evt.num',
    type: 'number',
    list: false,
    arg: 'none',
    doc: 'The number of the event in the stream the watcher reads, from 1 (dropped duplicates are not counted).',
    extract: ({ stream }) => stream?.number,
  },
  timeText('evt.time', 'The event time as `HH:MM:SS.nnnnnnnnn` (UTC).', (iso) => iso.slice(11, 29)),
  timeText('evt.time.s', 'The event time as `HH:MM:SS` (UTC).', (iso) => iso.slice(11, 19)),
  timeText('evt.time.iso8601', 'The event time in ISO 8601 with nanoseconds (UTC).', (iso) => iso),
  timeText(
    'evt.datetime',
    'The event date and time as `YYYY-MM-DD HH:MM:SS.nnnnnnnnn` (UTC).',
    (iso) => `${iso.slice(0, 10)} ${iso.slice(11, 29)}`,
  ),
  timeText(
    'evt.datetime.s',
    'The event date and time as `YYYY-MM-DD HH:MM:SS` (UTC).',
    (iso) => `${iso.slice(0, 10)} ${iso.slice(11, 19)}`,
  ),
  duration('evt.rawtime', 'The event time in nanoseconds since the epoch.', timeNs),
  duration('evt.rawtime.s', 'The whole seconds of the event time since the epoch.', (c) =>
    seconds(timeNs(c)),
  ),
  duration(
    'evt.rawtime.ns',
    'The nanoseconds part of the event time (nine digits).',
    (c) => fraction(timeNs(c)),
    padded,
  ),
  duration(
    'evt.reltime',
    "Nanoseconds from the first event's time to this one's (nine digits at least).",
    relativeNs,
    padded,
  ),
  duration('evt.reltime.s', 'The whole seconds of `evt.reltime`.', (c) => seconds(relativeNs(c))),
  duration(
    'evt.reltime.ns',
    'The nanoseconds part of `evt.reltime` (nine digits).',
    (c) => fraction(relativeNs(c)),
    padded,
  ),
  constant('evt.source', 'The event source: `k8s_audit`.', 'k8s_audit'),
  constant(
    'evt.pluginname',
    'The plugin Falco reads these events with: `k8saudit` (Palisade reads them itself, to the same effect).',
    'k8saudit',
  ),
  {
    name: 'evt.plugininfo',
    type: 'string',
    list: false,
    arg: 'none',
    doc: 'The event as the k8saudit plugin summarises it: the whole event as JSON text.',
    extract: ({ event }) => jsonText(event),
  },
  constant('evt.is_async', 'Whether the event is asynchronous: audit events never are (`false`).', 'false'),
  constant(
    'evt.asynctype',
    'The type of an asynchronous event: never available for audit events.',
    undefined,
  ),
  {
    name: 'evt.hostname',
    type: 'string',
    list: false,
    arg: 'none',
    doc: "The host the watcher runs on (in a pod, the pod name), as in the alert's `hostname`.",
    extract: ({ stream }) => stream?.hostname,
  },
];
