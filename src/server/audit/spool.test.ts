// The spool: appends are durable and ordered; it is emptied only once detection has handled all of it.
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { AuditEvent } from '../../detect/audit-event.ts';
import { SILENT_LOGGER } from '../json-log.ts';
import { createAuditReceiver } from './audit-receiver.ts';
import { ReceiverAuthenticator } from './receiver-auth.ts';
import { AuditSpool, spoolIntake } from './spool.ts';

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

  it('keeps an event nested too deep for JSON.stringify, next to the others in its batch', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'palisade-spool-'));
    try {
      const path = join(dir, 'spool.jsonl');
      const spool = await AuditSpool.open(path);
      let nested: unknown = 'bottom';
      for (let level = 0; level < 20_000; level++) nested = { a: nested };
      const deep = { ...event('deep'), requestObject: nested } as AuditEvent;
      await spool.append([event('plain'), deep]);
      await spool.close();
      const lines = (await readFile(path, 'utf8')).trim().split('\n');
      assert.deepEqual(
        lines.map((line) => (JSON.parse(line) as AuditEvent).auditID),
        ['plain', 'deep'],
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('spool back-pressure', () => {
  it('refuses batches while unprocessed spooled bytes exceed the limit, and reports them as the backlog', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'palisade-spool-'));
    try {
      const spool = await AuditSpool.open(join(dir, 'spool.jsonl'));
      let handled: number | undefined;
      const intake = spoolIntake(spool, () => handled, 150);
      assert.equal(intake.backlog(), 0);
      assert.equal(await intake.accept([event('a'), event('b')]), true);
      assert.equal(await intake.accept([event('c'), event('d')]), true);
      const size = spool.bytes;
      assert.ok(size > 150, `spooled ${size} bytes`);
      assert.equal(intake.backlog(), size, 'nothing handled yet: all of it is backlog');
      assert.equal(await intake.accept([event('e')]), false, 'over the limit: refused, not spooled');
      assert.equal(spool.bytes, size);
      assert.equal(intake.refused(), 1);
      handled = size - 10;
      assert.equal(intake.backlog(), 10);
      assert.equal(await intake.accept([event('e')]), true, 'detection caught up: accepted again');
      await spool.close();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('the receiver answers 503 with Retry-After over the limit and reports spooled bytes in /healthz', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'palisade-spool-'));
    const spool = await AuditSpool.open(join(dir, 'spool.jsonl'));
    const intake = spoolIntake(spool, () => 0, 50);
    const receiver = createAuditReceiver({
      path: '/audit',
      authenticator: new ReceiverAuthenticator({
        bearerTokens: ['t0ken-0123456789'],
        clientCas: [],
        clientNames: [],
      }),
      accept: intake.accept,
      backlog: intake.backlog,
      backlogUnit: 'bytes',
      logger: SILENT_LOGGER,
    });
    const server = createServer(receiver.handler);
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const postBatch = () =>
      fetch(`${base}/audit`, {
        method: 'POST',
        headers: { authorization: 'Bearer t0ken-0123456789', 'content-type': 'application/json' },
        body: JSON.stringify({ kind: 'EventList', items: [event('a'), event('b')] }),
      });
    try {
      assert.equal((await postBatch()).status, 200);
      const refused = await postBatch();
      assert.equal(refused.status, 503);
      assert.equal(refused.headers.get('retry-after'), '1');
      const health = (await (await fetch(`${base}/healthz`)).json()) as Record<string, unknown>;
      assert.deepEqual(health, { status: 'ok', queued: spool.bytes, queuedUnit: 'bytes' });
      assert.ok(spool.bytes > 50);
    } finally {
      server.close();
      await spool.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
