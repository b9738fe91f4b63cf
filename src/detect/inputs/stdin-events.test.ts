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

test('a torn first line is reported by its number, and the JSON lines after it are read as they arrive', {
  timeout: 5000,
}, async () => {
  const input = new PassThrough();
  const batches: AuditParseResult[] = [];
  let delivered: (() => void) | undefined;
  const reading = readEventStream(input, 'stdin', async (batch) => {
    batches.push(batch);
    delivered?.();
  });
  const first = new Promise<void>((resolve) => {
    delivered = resolve;
  });
  input.write(`{"kind":"Event","apiVersion":"audit.k8s.io/v1","auditID":"torn","stage":"Respo\n${line('a')}`);
  // The pipe stays open: the event must not wait for its end.
  await first;
  assert.deepEqual(
    batches.flatMap((batch) => batch.events.map((event) => event.auditID)),
    ['a'],
  );
  assert.deepEqual(
    batches.flatMap((batch) => batch.issues.map((issue) => issue.line)),
    [1],
  );
  input.end(`not json\n${line('b')}`);
  await reading;
  assert.deepEqual(
    batches.flatMap((batch) => batch.events.map((event) => event.auditID)),
    ['a', 'b'],
  );
  assert.deepEqual(
    batches.flatMap((batch) => batch.issues.map((issue) => issue.line)),
    [1, 3],
  );
});

test('a pretty-printed single event opened by a lone brace is still read whole', async () => {
  const input = new PassThrough();
  const batches: AuditParseResult[] = [];
  const reading = readEventStream(input, 'stdin', async (batch) => {
    batches.push(batch);
  });
  const event = { kind: 'Event', apiVersion: 'audit.k8s.io/v1', auditID: 'p', stage: 'ResponseComplete' };
  input.end(`\n${JSON.stringify(event, null, 2)}\n`);
  await reading;
  assert.deepEqual(
    batches.flatMap((batch) => batch.events.map((e) => e.auditID)),
    ['p'],
  );
  assert.deepEqual(
    batches.flatMap((batch) => batch.issues),
    [],
  );
});
