import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { test } from 'node:test';
import type { AuditParseResult } from '../audit-event.ts';
import { readEventStream } from './stdin-events.ts';

const line = (id: string) =>
  `${JSON.stringify({ kind: 'Event', apiVersion: 'audit.k8s.io/v1', auditID: id, stage: 'ResponseComplete' })}\n`;

test('events on a pipe that stays open are handed over when it pauses, not held until 500 arrive', {
  timeout: 5000,
}, async () => {
  const input = new PassThrough();
  const batches: string[][] = [];
  let delivered: (() => void) | undefined;
  const reading = readEventStream(input, 'stdin', async (batch: AuditParseResult) => {
    batches.push(batch.events.map((event) => event.auditID as string));
    delivered?.();
  });
  const first = new Promise<void>((resolve) => {
    delivered = resolve;
  });
  input.write(line('a') + line('b'));
  await first;
  assert.deepEqual(batches, [['a', 'b']]);
  input.end(line('c'));
  await reading;
  assert.deepEqual(batches.flat(), ['a', 'b', 'c']);
});

test('a document over several lines is still read whole at the end', async () => {
  const input = new PassThrough();
  const batches: AuditParseResult[] = [];
  const reading = readEventStream(input, 'stdin', async (batch) => {
    batches.push(batch);
  });
  input.end(
    '{\n"kind": "EventList", "apiVersion": "audit.k8s.io/v1",\n"items": [{"auditID": "x", "stage": "ResponseComplete"}]\n}\n',
  );
  await reading;
  assert.deepEqual(
    batches.flatMap((batch) => batch.events.map((event) => event.auditID)),
    ['x'],
  );
  assert.deepEqual(
    batches.flatMap((batch) => batch.issues),
    [],
  );
});
