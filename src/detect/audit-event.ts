// The audit event model: audit.k8s.io/v1 and v1beta1 Events as kube-apiserver writes them (log backend)
// and posts them (webhook backend: EventList batches whose items carry no kind/apiVersion).
// Events stay the parsed JSON objects they arrived as: field extractors read them directly, so nothing
// the API server wrote is lost in a translation step.

import { isRecord } from '../core/kube-object.ts';
import { jsonErrorMessage } from '../core/quiet-json.ts';

export type AuditEvent = Record<string, unknown> & { auditID: string; stage: string };

export interface AuditParseIssue {
  /** Where the payload came from: a file name, "stdin", "webhook". */
  origin: string;
  /** 1-based line (JSON lines) or 0 for a whole payload. */
  line: number;
  message: string;
}

export interface AuditParseResult {
  events: AuditEvent[];
  issues: AuditParseIssue[];
}

const AUDIT_API_VERSIONS = new Set(['audit.k8s.io/v1', 'audit.k8s.io/v1beta1']);
const STAGES = new Set(['RequestReceived', 'ResponseStarted', 'ResponseComplete', 'Panic']);

/** At most this many characters of a wrong string value are quoted in a message (it may hold anything). */
const EXCERPT_CHARS = 64;

/**
 * A wrong value for a message that is logged and answered: its type, or a short escaped excerpt of a string;
 * never the contents of an object or array (a hostile or broken event may carry Secret data anywhere).
 */
function describeValue(value: unknown): string {
  if (typeof value === 'string')
    return value.length <= EXCERPT_CHARS
      ? JSON.stringify(value)
      : `${JSON.stringify(value.slice(0, EXCERPT_CHARS))}... (${value.length} characters)`;
  if (value === null) return 'null';
  if (value === undefined) return 'nothing';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  return `a ${typeof value}`;
}

/** Why a value is not an audit Event, or undefined when it is one. `inList` relaxes kind (webhook items). */
export function auditEventProblem(value: unknown, inList: boolean): string | undefined {
  if (!isRecord(value)) return 'not a JSON object';
  const { kind, apiVersion, auditID, stage } = value;
  if (kind !== undefined && kind !== 'Event')
    return typeof kind === 'string'
      ? `kind ${describeValue(kind)} is not Event`
      : `kind must be a string, got ${describeValue(kind)}`;
  if (kind === undefined && !inList && typeof auditID !== 'string') return 'no kind and no auditID';
  if (apiVersion !== undefined && (typeof apiVersion !== 'string' || !AUDIT_API_VERSIONS.has(apiVersion)))
    return typeof apiVersion === 'string'
      ? `apiVersion ${describeValue(apiVersion)} is not audit.k8s.io/v1 or v1beta1`
      : `apiVersion must be a string, got ${describeValue(apiVersion)}`;
  if (typeof auditID !== 'string' || auditID === '') return 'auditID is missing';
  if (stage === undefined) return 'stage is missing';
  if (typeof stage !== 'string') return `stage must be a string, got ${describeValue(stage)}`;
  if (!STAGES.has(stage)) return `stage ${describeValue(stage)} is not a known stage`;
  return undefined;
}

/** Accepts an EventList, a single Event or a JSON array of Events (already parsed). */
export function eventsFromValue(value: unknown, origin: string, line: number): AuditParseResult {
  const result: AuditParseResult = { events: [], issues: [] };
  const items = listItems(value);
  if (typeof items === 'string') {
    result.issues.push({ origin, line, message: `not a Kubernetes audit event list: ${items}` });
    return result;
  }
  if (items === undefined) {
    const problem = auditEventProblem(value, false);
    if (problem === undefined) result.events.push(value as AuditEvent);
    else result.issues.push({ origin, line, message: `not a Kubernetes audit event: ${problem}` });
    return result;
  }
  items.forEach((item, index) => {
    const problem = auditEventProblem(item, true);
    if (problem === undefined) result.events.push(item as AuditEvent);
    else
      result.issues.push({
        origin,
        line,
        message: `item ${index} is not a Kubernetes audit event: ${problem}`,
      });
  });
  return result;
}

