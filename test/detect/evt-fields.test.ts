// Falco's generic `evt.*` fields on k8s_audit events, the output length modifier (`%20field`), and output_fields
// as Falco's JSON output writes them: the event time in nanoseconds, lists as arrays, missing fields as null.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Alert } from '../../src/detect/alert.ts';
import { DetectionEngine } from '../../src/detect/engine.ts';
import { formatProblem } from '../../src/detect/rules/load-problem.ts';
import { loadRulesTexts } from '../../src/detect/rules/load-rules.ts';
import { auditEvent } from './fixtures/events.ts';

function rule(condition: string, output: string): string {
  return `
- rule: Probe
  desc: probe
  condition: ${condition}
  output: ${JSON.stringify(output)}
  priority: NOTICE
  source: k8s_audit
`;
}

function engineFor(condition: string, output: string): DetectionEngine {
  const loaded = loadRulesTexts([{ text: rule(condition, output), file: 'probe.yaml' }], 'first');
  assert.deepEqual(loaded.problems.filter((p) => p.severity === 'error').map(formatProblem), []);
  return new DetectionEngine({ rulesets: [loaded.ruleset], hostname: 'watcher-0' });
}

function only(alerts: Alert[]): Alert {
  assert.equal(alerts.length, 1);
  return alerts[0]!;
}

const FIRST = '2018-10-25T13:58:49.123456789Z';
const SECOND = '2018-10-25T13:58:51.000000123Z';
const FIRST_NS = 1540475929123456789n;

