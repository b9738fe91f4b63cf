import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { it } from 'node:test';
import { createJsonLogger, MAX_LOG_FIELD_CHARS } from './json-log.ts';

it('cuts long field values and long lists, so one hostile request cannot write megabytes of log', () => {
  const lines: string[] = [];
  const stream = new Writable({
    write: (chunk, _encoding, done) => {
      lines.push(String(chunk));
      done();
    },
  });
  const logger = createJsonLogger(stream, { now: () => new Date(0) });
  logger.info('admission decision', {
    kind: 'K'.repeat(3_000_000),
    uid: 'u1',
    groups: Array.from({ length: 5000 }, (_, index) => `g${index}`),
    allowed: false,
  });
  assert.equal(lines.length, 1);
  assert.ok((lines[0] as string).length < 10_000, `${(lines[0] as string).length} characters`);
  const line = JSON.parse(lines[0] as string);
  assert.equal(line.kind, `${'K'.repeat(MAX_LOG_FIELD_CHARS)}…(3000000 characters)`);
  assert.equal(line.uid, 'u1');
  assert.equal(line.allowed, false);
  assert.equal(line.groups.length, 101);
  assert.equal(line.groups.at(-1), '…(5000 items)');
});