/** The items of an EventList or array; undefined when the value is not a list; a string when it is a broken one. */
function listItems(value: unknown): unknown[] | string | undefined {
  if (Array.isArray(value)) return value;
  if (!isRecord(value) || value.kind !== 'EventList') return undefined;
  // Never String(): a mapping with a hostile toString ({"toString": 0}) would throw out of the reader.
  if (value.apiVersion !== undefined && typeof value.apiVersion !== 'string')
    return `an EventList whose apiVersion must be a string, got ${describeValue(value.apiVersion)}`;
  if (value.apiVersion !== undefined && !AUDIT_API_VERSIONS.has(value.apiVersion)) return undefined;
  // An empty list may come without items (or with null), as Go encodes a nil slice.
  if (value.items === undefined || value.items === null) return [];
  return Array.isArray(value.items)
    ? value.items
    : `an EventList whose items is ${typeof value.items === 'object' ? 'an object' : `a ${typeof value.items}`}, not a list`;
}

/**
 * Parses one payload: a whole JSON document, or JSON lines when the document is not one JSON value; `firstLine` is
 * the number of the text's first line in its input (stdin holds a few lines before it can tell which it is).
 */
export function parseAuditText(text: string, origin: string, firstLine = 1): AuditParseResult {
  const trimmed = text.trim();
  if (trimmed === '') return { events: [], issues: [] };
  try {
    return eventsFromValue(JSON.parse(trimmed), origin, 0);
  } catch {
    // Not one JSON value: read it as JSON lines.
  }
  const result: AuditParseResult = { events: [], issues: [] };
  const lines = text.split('\n');
  for (let index = 0; index < lines.length; index++) {
    const lineText = lines[index]!.trim();
    if (lineText === '') continue;
    appendLine(result, lineText, origin, index + firstLine);
  }
  return result;
}

/** Parses one JSON line into `into` (used by the file follower and stdin, which read line by line). */
export function appendLine(into: AuditParseResult, lineText: string, origin: string, line: number): void {
  let value: unknown;
  try {
    // A byte-order mark opens a file some editors and tools write: not part of the first event.
    value = JSON.parse(lineText.charCodeAt(0) === 0xfeff ? lineText.slice(1) : lineText);
  } catch (error) {
    // The message names the line and the reason, never a piece of it: the event may carry a token.
    into.issues.push({ origin, line, message: jsonErrorMessage((error as Error).message) });
    return;
  }
  const parsed = eventsFromValue(value, origin, line);
  for (const event of parsed.events) into.events.push(event);
  for (const issue of parsed.issues) into.issues.push(issue);
}

/** The event's time in nanoseconds since the epoch: stageTimestamp, else requestReceivedTimestamp, else v1beta1 timestamp. */
export function eventTimeNs(event: AuditEvent): bigint | undefined {
  for (const key of ['stageTimestamp', 'requestReceivedTimestamp', 'timestamp']) {
    const text = event[key];
    if (typeof text === 'string') {
      const ns = parseRfc3339Nanos(text);
      if (ns !== undefined) return ns;
    }
  }
  return undefined;
}

const RFC3339 = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:\d{2})$/;

let lastSecond = '';
let lastSecondMs = 0;

/** RFC 3339 with up to nanosecond precision (Date keeps only milliseconds). */
export function parseRfc3339Nanos(text: string): bigint | undefined {
  const match = RFC3339.exec(text);
  if (match === null) return undefined;
  // Events arrive in bursts within the same second: parse each second once.
  const second = `${match[1]}${match[3]}`;
  let ms: number;
  if (second === lastSecond) ms = lastSecondMs;
  else {
    ms = Date.parse(second);
    if (Number.isNaN(ms) || !isCalendarDate(match[1] as string)) return undefined;
    lastSecond = second;
    lastSecondMs = ms;
  }
  const fraction = (match[2] ?? '').padEnd(9, '0');
  return BigInt(ms) * 1_000_000n + BigInt(fraction);
}

/** Date.parse rolls a day past the month's end over (`2026-02-30` is 2 March): such a text is not a time. */
function isCalendarDate(dateTime: string): boolean {
  const year = Number(dateTime.slice(0, 4));
  const month = Number(dateTime.slice(5, 7));
  const day = Number(dateTime.slice(8, 10));
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  return date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

/**
 * `ns` in whole `unit`s and the nanoseconds left over, floored: BigInt division truncates toward zero, and before
 * 1970 that would leave a negative rest (-0.5 s is second -1 and 0.5 s, not second 0 and -0.5 s).
 */
export function splitNanos(ns: bigint, unit: bigint): { whole: bigint; rest: bigint } {
  const rest = ((ns % unit) + unit) % unit;
  return { whole: (ns - rest) / unit, rest };
}

export function eventTimeMs(event: AuditEvent): number | undefined {
  const ns = eventTimeNs(event);
  return ns === undefined ? undefined : Number(splitNanos(ns, 1_000_000n).whole);
}
