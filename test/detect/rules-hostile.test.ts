// Hostile rules files and events: regexes run in linear time (as Falco's RE2), a rule that throws is reported,
// deeply nested values still have a text, nested lists cannot blow up, and exceptions cannot silently disable
// their rule.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadBuiltinRuleset } from '../../src/detect/builtin/builtin-ruleset.ts';
import { buildPredicate } from '../../src/detect/condition/predicates.ts';
import { DetectionEngine, type RuleErrorReport } from '../../src/detect/engine.ts';
import { formatProblem } from '../../src/detect/rules/load-problem.ts';
import { loadRulesTexts } from '../../src/detect/rules/load-rules.ts';
import { auditEvent } from './fixtures/events.ts';

function rule(name: string, condition: string, extra = ''): string {
  return `- rule: ${name}
  desc: x
  condition: ${condition}
  output: x
  priority: WARNING
  source: k8s_audit
${extra}`;
}

function load(text: string) {
  const loaded = loadRulesTexts([{ text, file: 'hostile.yaml' }]);
  return { ...loaded, messages: loaded.problems.map(formatProblem).join('\n') };
}

describe('regex operator (linear time, like RE2)', () => {
  it('accepts (a|a)*b and matches a hostile 10k-character value', { timeout: 20_000 }, () => {
    const loaded = load(rule('Alternation', 'ka.user.name regex "(a|a)*b"'));
    assert.equal(loaded.messages, '');
    assert.equal(loaded.ruleset.rules.length, 1);
    const engine = new DetectionEngine({ rulesets: [loaded.ruleset] });
    const hostile = auditEvent({ user: { username: `${'a'.repeat(10_000)}c` } });
    assert.equal(engine.process(hostile).length, 0);
    assert.equal(engine.process(auditEvent({ user: { username: 'aaab' } })).length, 1);
    assert.equal(engine.stats.ruleErrors, 0);
    const nested = buildPredicate('regex', '((a|a){1,30})*b', false);
    assert.equal(nested(`${'a'.repeat(10_000)}c`), false);
  });

  it('refuses backreferences and lookaheads at load, naming the rule and position', () => {
    for (const pattern of ['(a)\\\\1', '(?=a)a', '(?!b)a']) {
      const loaded = load(rule('Backtracking', `ka.user.name regex "${pattern}"`));
      assert.equal(loaded.ruleset.rules.length, 0, pattern);
      assert.match(
        loaded.messages,
        /hostile\.yaml:3:.*rule 'Backtracking'.*not supported.*character 20 /,
        pattern,
      );
    }
  });

  it('spells out counted repeats (RE2 allows up to 1000) and keeps their meaning', () => {
    const name = buildPredicate('regex', '[a-z0-9]{1,63}', false);
    assert.equal(name('a'.repeat(63)), true);
    assert.equal(name('a'.repeat(64)), false);
    assert.equal(name(''), false);
    const pairs = buildPredicate('regex', '(?<p>ab){2,3}x{2,}', false);
    assert.deepEqual(['abxx', 'ababxx', 'abababxxx', 'ababababxx', 'ababx'].map(pairs), [
      false,
      true,
      true,
      false,
      false,
    ]);
    assert.throws(() => buildPredicate('regex', 'a{1001}', false), /above 1000/);
  });

  it('compiles every built-in rule', () => {
    const builtin = loadBuiltinRuleset();
    assert.deepEqual(builtin.problems.filter((p) => p.severity === 'error').map(formatProblem), []);
  });
});

describe('rule errors', () => {
  it('extracts a value nested 5000 arrays deep instead of failing the rule', () => {
    const loaded = load(rule('Subjects', 'ka.req.binding.subjects exists'));
    const engine = new DetectionEngine({ rulesets: [loaded.ruleset] });
    let deep: unknown = 'x';
    for (let level = 0; level < 5000; level++) deep = [deep];
    const alerts = engine.process(auditEvent({ requestObject: { subjects: [deep] } }));
    assert.equal(engine.stats.ruleErrors, 0, engine.stats.lastRuleError);
    assert.equal(alerts.length, 1);
  });

  it('reports a failing rule on its first failure, then at 10, 100...', () => {
    const loaded = load(rule('Throws', 'ka.verb exists'));
    loaded.ruleset.rules[0]!.matches = () => {
      throw new Error('boom');
    };
    const reports: RuleErrorReport[] = [];
    const engine = new DetectionEngine({ rulesets: [loaded.ruleset], onRuleError: (r) => reports.push(r) });
    for (let count = 0; count < 150; count++) engine.process(auditEvent());
    assert.equal(engine.stats.ruleErrors, 150);
    assert.deepEqual(
      reports.map((r) => [r.rule, r.message, r.count]),
      [
        ['Throws', 'boom', 1],
        ['Throws', 'boom', 10],
        ['Throws', 'boom', 100],
      ],
    );
  });
});

