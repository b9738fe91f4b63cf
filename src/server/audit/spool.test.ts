// The spool: appends are durable and ordered; it is emptied only once detection has handled all of it.
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { AuditEvent } from '../../detect/audit-event.ts';
import { AuditSpool } from './spool.ts';

const event = (id: string) => ({ auditID: id, stage: 'ResponseComplete', verb: 'get' }) as AuditEvent;

describe('audit spool', () => {
  it('appends events as JSON lines in order and compacts only when drained past the threshold', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'palisade-spool-'));
    try {
      const path = join(dir, 'spool.jsonl');
      const spool = await AuditSpool.open(path, 10);
      await Promise.all([spool.append([event('a'), event('b')]), spool.append([event('c')])]);
      const text = await readFile(path, 'utf8');
      assert.deepEqual(
        text
          .trim()
          .split('\n')
          .map((line) => (JSON.parse(line) as AuditEvent).auditID),
        ['a', 'b', 'c'],
      );
      const size = Buffer.byteLength(text);
      assert.equal(await spool.compactIfDrained(size - 1), false, 'not everything was handled');
      assert.equal(await spool.compactIfDrained(undefined), false);
      assert.equal(await spool.compactIfDrained(size), true);
      assert.equal(await readFile(path, 'utf8'), '');
      await spool.append([event('d')]);
      await spool.close();
      const reopened = await AuditSpool.open(path, 10);
      await reopened.append([event('e')]);
      await reopened.close();
      assert.deepEqual(
        (await readFile(path, 'utf8'))
          .trim()
          .split('\n')
          .map((line) => (JSON.parse(line) as AuditEvent).auditID),
        ['d', 'e'],
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
