// Following an audit log: complete lines only, rotation by rename (drained first; found by inode after a
// restart), truncation, and a persisted offset so restarts neither lose nor repeat events.
import assert from 'node:assert/strict';
import { appendFile, mkdtemp, rename, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { AuditParseIssue, AuditParseResult } from '../../src/detect/audit-event.ts';
import { AuditLogFollower } from '../../src/detect/inputs/log-follower.ts';
import { auditEvent } from './fixtures/events.ts';

function line(id: number): string {
  return `${JSON.stringify(auditEvent({ auditID: `id-${id}` }))}\n`;
}

async function withDir(run: (dir: string) => Promise<void>): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'palisade-follow-'));
  try {
    await run(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

function follower(path: string, stateFile: string, seen: string[], issues: string[] = []) {
  return new AuditLogFollower({
    path,
    stateFile,
    onBatch: async (batch: AuditParseResult) => {
      for (const event of batch.events) seen.push(event.auditID);
      for (const issue of batch.issues) issues.push(issue.message);
    },
  });
}

describe('audit log follower', () => {
  it('reads complete lines only, and the rest of a line once it is written', async () => {
    await withDir(async (dir) => {
      const path = join(dir, 'audit.log');
      const seen: string[] = [];
      const text = line(1) + line(2);
      await writeFile(path, text + line(3).slice(0, 40));
      const f = follower(path, join(dir, 'state.json'), seen);
      await f.poll();
      assert.deepEqual(seen, ['id-1', 'id-2']);
      await appendFile(path, line(3).slice(40));
      await f.poll();
      assert.deepEqual(seen, ['id-1', 'id-2', 'id-3']);
      await f.close();
    });
  });

  it('resumes after a restart exactly where it stopped: nothing lost, nothing repeated', async () => {
    await withDir(async (dir) => {
      const path = join(dir, 'audit.log');
      const state = join(dir, 'state.json');
      await writeFile(path, line(1) + line(2));
      const first: string[] = [];
      const a = follower(path, state, first);
      await a.poll();
      await a.close();
      await appendFile(path, line(3));
      const second: string[] = [];
      const b = follower(path, state, second);
      await b.poll();
      await b.close();
      assert.deepEqual(first, ['id-1', 'id-2']);
      assert.deepEqual(second, ['id-3']);
    });
  });

  it('drains a file rotated while it runs, then follows the new one', async () => {
    await withDir(async (dir) => {
      const path = join(dir, 'audit.log');
      const seen: string[] = [];
      await writeFile(path, line(1));
      const f = follower(path, join(dir, 'state.json'), seen);
      await f.poll();
      await appendFile(path, line(2));
      await rename(path, join(dir, 'audit-2026-11-22T10-00-00.000.log'));
      await writeFile(path, line(3));
      await f.poll();
      await f.close();
      assert.deepEqual(seen, ['id-1', 'id-2', 'id-3']);
    });
  });

  it('after a restart, finishes the rotated file (found by inode) before the new one', async () => {
    await withDir(async (dir) => {
      const path = join(dir, 'audit.log');
      const state = join(dir, 'state.json');
      await writeFile(path, line(1));
      const before: string[] = [];
      const a = follower(path, state, before);
      await a.poll();
      await a.close();
      // While stopped: more events, rotation, events in the new file.
      await appendFile(path, line(2));
      await rename(path, join(dir, 'audit-2026-11-22T11-00-00.000.log'));
      await writeFile(path, line(3));
      const after: string[] = [];
      const b = follower(path, state, after);
      await b.poll();
      await b.close();
      assert.deepEqual(before, ['id-1']);
      assert.deepEqual(after, ['id-2', 'id-3']);
    });
  });

  it('starts over when the file is truncated, and reports lines that are not events', async () => {
    await withDir(async (dir) => {
      const path = join(dir, 'audit.log');
      const seen: string[] = [];
      const issues: string[] = [];
      await writeFile(path, line(1) + line(2));
      const f = follower(path, join(dir, 'state.json'), seen, issues);
      await f.poll();
      await truncate(path, 0);
      await writeFile(path, `${line(3)}not json\n{"kind":"Pod"}\n`);
      await f.poll();
      await f.close();
      assert.deepEqual(seen, ['id-1', 'id-2', 'id-3']);
      assert.equal(issues.length, 2);
      assert.match(issues[0] ?? '', /invalid JSON/);
    });
  });

  it('ignores a corrupt state file and starts from the configured end', async () => {
    await withDir(async (dir) => {
      const path = join(dir, 'audit.log');
      const state = join(dir, 'state.json');
      await writeFile(path, line(1));
      await writeFile(state, '{"path": 42');
      const seen: string[] = [];
      const f = new AuditLogFollower({
        path,
        stateFile: state,
        from: 'end',
        onBatch: async (batch) => void seen.push(...batch.events.map((e) => e.auditID)),
      });
      await f.poll();
      await appendFile(path, line(2));
      await f.poll();
      await f.close();
      assert.deepEqual(seen, ['id-2']);
    });
  });

  it('names a bad line by its line number and exact byte, also after invalid UTF-8 and a restart', async () => {
    await withDir(async (dir) => {
      const path = join(dir, 'audit.log');
      const state = join(dir, 'state.json');
      const issues: AuditParseIssue[] = [];
      const collect = () =>
        new AuditLogFollower({
          path,
          stateFile: state,
          onBatch: async (batch) => void issues.push(...batch.issues),
        });
      // Two invalid UTF-8 bytes decode to two 3-byte U+FFFD: offsets must count the file's bytes.
      const first = Buffer.concat([
        Buffer.from(line(1)),
        Buffer.from([0xff, 0xfe, 10]),
        Buffer.from('bad\n'),
      ]);
      await writeFile(path, first);
      const a = collect();
      await a.poll();
      await a.close();
      await appendFile(path, `${line(2)}\nworse\n`);
      const b = collect();
      await b.poll();
      await b.close();
      const start = line(1).length;
      assert.deepEqual(
        issues.map((issue) => [issue.origin, issue.line]),
        [
          [`${path} line 2 (byte ${start})`, 2],
          [`${path} line 3 (byte ${start + 3})`, 3],
          [`${path} line 6 (byte ${first.length + line(2).length + 1})`, 6],
        ],
      );
    });
  });

  it('skips a line over 16 MiB written across polls, naming it, and counts lines and bytes on after it', async () => {
    await withDir(async (dir) => {
      const path = join(dir, 'audit.log');
      const seen: string[] = [];
      const issues: AuditParseIssue[] = [];
      const notices: string[] = [];
      const f = new AuditLogFollower({
        path,
        onBatch: async (batch) => {
          for (const event of batch.events) seen.push(event.auditID);
          issues.push(...batch.issues);
        },
        onNotice: (message) => notices.push(message),
      });
      const huge = 'x'.repeat(17 * 1024 * 1024);
      await writeFile(path, line(1) + huge);
      await f.poll();
      // The rest of the long line arrives later: it must not be read as a line of its own.
      await appendFile(path, `${huge}\nbad\n${line(2)}`);
      await f.poll();
      await f.close();
      assert.deepEqual(seen, ['id-1', 'id-2']);
      assert.deepEqual(notices, [
        `${path} line 2 (byte ${line(1).length}): a line longer than 16 MiB; skipped`,
      ]);
      assert.deepEqual(
        issues.map((issue) => issue.origin),
        [`${path} line 3 (byte ${line(1).length + 2 * huge.length + 1})`],
      );
    });
  });
});