describe('nested lists', () => {
  it('expands lists naming each other many times once each, deduplicated', { timeout: 20_000 }, () => {
    let text = `- list: l0\n  items: [${Array.from({ length: 10 }, (_, i) => `u${i}`).join(', ')}]\n`;
    for (let level = 1; level <= 9; level++)
      text += `- list: l${level}\n  items: [${Array(10)
        .fill(`l${level - 1}`)
        .join(', ')}]\n`;
    text += rule('Laughs', 'ka.user.name in (l9)');
    const loaded = load(text);
    assert.equal(loaded.messages, '');
    const engine = new DetectionEngine({ rulesets: [loaded.ruleset] });
    assert.equal(engine.process(auditEvent({ user: { username: 'u7' } })).length, 1);
  });

  it('refuses a list that expands to more than 100,000 items, naming it', () => {
    const items = (prefix: string) => Array.from({ length: 400 }, (_, i) => `${prefix}${i}`).join(', ');
    let text = '';
    const parts: string[] = [];
    for (let index = 0; index < 300; index++) {
      text += `- list: p${index}\n  items: [${items(`v${index}_`)}]\n`;
      parts.push(`p${index}`);
    }
    text += `- list: big\n  items: [${parts.join(', ')}]\n`;
    text += rule('Big', 'ka.user.name in (big)');
    const loaded = load(text);
    assert.equal(loaded.ruleset.rules.length, 0);
    assert.match(loaded.messages, /rule 'Big': list 'big' expands to more than 100000 items/);
  });

  it('names a cycle of lists and of macros', () => {
    const lists = load(
      `- list: a\n  items: [b]\n- list: b\n  items: [a]\n${rule('Lists', 'ka.verb in (a)')}`,
    );
    assert.match(lists.messages, /list 'a' includes itself \(a -> b -> a\)/);
    // A macro sees only macros defined before it (as in Falco), so a cycle needs a redefinition.
    const macros = load(
      `- macro: a\n  condition: ka.verb exists\n- macro: b\n  condition: a\n- macro: a\n  condition: b\n${rule('Macros', 'ka.verb exists and a')}`,
    );
    assert.match(macros.messages, /rule 'Macros': .*cycle: a -> b -> a/);
  });
});

describe('exceptions', () => {
  const exceptions = (body: string) => `  exceptions:\n${body}`;

  it('refuses an exception without fields, naming rule, exception and position', () => {
    for (const body of [
      '    - name: e\n      values: [[]]\n',
      '    - name: e\n      fields: []\n      values: [[]]\n',
    ]) {
      const loaded = load(rule('NoFields', 'ka.verb exists', exceptions(body)));
      assert.equal(loaded.ruleset.rules.length, 0, body);
      assert.match(
        loaded.messages,
        /hostile\.yaml:[78]:.*rule 'NoFields': exception 'e' needs 'fields'/,
        body,
      );
    }
  });

  it('refuses values whose length differs from the fields', () => {
    const body = '    - name: e\n      fields: [ka.verb, ka.user.name]\n      values: [[create]]\n';
    const loaded = load(rule('Short', 'ka.verb exists', exceptions(body)));
    assert.equal(loaded.ruleset.rules.length, 0);
    assert.match(loaded.messages, /rule 'Short': exception 'e': each value must be a sequence of 2/);
  });

  it('appends only values to an existing exception, refusing fields or comps restated (as Falco does)', () => {
    const base = rule(
      'Appended',
      'ka.verb exists',
      exceptions('    - name: e\n      fields: [ka.user.name]\n      values: [[admin]]\n'),
    );
    const changed = `${base}- rule: Appended\n  append: true\n  exceptions:\n    - name: e\n      fields: [ka.verb]\n      values: [[create]]\n`;
    const loaded = load(changed);
    assert.match(
      loaded.messages,
      /hostile\.yaml:1[0-9].*rule 'Appended': appended exception 'e' gives 'fields'; appending to an existing exception only adds values/,
    );
    // Even the same fields: Falco's "Can not append exception fields to existing exception, only values".
    const same = load(
      `${base}- rule: Appended\n  append: true\n  exceptions:\n    - name: e\n      fields: [ka.user.name]\n      values: [[bob]]\n`,
    );
    assert.match(same.messages, /appended exception 'e' gives 'fields'/);
    // The rule keeps its own exception and still alerts on `create` by a non-admin.
    const engine = new DetectionEngine({ rulesets: [loaded.ruleset] });
    assert.equal(engine.process(auditEvent({ verb: 'create', user: { username: 'bob' } })).length, 1);

    const added = load(
      `${base}- rule: Appended\n  append: true\n  exceptions:\n    - name: e\n      values: [[bob]]\n`,
    );
    assert.equal(added.messages, '');
    const after = new DetectionEngine({ rulesets: [added.ruleset] });
    assert.equal(after.process(auditEvent({ user: { username: 'bob' } })).length, 0);
    assert.equal(after.process(auditEvent({ user: { username: 'eve' } })).length, 1);
  });

  it('refuses what Falco refuses: an append with nothing to append, a new appended exception without values, a single field compared value by value', () => {
    const base = rule(
      'Base',
      'ka.verb exists',
      exceptions('    - name: e\n      fields: [ka.user.name]\n      values: [[admin]]\n'),
    );
    assert.match(
      load(`${base}- rule: Base\n  append: true\n`).messages,
      /rule 'Base': an appended rule must have a condition or exceptions/,
    );
    assert.match(
      load(`${base}- rule: Base\n  append: true\n  exceptions:\n    - name: other\n      fields: [ka.verb]\n`)
        .messages,
      /appended exception 'other' is new to the rule, so it needs 'values'/,
    );
    const singleField = (comps: string) =>
      load(
        rule(
          'Single',
          'ka.verb exists',
          exceptions(
            `    - name: e\n      fields: ka.user.name\n      comps: ${comps}\n      values: [admin]\n`,
          ),
        ),
      );
    for (const [comps, message] of [
      ['=', /with a single field, comps must be one of \(in, pmatch, intersects\), not '='/],
      ['[in]', /a single field needs a single comps/],
    ] as const) {
      const loaded = singleField(comps);
      assert.equal(loaded.ruleset.rules.length, 0, comps);
      assert.match(loaded.messages, message);
    }
    for (const comps of ['in', 'pmatch', 'intersects']) assert.equal(singleField(comps).messages, '', comps);
  });
});
