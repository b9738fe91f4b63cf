// Rate-limit windows on the events' time: a replay limits as watching live would have, a stray timestamp can
// neither hold a window open nor reopen one, and the summary of a window counts exactly what it held back.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Alert } from '../../src/detect/alert.ts';
import { AlertPipeline } from '../../src/detect/alert-pipeline.ts';
import { DetectionEngine } from '../../src/detect/engine.ts';
import { RateLimitClock } from '../../src/detect/rate-limit-clock.ts';
import { AGGREGATED_FIELD, AlertRateLimiter } from '../../src/detect/rate-limiter.ts';
import { formatProblem } from '../../src/detect/rules/load-problem.ts';
import { loadRulesTexts } from '../../src/detect/rules/load-rules.ts';
import { auditEvent } from './fixtures/events.ts';

const RULES = `
- rule: Secret Read
  desc: every Secret read
  condition: ka.target.resource = secrets and ka.verb = get
  output: Secret read (user=%ka.user.name name=%ka.target.name)
  priority: NOTICE
  source: k8s_audit
`;

const BASE_MS = Date.parse('2026-01-01T00:00:00Z');

function secretRead(index: number, offsetSeconds: number) {
  const time = new Date(BASE_MS + offsetSeconds * 1000).toISOString();
  return auditEvent({
    verb: 'get',
    user: { username: 'eve', groups: ['system:authenticated'] },
    requestURI: `/api/v1/namespaces/prod/secrets/s${index}`,
    objectRef: { resource: 'secrets', namespace: 'prod', name: `s${index}`, apiVersion: 'v1' },
    responseStatus: { metadata: {}, code: 200 },
    requestReceivedTimestamp: time,
    stageTimestamp: time,
  });
}

/** A pipeline with the default limit (20 per 60 s) whose wall clock stands still, as in a fast replay. */
function replay(offsetsSeconds: number[], wallMs = BASE_MS + 86_400_000): Alert[] {
  const loaded = loadRulesTexts([{ text: RULES, file: 'rules.yaml' }], 'all');
  assert.deepEqual(loaded.problems.map(formatProblem), []);
  const shown: Alert[] = [];
  const pipeline = new AlertPipeline({
    engine: new DetectionEngine({ rulesets: [loaded.ruleset] }),
    sinks: [
      { name: 'test', write: (alert) => shown.push(alert), flush: async () => {}, close: async () => {} },
    ],
    rateLimiter: new AlertRateLimiter({ limit: 20, windowMs: 60_000 }),
    nowMs: () => wallMs,
  });
  pipeline.process(offsetsSeconds.map((offset, index) => secretRead(index, offset)));
  void pipeline.close();
  return shown;
}

describe('rate-limit summaries', () => {
  it('count exactly what they hold back beside the alert they show', () => {
    const shown = replay(Array.from({ length: 25 }, (_, i) => i));
    assert.equal(shown.length, 21);
    const summary = shown[20]!;
    assert.equal(summary.output_fields[AGGREGATED_FIELD], 5);
    assert.match(summary.output, /name=s24\) \[and 4 more like it in 60s/);
  });

  it('say so when the alert shown is the only one held back', () => {
    const shown = replay(Array.from({ length: 21 }, (_, i) => i));
    assert.equal(shown[20]?.output_fields[AGGREGATED_FIELD], 1);
    assert.match(shown[20]?.output ?? '', /\[the only one like it held back by rate limiting in 60s\]$/);
  });
});

describe('rate-limit windows', () => {
  it('follow the events in a replay: reads an hour apart are not one window', () => {
    const offsets = [
      ...Array.from({ length: 20 }, (_, i) => i),
      ...Array.from({ length: 20 }, (_, i) => 3600 + i),
    ];
    const shown = replay(offsets);
    assert.equal(shown.length, 40);
    assert.ok(shown.every((alert) => !alert.tags.includes('aggregated')));
  });

  it('are not opened again by events stamped in the past or closed early by ones stamped in the future', () => {
    const wallMs = BASE_MS + 30_000;
    // Live: 20 reads at the wall clock's time, then one from a year before and one from a year ahead, then more.
    const offsets = [...Array.from({ length: 20 }, () => 30), -31_536_000, 31_536_000, 30, 30];
    const shown = replay(offsets, wallMs);
    assert.equal(shown.length, 21, 'the 20 allowed and one summary');
    assert.equal(shown[20]?.output_fields[AGGREGATED_FIELD], 4);
  });
});

describe('RateLimitClock', () => {
  it('is the wall clock until an event is seen, then the events’ time', () => {
    let wall = 1_000_000;
    const clock = new RateLimitClock(() => wall);
    assert.equal(clock.now(), 1_000_000);
    clock.observe(5_000);
    assert.equal(clock.now(), 5_000);
    clock.observe(9_000);
    assert.equal(clock.now(), 9_000);
    wall += 2_000;
    assert.equal(clock.now(), 11_000, 'runs on at the wall clock’s pace between events');
  });

  it('takes a future timestamp as now and never moves back', () => {
    let wall = 1_000_000;
    const clock = new RateLimitClock(() => wall);
    clock.observe(999_000);
    clock.observe(9_000_000_000);
    assert.equal(clock.now(), 1_000_000);
    clock.observe(1_000);
    assert.equal(clock.now(), 1_000_000);
    clock.observe(undefined);
    assert.equal(clock.now(), 1_000_000);
    wall -= 60_000;
    assert.equal(clock.now(), 1_000_000, 'a wall clock stepped back does not reopen windows');
  });
});
