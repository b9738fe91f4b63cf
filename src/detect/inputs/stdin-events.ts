// Audit events from a stream (stdin): JSON lines, processed as they arrive in small batches (up to 500 lines,
// or whatever has come when the stream pauses for FLUSH_IDLE_MS, so a quiet pipe still gets its alerts at once);
// input that is one JSON document over several lines (an EventList from a file) is parsed whole at the end.
import { createInterface } from 'node:readline';
import { type AuditParseResult, appendLine, parseAuditText } from '../audit-event.ts';

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

export async function readEventStream(
  stream: NodeJS.ReadableStream,
  origin: string,
  onBatch: (batch: AuditParseResult) => Promise<void>,
  signal?: AbortSignal,
): Promise<void> {
  const lines = createInterface({ input: stream, crlfDelay: Number.POSITIVE_INFINITY });
  let batch: AuditParseResult = { events: [], issues: [] };
  let documentMode: string[] | undefined;
  let lineNumber = 0;
  const abort = () => lines.close();
  signal?.addEventListener('abort', abort, { once: true });
  const iterator = lines[Symbol.asyncIterator]();
  try {
    for (;;) {
      const next = iterator.next();
      if (batch.events.length + batch.issues.length > 0 && (await idleFor(next, FLUSH_IDLE_MS))) {
        await onBatch(batch);
        batch = { events: [], issues: [] };
      }
      const { value: line, done } = await next;
      if (done) break;
      lineNumber++;
      if (documentMode !== undefined) {
        documentMode.push(line);
        continue;
      }
      const trimmed = line.trim();
      if (trimmed === '') continue;
      const before = batch.issues.length;
      appendLine(batch, trimmed, origin, lineNumber);
      if (
        batch.issues.length > before &&
        lineNumber === 1 &&
        (trimmed === '{' || trimmed === '[' || !trimmed.endsWith('}'))
      ) {
        // Not JSON lines: a pretty-printed document. Collect it all.
        batch.issues.pop();
        documentMode = [line];
        continue;
      }
      if (batch.events.length + batch.issues.length >= 500) {
        await onBatch(batch);
        batch = { events: [], issues: [] };
      }
    }
    if (documentMode !== undefined) batch = parseAuditText(documentMode.join('\n'), origin);
    await onBatch(batch);
  } finally {
    await iterator.return?.();
    signal?.removeEventListener('abort', abort);
  }
}
