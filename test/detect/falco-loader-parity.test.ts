// Rules files read as Falco's loader reads them (falcosecurity/falco userspace/engine rule_loader_reader.cpp,
// rule_loader_collector.cpp, rule_loader_compiler.cpp): scalars are yaml-cpp strings, every YAML document of a
// file is loaded, `override` takes only the keys Falco allows, a macro sees only the macros defined before it,
// and priorities are Falco's names (and `info`).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DetectionEngine } from '../../src/detect/engine.ts';
import { formatProblem } from '../../src/detect/rules/load-problem.ts';
import { loadRulesTexts, type RulesText } from '../../src/detect/rules/load-rules.ts';
import { auditEvent } from './fixtures/events.ts';

function load(...texts: RulesText[]) {
  const loaded = loadRulesTexts(texts);
  const lines = loaded.problems.map(formatProblem);
  return { ...loaded, errors: lines.filter((line) => line.includes(': error: ')), lines };
}

function alerts(ruleset: ReturnType<typeof load>['ruleset'], namespace: string, name = 'web') {
  const event = auditEvent({ objectRef: { resource: 'pods', namespace, name, apiVersion: 'v1' } });
  return new DetectionEngine({ rulesets: [ruleset] }).process(event);
}

const BASE = `- macro: is_create
  condition: ka.verb = create
- rule: Create
  desc: d
  condition: is_create
  output: o
  priority: WARNING
  source: k8s_audit
`;

describe('scalars are read as Falco reads them (yaml-cpp strings)', () => {
  const text = `- list: versions
  items: [1.10, 010, true, 0x1F, 1e3, .inf]
- rule: 1.10
  desc: 2.0
  condition: ka.target.namespace in (versions)
  output: 3.0 %ka.target.namespace
  priority: WARNING
  source: k8s_audit
  tags: [1.10, 07]
  exceptions:
    - name: pinned
      fields: [ka.target.name]
      values: [[1.20]]
`;

  it('keeps list items, names, tags and exception values as written', () => {
    const loaded = load({ text, file: 'numbers.yaml' });
    assert.deepEqual(loaded.errors, []);
    for (const written of ['1.10', '010', 'true', '0x1F', '1e3', '.inf'])
      assert.equal(alerts(loaded.ruleset, written).length, 1, written);
    for (const converted of ['1.1', '10', '31', '1000', 'Infinity'])
      assert.equal(alerts(loaded.ruleset, converted).length, 0, converted);
    const [alert] = alerts(loaded.ruleset, '1.10');
    assert.equal(alert?.rule, '1.10');
    // As written, and in a std::set's order, as Falco keeps a rule's tags.
    assert.deepEqual(alert?.tags, ['07', '1.10']);
    assert.match(alert?.output ?? '', /: Warning 3\.0 1\.10$/);
    assert.equal(alerts(loaded.ruleset, '1.10', '1.20').length, 0, 'exception value 1.20');
    assert.equal(alerts(loaded.ruleset, '1.10', '1.2').length, 1, '1.2 is not the exception value 1.20');
  });

  it('keeps tags as a set: each once, in byte order, appended ones merged in', () => {
    const loaded = load(
      {
        text: '- rule: Tagged\n  desc: d\n  condition: ka.verb = create\n  output: o\n  priority: WARNING\n  source: k8s_audit\n  tags: [zeta, alpha, alpha, Mitre]\n',
        file: 'tags.yaml',
      },
      { text: '- rule: Tagged\n  tags: [beta, zeta]\n  override:\n    tags: append\n', file: 'more.yaml' },
    );
    assert.deepEqual(loaded.errors, []);
    assert.deepEqual(loaded.ruleset.rules[0]?.tags, ['Mitre', 'alpha', 'beta', 'zeta']);
  });

  it("reads enabled and append with yaml-cpp's booleans (y/n, yes/no, on/off, true/false)", () => {
    for (const off of ['no', 'Off', 'N', 'FALSE']) {
      const loaded = load(
        { text, file: 'numbers.yaml' },
        { text: `- rule: 1.10\n  enabled: ${off}\n`, file: 'off.yaml' },
      );
      assert.deepEqual(loaded.errors, [], off);
      assert.equal(alerts(loaded.ruleset, '1.10').length, 0, off);
    }
    const appended = load(
      { text, file: 'numbers.yaml' },
      { text: '- list: versions\n  items: [2.10]\n  append: yes\n', file: 'more.yaml' },
    );
    assert.deepEqual(appended.errors, []);
    assert.equal(alerts(appended.ruleset, '2.10').length, 1);
    const bad = load(
      { text, file: 'numbers.yaml' },
      { text: '- rule: 1.10\n  enabled: oFF\n', file: 'bad.yaml' },
    );
    assert.deepEqual(bad.errors, ["bad.yaml:2:1: error: rule '1.10': 'enabled' must be true or false"]);
  });
});

