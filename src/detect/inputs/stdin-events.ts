// Audit events from a stream (stdin): JSON lines, processed as they arrive in small batches; input that is
// one JSON document over several lines (an EventList from a file) is parsed whole at the end.
import { createInterface } from 'node:readline';
import { type AuditParseResult, appendLine, parseAuditText } from '../audit-event.ts';

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
  try {
    for await (const line of lines) {
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
    signal?.removeEventListener('abort', abort);
  }
}
