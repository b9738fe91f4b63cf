import assert from 'node:assert/strict';
import { test } from 'node:test';
import { appendLine, eventsFromValue } from './audit-event.ts';

const event = { auditID: 'a1', stage: 'ResponseComplete', verb: 'get' };

test('an EventList whose items is not a list is reported, not read as empty', () => {
  for (const items of ['nope', 7, { 0: event }, true]) {
    const parsed = eventsFromValue({ kind: 'EventList', apiVersion: 'audit.k8s.io/v1', items }, 'webhook', 3);
    assert.deepEqual(parsed.events, []);
    assert.equal(parsed.issues.length, 1);
    assert.equal(parsed.issues[0]!.line, 3);
    assert.match(
      parsed.issues[0]!.message,
      /^not a Kubernetes audit event list: an EventList whose items is/,
    );
  }
});

test('an EventList without items, or with null items, is an empty batch', () => {
  for (const list of [{ kind: 'EventList' }, { kind: 'EventList', items: null }])
    assert.deepEqual(eventsFromValue(list, 'webhook', 1), { events: [], issues: [] });
  assert.equal(eventsFromValue({ kind: 'EventList', items: [event] }, 'webhook', 1).events.length, 1);
});

test('a line that is not JSON is named by its line, never quoted; a byte-order mark is not part of the event', () => {
  const into = { events: [], issues: [] } as Parameters<typeof appendLine>[0];
  appendLine(into, '{"kind":"Event","token": SUPERSECRETTOKEN123}', 'audit.log', 7);
  assert.equal(into.issues.length, 1);
  assert.equal(into.issues[0]?.line, 7);
  assert.ok(!JSON.stringify(into.issues).includes('SUPERSECRET'), JSON.stringify(into.issues));
  appendLine(
    into,
    '\uFEFF{"kind":"Event","apiVersion":"audit.k8s.io/v1","auditID":"a","stage":"ResponseComplete","verb":"get","requestURI":"/api","user":{"username":"u"},"stageTimestamp":"2026-11-22T20:00:00Z"}',
    'audit.log',
    1,
  );
  assert.equal(into.issues.length, 1, JSON.stringify(into.issues));
  assert.equal(into.events.length, 1);
});

test('an EventList whose apiVersion is not a string is reported, never converted (a hostile toString threw)', () => {
  const into = { events: [], issues: [] } as Parameters<typeof appendLine>[0];
  appendLine(
    into,
    JSON.stringify({ kind: 'Event', apiVersion: 'audit.k8s.io/v1', ...event }),
    'audit.log',
    1,
  );
  for (const apiVersion of [{ toString: 0 }, [{ toString: 0 }], 7, null]) {
    const line = JSON.stringify({ kind: 'EventList', apiVersion, items: [event] });
    assert.doesNotThrow(() => appendLine(into, line, 'audit.log', 2));
  }
  appendLine(
    into,
    JSON.stringify({ kind: 'Event', apiVersion: 'audit.k8s.io/v1', ...event }),
    'audit.log',
    3,
  );
  assert.equal(into.events.length, 2, 'the events around the bad lines are kept');
  assert.equal(into.issues.length, 4);
  for (const issue of into.issues)
    assert.match(
      issue.message,
      /^not a Kubernetes audit event list: an EventList whose apiVersion must be a string/,
    );
});