describe('evt.* fields', () => {
  it('shows the event time in every Falco form, from the stage timestamp, to the nanosecond', () => {
    const engine = engineFor(
      'ka.verb = create',
      'time=%evt.time s=%evt.time.s iso=%evt.time.iso8601 dt=%evt.datetime dts=%evt.datetime.s raw=%evt.rawtime rs=%evt.rawtime.s rns=%evt.rawtime.ns',
    );
    const alert = only(engine.process(auditEvent({ stageTimestamp: FIRST })));
    assert.equal(
      alert.output,
      '13:58:49.123456789: Notice time=13:58:49.123456789 s=13:58:49 iso=2018-10-25T13:58:49.123456789Z ' +
        'dt=2018-10-25 13:58:49.123456789 dts=2018-10-25 13:58:49 raw=1540475929123456789 rs=1540475929 rns=123456789',
    );
    assert.equal(alert.time, FIRST);
  });

  it('shows a time before 1970 floored to its second, with a positive nanoseconds part', () => {
    const engine = engineFor(
      'ka.verb = create',
      'iso=%evt.time.iso8601 dts=%evt.datetime.s rs=%evt.rawtime.s rns=%evt.rawtime.ns',
    );
    const alert = only(engine.process(auditEvent({ stageTimestamp: '1969-12-31T23:59:58.5Z' })));
    assert.equal(
      alert.output,
      '23:59:58.500000000: Notice iso=1969-12-31T23:59:58.500000000Z dts=1969-12-31 23:59:58 rs=-2 rns=500000000',
    );
    assert.equal(alert.time, '1969-12-31T23:59:58.500000000Z');
  });

  it('reads a day past the end of its month as no time at all, never as a day of the next month', () => {
    const engine = engineFor('ka.verb = create', 'iso=%evt.time.iso8601');
    for (const stamp of ['2026-02-30T10:00:00Z', '2023-02-29T10:00:00Z', '2026-04-31T10:00:00+02:00'])
      assert.doesNotMatch(
        only(engine.process(auditEvent({ stageTimestamp: stamp }))).output,
        /2026-03|2023-03|2026-05/,
      );
    assert.match(
      only(engine.process(auditEvent({ stageTimestamp: '2024-02-29T10:00:00Z' }))).output,
      /iso=2024-02-29T10:00:00\.000000000Z/,
    );
  });

  it('writes times as 64-bit integers in output_fields, digit for digit, and always adds evt.time as Falco does', () => {
    const engine = engineFor('ka.verb = create', 'at %evt.time.iso8601 by %ka.user.name');
    const alert = only(engine.process(auditEvent({ stageTimestamp: FIRST })));
    const json = JSON.stringify(alert);
    assert.match(json, /"evt\.time\.iso8601":1540475929123456789[,}]/);
    assert.match(json, /"evt\.time":1540475929123456789[,}]/);
    assert.equal(JSON.parse(json).output_fields['ka.user.name'], 'alice');
  });

  it('numbers events and counts evt.reltime from the first one, zero-padded as Falco prints it', () => {
    const engine = engineFor(
      'ka.verb = create',
      'n=%evt.num rel=%evt.reltime s=%evt.reltime.s ns=%evt.reltime.ns',
    );
    const first = only(engine.process(auditEvent({ stageTimestamp: FIRST })));
    const second = only(engine.process(auditEvent({ stageTimestamp: SECOND })));
    assert.match(first.output, / n=1 rel=000000000 s=0 ns=000000000$/);
    assert.match(second.output, / n=2 rel=1876543334 s=1 ns=876543334$/);
    assert.equal(second.output_fields['evt.num'], 2);
    assert.equal(second.output_fields['evt.reltime'], 1876543334);
  });

  it('names the source, plugin and host, and never an async type', () => {
    const engine = engineFor(
      'evt.source = k8s_audit and evt.pluginname = k8saudit and evt.is_async = false and not evt.asynctype exists',
      'host=%evt.hostname type=%evt.asynctype',
    );
    const alert = only(engine.process(auditEvent()));
    assert.match(alert.output, / host=watcher-0 type=<NA>$/);
    assert.equal(alert.output_fields['evt.asynctype'], null);
  });

  it('compares nanosecond timestamps exactly, beyond the 2^53 a JavaScript number holds', () => {
    const fires = (condition: string) =>
      engineFor(condition, 'x').process(auditEvent({ stageTimestamp: FIRST })).length === 1;
    // 1540475929123456789 and ...790 are the same JavaScript number; Falco's 64-bit comparison tells them apart.
    assert.equal(Number(FIRST_NS), Number(FIRST_NS + 1n));
    assert.equal(fires(`evt.rawtime = ${FIRST_NS}`), true);
    assert.equal(fires(`evt.rawtime = ${FIRST_NS + 1n}`), false);
    assert.equal(fires(`evt.rawtime < ${FIRST_NS + 1n}`), true);
    assert.equal(fires(`evt.rawtime > ${FIRST_NS - 1n}`), true);
    assert.equal(fires(`evt.rawtime >= ${FIRST_NS + 1n}`), false);
    assert.equal(fires(`jevt.rawtime != ${FIRST_NS + 1n}`), true);
    assert.equal(fires('evt.rawtime.s = 1540475929 and evt.rawtime.ns = 123456789'), true);
  });

  it('matches numeric fields against a set as numbers, and refuses a set item that is not one', () => {
    const fires = (condition: string) =>
      engineFor(condition, 'x').process(auditEvent({ stageTimestamp: '2018-10-25T13:58:49.000000042Z' }))
        .length === 1;
    // The text of evt.rawtime.ns is zero-padded (000000042); the set's 42 is the same number.
    assert.equal(fires('evt.rawtime.ns in (42, 7)'), true);
    assert.equal(fires('evt.num in (01)'), true);
    assert.equal(fires(`evt.rawtime in (${1540475929000000042n + 1n})`), false);
    assert.equal(fires(`evt.rawtime in (${1540475929000000042n})`), true);
    const loaded = loadRulesTexts([{ text: rule('evt.num in (1, abc)', 'x'), file: 'p.yaml' }], 'first');
    assert.match(
      loaded.problems.map(formatProblem).join('\n'),
      /'abc' is not a number \(of at most 64 bits\), and the field is numeric/,
    );
  });

  it('refuses, quickly and briefly, a number with more digits than 64 bits hold', () => {
    const huge = '9'.repeat(1_000_000);
    const started = performance.now();
    const problems = [`evt.rawtime > ${huge}`, `evt.num in (1, ${huge})`, 'evt.num = 123456789012345678901']
      .map((condition) => loadRulesTexts([{ text: rule(condition, 'x'), file: 'p.yaml' }], 'first').problems)
      .map((list) => list.map(formatProblem).join('\n'));
    assert.match(problems[0]!, /has more digits than a 64-bit number/);
    assert.match(problems[1]!, /is not a number \(of at most 64 bits\)/);
    assert.match(problems[2]!, /has more digits than a 64-bit number/);
    for (const text of problems)
      assert.ok(text.length < 1000, `a short message, not ${text.length} characters`);
    // BigInt on a million digits takes about half a second; the loader never builds one.
    assert.ok(performance.now() - started < 20_000);
    // 20 digits is still a 64-bit value.
    assert.equal(engineFor('evt.rawtime < 18446744073709551615', 'x').process(auditEvent()).length, 1);
  });

  it('shows the whole event as the plugin info, with secret values masked in the alert', () => {
    const engine = engineFor('ka.target.resource = secrets', 'info=%evt.plugininfo');
    const alert = only(
      engine.process(
        auditEvent({
          objectRef: { resource: 'secrets', namespace: 'default', name: 'db', apiVersion: 'v1' },
          requestObject: { kind: 'Secret', apiVersion: 'v1', data: { password: 'aHVudGVyMg==' } },
        }),
      ),
    );
    assert.match(alert.output, /"resource":"secrets"/);
    assert.doesNotMatch(alert.output, /aHVudGVyMg==/);
  });
});