describe('files with several YAML documents or a byte order mark', () => {
  const text = `\uFEFF- list: first_document_names
  items: [alpha]
---
- rule: Second Document
  desc: d
  condition: ka.target.name in (first_document_names)
  output: o
  priority: WARNING
  source: k8s_audit
...
---
# an empty document
---
- rule: Third Document
  desc: d
  condition: ka.nosuch = 1
  output: o
  priority: WARNING
  source: k8s_audit
`;

  it('loads every document, with problems at their file and line', () => {
    const loaded = load({ text, file: 'multi.yaml' });
    assert.deepEqual(loaded.errors, [
      "multi.yaml:16:1: error: rule 'Third Document': unknown field 'ka.nosuch' (at character 1 of the condition)",
    ]);
    assert.deepEqual(
      loaded.ruleset.rules.map((rule) => `${rule.name} ${rule.file}:${rule.line}`),
      ['Second Document multi.yaml:4'],
    );
    assert.equal(alerts(loaded.ruleset, 'default', 'alpha').length, 1);
  });

  it('places a document that is not a sequence, and YAML errors, on their lines', () => {
    const mapping = load({
      text: '\uFEFF- list: a\n  items: [x]\n---\nrule: not in a sequence\n',
      file: 'map.yaml',
    });
    assert.deepEqual(mapping.errors, [
      'map.yaml:4:1: error: a rules file is a YAML sequence of list, macro and rule items',
    ]);
    // As yaml-cpp's LoadAll, a syntax error anywhere leaves the whole file unloaded.
    const broken = load({
      text: '\uFEFF- list: a\n  items: [x]\n---\n- list: b\n  items: [unclosed\n',
      file: 'bad.yaml',
    });
    assert.ok(broken.errors.length > 0);
    for (const error of broken.errors) assert.match(error, /^bad\.yaml:(5|6):\d+: error: YAML: /);
    assert.equal(broken.ruleset.rules.length, 0);
  });
});

describe('override takes only the keys Falco allows', () => {
  const cases: [string, string, RegExp][] = [
    [
      "a rule's source",
      '- rule: Create\n  source: k8s_audit\n  override:\n    source: replace\n',
      /^o\.yaml:4:1: error: rule 'Create': override\.source: 'source' cannot be replaced/,
    ],
    [
      "appending to a rule's priority",
      '- rule: Create\n  priority: ERROR\n  override:\n    priority: append\n',
      /^o\.yaml:4:1: error: rule 'Create': override\.priority: 'priority' cannot be appended to, use replace/,
    ],
    [
      "appending to a rule's enabled",
      '- rule: Create\n  enabled: false\n  override:\n    enabled: append\n',
      /^o\.yaml:4:1: error: rule 'Create': override\.enabled: 'enabled' cannot be appended to, use replace/,
    ],
    [
      'a key given without an override entry',
      '- rule: Create\n  condition: and ka.user.name = bob\n  output: other\n  override:\n    condition: append\n',
      /^o\.yaml:3:1: error: rule 'Create': 'output' is given but 'override' has no entry for it/,
    ],
    [
      "a list's condition",
      '- list: l\n  items: [a]\n  override:\n    condition: append\n',
      /^o\.yaml:4:1: error: list 'l': override\.condition: a list overrides only 'items'/,
    ],
    [
      "a macro's items",
      '- macro: is_create\n  condition: ka.verb = get\n  override:\n    items: replace\n',
      /^o\.yaml:4:1: error: macro 'is_create': override\.items: a macro overrides only 'condition'/,
    ],
  ];
  for (const [what, override, expected] of cases)
    it(`refuses ${what}, naming file, line and key`, () => {
      const loaded = load({ text: BASE, file: 'base.yaml' }, { text: override, file: 'o.yaml' });
      assert.equal(loaded.errors.length, 1, loaded.errors.join('\n'));
      assert.match(loaded.errors[0]!, expected);
    });

  it('still applies the keys it allows, and replaces skip-if-unknown-filter', () => {
    const loaded = load(
      { text: BASE, file: 'base.yaml' },
      {
        text: '- rule: Create\n  priority: ERROR\n  enabled: true\n  tags: [x]\n  override:\n    priority: replace\n    enabled: replace\n    tags: append\n',
        file: 'o.yaml',
      },
    );
    assert.deepEqual(loaded.lines, []);
    const [alert] = alerts(loaded.ruleset, 'default');
    assert.equal(alert?.priority, 'Error');
    assert.deepEqual(alert?.tags, ['x']);
    const skip = load(
      {
        text: '- rule: Unknown\n  desc: d\n  condition: ka.nosuch = 1\n  output: o\n  priority: WARNING\n  source: k8s_audit\n',
        file: 'u.yaml',
      },
      {
        text: '- rule: Unknown\n  skip-if-unknown-filter: true\n  override:\n    skip-if-unknown-filter: replace\n',
        file: 's.yaml',
      },
    );
    assert.deepEqual(skip.errors, []);
  });
});

