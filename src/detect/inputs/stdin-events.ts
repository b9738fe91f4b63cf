// Audit events from a stream (stdin): JSON lines, processed as they arrive in small batches (up to 500 lines,
// or whatever has come when the stream pauses for FLUSH_IDLE_MS, so a quiet pipe still gets its alerts at once);
// input that is one JSON document over several lines (an EventList from a file) is parsed whole at the end. A
// first line that does not parse is held only until a later line shows the input is JSON lines after all.
import { createInterface } from 'node:readline';
import { PalisadeError } from '../../core/errors.ts';
import { type AuditParseResult, appendLine, auditEventProblem, parseAuditText } from '../audit-event.ts';

/** A pause in the input this long hands the lines read so far to detection. */
const FLUSH_IDLE_MS = 50;

/** Resolves true after `ms`, or false as soon as `next` settles; never keeps the process alive. */
function idleFor(next: Promise<unknown>, ms: number): Promise<boolean> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(true), ms);
    timer.unref();
    next.then(
      () => {
        clearTimeout(timer);
        resolve(false);
      },
      () => {
        clearTimeout(timer);
        resolve(false);
      },
    );
  });
}

/** A line that is one audit event on its own: proof that the input is JSON lines. */
function isEventLine(trimmed: string): boolean {
  if (!trimmed.startsWith('{') || !trimmed.endsWith('}')) return false;
  try {
    return auditEventProblem(JSON.parse(trimmed), false) === undefined;
  } catch {
    return false;
  }
}

export async function readEventStream(
  stream: NodeJS.ReadableStream,
  origin: string,
  onBatch: (batch: AuditParseResult) => Promise<void>,
  signal?: AbortSignal,
): Promise<void> {
  const lines = createInterface({ input: stream, crlfDelay: Number.POSITIVE_INFINITY });
  let batch: AuditParseResult = { events: [], issues: [] };
  /**
   * Lines held since a first line that is not JSON, while the input may be one document over several lines. A
   * later line that is an event on its own ends the wait: the input is JSON lines whose first line was torn (as
   * when reading starts mid-event), so the held lines are reported and read as lines, and nothing more is held.
   */
  let held: { first: number; lines: string[] } | undefined;
  let sawContent = false;
  let lineNumber = 0;
  const abort = () => lines.close();
  signal?.addEventListener('abort', abort, { once: true });
  const iterator = lines[Symbol.asyncIterator]();
  const readHeldAsLines = (from: { first: number; lines: string[] }) => {
    for (let index = 0; index < from.lines.length; index++) {
      const trimmed = from.lines[index]!.trim();
      if (trimmed !== '') appendLine(batch, trimmed, origin, from.first + index);
    }
  };
  try {
    for (;;) {
      // A stream that fails (standard input a directory, an I/O error) is an input error naming it, not a bug.
      const next = iterator.next().catch((error: Error) => {
        throw new PalisadeError('input-unreadable', `${origin}: ${error.message}`, { cause: error });
      });
      if (batch.events.length + batch.issues.length > 0 && (await idleFor(next, FLUSH_IDLE_MS))) {
        await onBatch(batch);
        batch = { events: [], issues: [] };
      }
      const { value: line, done } = await next;
      if (done) break;
      lineNumber++;
      const trimmed = line.trim();
      if (held !== undefined) {
        // A lone `{` or `[` opens a document for certain; any other first line may be a torn event.
        const opener = held.lines[0]?.trim();
        if (opener !== '{' && opener !== '[' && isEventLine(trimmed)) {
          readHeldAsLines(held);
          held = undefined;
        } else {
          held.lines.push(line);
          continue;
        }
      }
      if (trimmed === '') continue;
      const first = !sawContent;
      sawContent = true;
      const before = batch.issues.length;
      appendLine(batch, trimmed, origin, lineNumber);
      if (
        batch.issues.length > before &&
        first &&
        (trimmed === '{' || trimmed === '[' || !trimmed.endsWith('}'))
      ) {
        // Perhaps not JSON lines but a pretty-printed document: hold it until a later line decides.
        batch.issues.pop();
        held = { first: lineNumber, lines: [line] };
        continue;
      }
      if (batch.events.length + batch.issues.length >= 500) {
        await onBatch(batch);
        batch = { events: [], issues: [] };
      }
    }
    if (held !== undefined) {
      // One pretty-printed document, or else lines reported by their own line numbers.
      const parsed = parseAuditText(held.lines.join('\n'), origin, held.first);
      batch.events.push(...parsed.events);
      batch.issues.push(...parsed.issues);
    }
    await onBatch(batch);
  } finally {
    await iterator.return?.();
    signal?.removeEventListener('abort', abort);
  }
}