describe('output templates', () => {
  it('cuts or pads a field to the width of a length modifier, keyed by the field name', () => {
    const engine = engineFor('ka.verb = create', '[%10ka.verb] [%3ka.user.name] [%2ka.target.name]');
    const alert = only(engine.process(auditEvent()));
    assert.match(alert.output, / \[create {4}\] \[ali\] \[we\]$/);
    assert.equal(alert.output_fields['ka.verb'], 'create');
    assert.equal(alert.output_fields['ka.user.name'], 'alice');
  });

  it('never cuts a character in two: the width counts bytes, as in Falco', () => {
    const engine = engineFor('ka.verb = create', '[%5ka.user.name]');
    const alert = only(engine.process(auditEvent({ user: { username: 'zoë-x', groups: [] } })));
    // "zoë" is 4 bytes; the next character would make 5 with "-", so "zoë-" fills all 5.
    assert.match(alert.output, /\[zoë-\]$/);
    const cut = only(
      engineFor('ka.verb = create', '[%3ka.user.name]').process(
        auditEvent({ user: { username: 'zoë', groups: [] } }),
      ),
    );
    assert.match(cut.output, /\[zo \]$/);
  });

  it("drops a leading '*', libsinsp's flag for showing <NA>, as Falco does", () => {
    const alert = only(
      engineFor('ka.verb = create', '*by %ka.user.name as %ka.impuser.name').process(auditEvent()),
    );
    assert.match(alert.output, /: Notice by alice as <NA>$/);
  });

  it('refuses a length modifier before an unknown field, as Falco does, and one too wide to print', () => {
    const problems = (output: string) =>
      loadRulesTexts([{ text: rule('ka.verb = create', output), file: 'p.yaml' }], 'first')
        .problems.map(formatProblem)
        .join('\n');
    assert.match(problems('x %10ka.nosuch y'), /unknown field '%ka\.nosuch'/);
    assert.match(problems('x %99999999999ka.verb'), /length modifier %99999999999 is wider than 4096 bytes/);
    assert.ok(
      problems(`x %${'9'.repeat(100_000)}ka.verb`).length < 1000,
      'the digits are cut in the message',
    );
    // `%0field` is no modifier in libsinsp; 4096 bytes is still accepted.
    assert.equal(problems('[%0ka.verb] %4096ka.verb'), '');
  });

  it('writes list fields as JSON arrays and missing fields as null in output_fields', () => {
    const engine = engineFor('ka.verb = create', 'groups=%ka.user.groups impuser=%ka.impuser.name');
    const alert = only(engine.process(auditEvent()));
    assert.match(alert.output, / groups=\(developers,system:authenticated\) impuser=<NA>$/);
    assert.deepEqual(alert.output_fields['ka.user.groups'], ['developers', 'system:authenticated']);
    assert.equal(alert.output_fields['ka.impuser.name'], null);
  });
});