describe('macros see only the macros defined before them; priorities are Falco names', () => {
  it('refuses a macro that uses a macro defined after it, naming both', () => {
    const loaded = load({
      text: `- macro: outer
  condition: inner and ka.verb = create
- macro: inner
  condition: ka.target.namespace = default
- rule: Uses Outer
  desc: d
  condition: outer
  output: o
  priority: WARNING
  source: k8s_audit
`,
      file: 'order.yaml',
    });
    assert.equal(loaded.errors.length, 1, loaded.errors.join('\n'));
    assert.match(
      loaded.errors[0]!,
      /^order\.yaml:7:1: error: rule 'Uses Outer': in macro 'outer' \(order\.yaml:2\): macro 'inner' is defined after it/,
    );
    assert.equal(loaded.ruleset.rules.length, 0);
  });

  it('accepts a rule using a macro defined later, and a macro redefined or appended after what it uses', () => {
    const loaded = load(
      {
        text: `- rule: Early
  desc: d
  condition: later and outer and appended
  output: o
  priority: WARNING
  source: k8s_audit
- macro: outer
  condition: ka.verb = create
- macro: appended
  condition: ka.verb exists
- macro: inner
  condition: ka.target.namespace = default
- macro: outer
  condition: inner and ka.verb = create
- macro: appended
  condition: and inner
  override:
    condition: append
`,
        file: 'a.yaml',
      },
      { text: '- macro: later\n  condition: ka.user.name = alice\n', file: 'b.yaml' },
    );
    assert.deepEqual(loaded.lines, []);
    assert.equal(alerts(loaded.ruleset, 'default').length, 1);
    assert.equal(alerts(loaded.ruleset, 'other').length, 0);
  });

  // Falco compiles every macro (rule_loader_compiler compile_macros_infos), so an unused one is refused too.
  it('refuses an unused macro that names a later or undefined macro; reads other sources’ macros without refusing them', () => {
    const loaded = load({
      text: `- macro: unused_outer
  condition: later_inner and ka.verb = create
- macro: later_inner
  condition: ka.target.namespace = default
- macro: unused_dangling
  condition: (nowhere or ka.verb = get)
- macro: spawned_process
  condition: (evt.type in (execve, execveat) and evt.dir=< and proc.aname[2] in (bash))
- macro: odd_syntax
  condition: (evt.type in (open) and
${BASE}`,
      file: 'unused.yaml',
    });
    assert.deepEqual(loaded.errors, [
      "unused.yaml:2:1: error: macro 'unused_outer': macro 'later_inner' is defined after it (unused.yaml:4); a macro may only use macros defined before it, as in Falco, even when no rule uses it",
      "unused.yaml:6:1: error: macro 'unused_dangling': undefined macro 'nowhere' in its condition (Falco refuses the rules files even though no rule uses 'unused_dangling')",
    ]);
    // A syscall macro this parser cannot read (here: cut short) is a warning; its fields are another source's.
    const warnings = loaded.lines.filter((line) => line.includes(': warning: '));
    assert.equal(warnings.length, 1, loaded.lines.join('\n'));
    assert.match(
      warnings[0]!,
      /^unused\.yaml:10:1: warning: macro 'odd_syntax' \(used by no k8s_audit rule\) could not be read/,
    );
  });

  it('refuses priority abbreviations other than info, as Falco does', () => {
    for (const priority of ['WARN', 'err', 'crit', 'emerg', 'notices']) {
      const loaded = load({ text: BASE.replace('WARNING', priority), file: 'p.yaml' });
      assert.deepEqual(loaded.errors, [`p.yaml:7:1: error: rule 'Create': unknown priority '${priority}'`]);
    }
    for (const [priority, label] of [
      ['info', 'Informational'],
      ['INFORMATIONAL', 'Informational'],
      ['Emergency', 'Emergency'],
    ]) {
      const loaded = load({ text: BASE.replace('WARNING', priority!), file: 'p.yaml' });
      assert.deepEqual(loaded.errors, []);
      assert.equal(alerts(loaded.ruleset, 'default')[0]?.priority, label);
    }
  });
});
