// Falco rules files: lists, macros and rules with append/override across files, exceptions, enabled toggles,
// sources, and problems that name the file, the line and what is wrong.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseAuditText } from '../../src/detect/audit-event.ts';
import { DetectionEngine } from '../../src/detect/engine.ts';
import { formatProblem } from '../../src/detect/rules/load-problem.ts';
import { loadRulesTexts } from '../../src/detect/rules/load-rules.ts';
import { auditEvent } from './fixtures/events.ts';

const BASE = `
- list: admins
  items: [root]

- macro: is_create
  condition: ka.verb = create

- rule: Create By Non Admin
  desc: a create by someone not in admins
  condition: is_create and not ka.user.name in (admins)
  output: created by %ka.user.name in %ka.target.namespace
  priority: WARNING
  source: k8s_audit
  tags: [k8s, test]
`;

function alertsFor(
  files: { text: string; file: string }[],
  event = auditEvent(),
  matching: 'first' | 'all' = 'first',
) {
  const loaded = loadRulesTexts(files, matching);
  assert.deepEqual(loaded.problems.filter((p) => p.severity === 'error').map(formatProblem), []);
  return new DetectionEngine({ rulesets: [loaded.ruleset] }).process(event);
}

describe('rules files', () => {
  it('loads lists, macros and rules and renders Falco-shaped alerts', () => {
    const [alert] = alertsFor([{ text: BASE, file: 'base.yaml' }]);
    assert.ok(alert);
    assert.equal(alert.rule, 'Create By Non Admin');
    assert.equal(alert.priority, 'Warning');
    assert.equal(alert.source, 'k8s_audit');
    assert.deepEqual(alert.tags, ['k8s', 'test']);
    assert.equal(alert.time, '2026-11-22T10:00:00.123456000Z');
    assert.equal(alert.output, '10:00:00.123456000: Warning created by alice in default');
    assert.equal(alert.output_fields['ka.user.name'], 'alice');
    assert.equal(typeof alert.output_fields['ka.auditid'], 'string');
  });

  it('reads a list item or exception value written in quotes as the quoted string, as Falco pastes it into the condition', () => {
    const rules = `
- list: watched_namespaces
  items: ['"kube-system"', "'default'", plain, '"with space"']
- rule: Write In Watched Namespace
  desc: a write in a watched namespace
  condition: ka.target.namespace in (watched_namespaces)
  output: write by %ka.user.name
  priority: WARNING
  source: k8s_audit
  exceptions:
    - name: trusted
      fields: ka.user.name
      comps: in
      values: ['"trusted"']
    - name: batch
      fields: [ka.user.name, ka.target.name]
      comps: ['=', in]
      values: [['"bot"', ['"job-a"', job-b]]]
`;
    const at = (namespace: string, username = 'alice', name = 'web') =>
      auditEvent({ user: { username }, objectRef: { resource: 'pods', namespace, name, apiVersion: 'v1' } });
    const file = [{ text: rules, file: 'quoted.yaml' }];
    assert.equal(alertsFor(file, at('kube-system')).length, 1);
    assert.equal(alertsFor(file, at('default')).length, 1);
    assert.equal(alertsFor(file, at('plain')).length, 1);
    assert.equal(alertsFor(file, at('with space')).length, 1);
    assert.equal(alertsFor(file, at('"kube-system"')).length, 0);
    assert.equal(alertsFor(file, at('kube-system', 'trusted')).length, 0);
    assert.equal(alertsFor(file, at('kube-system', 'bot', 'job-a')).length, 0);
    assert.equal(alertsFor(file, at('kube-system', 'bot', 'job-b')).length, 0);
    assert.equal(alertsFor(file, at('kube-system', 'bot', 'job-c')).length, 1);
  });

  it('refuses a list item with an escape Falco refuses, naming the list and the item', () => {
    const loaded = loadRulesTexts([
      {
        text: String.raw`- list: bad
  items: [ok, '"a\d"']
`,
        file: 'bad.yaml',
      },
    ]);
    assert.deepEqual(
      loaded.problems.map(formatProblem).filter((line) => line.includes('error')),
      [String.raw`bad.yaml:2:1: error: list 'bad': item 2: unsupported string escape sequence: \d`],
    );
  });

  it('appends to lists, macros and rules from later files (append: true and override)', () => {
    const appendList = `- list: admins\n  items: [alice]\n  append: true\n`;
    assert.equal(
      alertsFor([
        { text: BASE, file: 'a' },
        { text: appendList, file: 'b' },
      ]).length,
      0,
    );
    const overrideList = `- list: admins\n  items: [alice]\n  override:\n    items: replace\n`;
    assert.equal(
      alertsFor([
        { text: BASE, file: 'a' },
        { text: overrideList, file: 'b' },
      ]).length,
      0,
    );
    const appendMacro = `- macro: is_create\n  condition: and ka.user.name = bob\n  append: true\n`;
    assert.equal(
      alertsFor([
        { text: BASE, file: 'a' },
        { text: appendMacro, file: 'b' },
      ]).length,
      0,
    );
    const appendRule = `- rule: Create By Non Admin\n  condition: and ka.target.namespace = kube-system\n  append: true\n`;
    assert.equal(
      alertsFor([
        { text: BASE, file: 'a' },
        { text: appendRule, file: 'b' },
      ]).length,
      0,
    );
    const overrideRule = `- rule: Create By Non Admin\n  priority: CRITICAL\n  output: replaced %ka.verb\n  override:\n    priority: replace\n    output: replace\n`;
    const [alert] = alertsFor([
      { text: BASE, file: 'a' },
      { text: overrideRule, file: 'b' },
    ]);
    assert.equal(alert?.priority, 'Critical');
    assert.match(alert?.output ?? '', /replaced create$/);
  });

  it('switches a rule off with an item that also names its source or tags, as Falco does', () => {
    const disable = `- rule: Create By Non Admin\n  enabled: false\n  source: k8s_audit\n  tags: [k8s]\n`;
    const alerts = alertsFor([
      { text: BASE, file: 'a' },
      { text: disable, file: 'b' },
    ]);
    assert.equal(alerts.length, 0);
  });

  it('appends only condition and exceptions with append: true, and says the other keys are ignored', () => {
    const append = `- rule: Create By Non Admin\n  append: true\n  condition: and ka.user.name != nobody\n  enabled: false\n  priority: ERROR\n  output: EXTRA\n`;
    const loaded = loadRulesTexts([
      { text: BASE, file: 'a' },
      { text: append, file: 'b' },
    ]);
    assert.deepEqual(
      loaded.problems.map((problem) => problem.severity),
      ['warning', 'warning', 'warning'],
    );
    assert.match(formatProblem(loaded.problems[0]!), /only 'condition' and 'exceptions' are appended/);
    const [alert] = new DetectionEngine({ rulesets: [loaded.ruleset] }).process(auditEvent());
    assert.equal(alert?.priority, 'Warning');
    assert.doesNotMatch(alert?.output ?? '', /EXTRA/);
  });

  it('disables a rule with an item that only sets enabled, and skips other sources', () => {
    const disable = `- rule: Create By Non Admin\n  enabled: false\n`;
    assert.equal(
      alertsFor([
        { text: BASE, file: 'a' },
        { text: disable, file: 'b' },
      ]).length,
      0,
    );
    const syscall = `- rule: Shell\n  desc: d\n  condition: proc.name = bash\n  output: o\n  priority: NOTICE\n`;
    const loaded = loadRulesTexts([{ text: syscall, file: 'sys.yaml' }]);
    assert.deepEqual(loaded.problems, []);
    assert.equal(loaded.ruleset.otherSourceRules, 1);
  });

  it('applies exceptions (single field with in, tuples with comps, values from lists)', () => {
    const withExceptions = `
- list: trusted_namespaces
  items: [default]
- rule: Any Create
  desc: d
  condition: ka.verb = create
  output: o %ka.user.name
  priority: INFO
  source: k8s_audit
  exceptions:
    - name: namespaces
      fields: ka.target.namespace
      values: [trusted_namespaces]
`;
    assert.equal(alertsFor([{ text: withExceptions, file: 'e' }]).length, 0);
    const tuple = withExceptions.replace(
      /- name: namespaces[\s\S]*$/,
      `- name: user_and_ns\n      fields: [ka.user.name, ka.target.namespace]\n      comps: [=, startswith]\n      values:\n        - [alice, def]\n`,
    );
    assert.equal(alertsFor([{ text: tuple, file: 'e' }]).length, 0);
    assert.equal(
      alertsFor([{ text: tuple, file: 'e' }], auditEvent({ user: { username: 'bob' } })).length,
      1,
    );
    const appended = `- rule: Any Create\n  exceptions:\n    - name: user_and_ns\n      values:\n        - [bob, def]\n  append: true\n`;
    assert.equal(
      alertsFor(
        [
          { text: tuple, file: 'e' },
          { text: appended, file: 'f' },
        ],
        auditEvent({ user: { username: 'bob' } }),
      ).length,
      0,
    );
  });

  it('alerts once per event with matching first (Falco default), for every rule with all', () => {
    const two = `${BASE}
- rule: Any Create
  desc: d
  condition: is_create
  output: o
  priority: INFO
  source: k8s_audit
`;
    assert.equal(alertsFor([{ text: two, file: 'a' }]).length, 1);
    assert.equal(alertsFor([{ text: two, file: 'a' }], auditEvent(), 'all').length, 2);
  });

  it('reports problems with file, line and cause, and keeps loading the rest', () => {
    const broken = `- rule: Good
  desc: d
  condition: ka.verb = get
  output: o
  priority: INFO
  source: k8s_audit

- rule: Bad Field
  desc: d
  condition: ka.verb = get and ka.nosuch = 1
  output: o
  priority: INFO
  source: k8s_audit

- rule: Bad Priority
  desc: d
  condition: ka.verb = get
  output: o
  priority: LOUD
  source: k8s_audit

- rule: No Output
  desc: d
  condition: ka.verb = get
  priority: INFO
  source: k8s_audit

- rule: Bad Macro
  desc: d
  condition: no_such_macro
  output: o %ka.nosuch.field
  priority: INFO
  source: k8s_audit

- macro: appended_to_nothing
  condition: and x
  append: true

- whatever: 1
`;
    const loaded = loadRulesTexts([{ text: broken, file: 'broken.yaml' }]);
    const messages = loaded.problems.map(formatProblem);
    assert.equal(loaded.ruleset.rules.length, 1);
    const expectLine = (line: number, pattern: RegExp) =>
      assert.ok(
        messages.some((m) => m.startsWith(`broken.yaml:${line}:`) && pattern.test(m)),
        `line ${line} ${pattern}: ${messages.join('\n')}`,
      );
    expectLine(10, /rule 'Bad Field': unknown field 'ka.nosuch' \(at character 19 of the condition\)/);
    expectLine(19, /unknown priority 'LOUD'/);
    expectLine(22, /'output' is required/);
    expectLine(30, /undefined macro 'no_such_macro'/);
    expectLine(35, /macro 'appended_to_nothing' has append but no macro of that name/);
    expectLine(39, /unknown item/);
  });

  it('survives alias bombs and odd YAML without throwing', () => {
    const levels = ['- list: a\n  items: &a [x, x, x, x, x, x, x, x, x]'];
    for (const [name, prev] of [
      ['b', 'a'],
      ['c', 'b'],
      ['d', 'c'],
      ['e', 'd'],
      ['f', 'e'],
    ] as const)
      levels.push(`- list: ${name}\n  items: &${name} [${Array(9).fill(`*${prev}`).join(', ')}]`);
    const loaded = loadRulesTexts([{ text: levels.join('\n'), file: 'bomb.yaml' }]);
    assert.ok(loaded.problems.some((p) => p.severity === 'error'));
    for (const text of ['', 'just a string', '{a: 1}', '- 1\n- [x]\n-\n', '- rule: 7\n']) {
      assert.doesNotThrow(() => loadRulesTexts([{ text, file: 'odd.yaml' }]), text);
    }
  });

  it('reports YAML syntax errors at their position', () => {
    const loaded = loadRulesTexts([{ text: '- rule: X\n  desc: [unclosed\n', file: 'bad.yaml' }]);
    assert.match(formatProblem(loaded.problems[0]!), /^bad\.yaml:\d+:\d+: error: YAML:/);
  });

  it('defines a list appended to before it exists, with a warning (Falco files append to lists of falco_rules.yaml)', () => {
    const loaded = loadRulesTexts([
      { text: '- list: falco_privileged_images\n  items: [nginx]\n  append: true\n', file: 'trust.yaml' },
    ]);
    assert.equal(loaded.problems.length, 1);
    assert.equal(loaded.problems[0]?.severity, 'warning');
  });

  it('accepts trace files of Falco events and refuses what is not an audit event', () => {
    const parsed = parseAuditText('{"kind": 0}', 'trace.json');
    assert.equal(parsed.events.length, 0);
    assert.match(parsed.issues[0]?.message ?? '', /not a Kubernetes audit event/);
  });
});
