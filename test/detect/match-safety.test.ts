// Matching attacker-controlled values stays cheap: globs use a linear wildcard matcher (its semantics, glibc
// fnmatch's, are checked in glob.test.ts), regexes run on V8's linear-time engine (as Falco's RE2), and the
// regex operator only runs on a bounded prefix of a value.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compileGlob } from '../../src/detect/condition/glob.ts';
import { buildPredicate, MAX_REGEX_INPUT } from '../../src/detect/condition/predicates.ts';
import { formatProblem } from '../../src/detect/rules/load-problem.ts';
import { loadRulesTexts } from '../../src/detect/rules/load-rules.ts';

describe('glob matching', () => {
  // A generous timeout, not a wall-time assertion: polynomial backtracking on these inputs takes many minutes.
  it('stays fast on hostile URIs that made the regex translation backtrack polynomially', {
    timeout: 60_000,
  }, () => {
    const uri = `/api/v1/namespaces/${'ab/'.repeat(20_000)}`;
    assert.equal(compileGlob('*/api/*/namespaces/*/pods/*/exec*', false)(uri), false);
    assert.equal(compileGlob('*/pods/*/pods/*/exec*', false)('/pods/'.repeat(20_000)), false);
    assert.equal(compileGlob('*a*a*a*a*a*b', true)('a'.repeat(20_000)), false);
  });
});

describe('regex operator', () => {
  it('accepts nested quantifiers (RE2 does) and matches them in linear time', () => {
    for (const pattern of ['(a+)+', '(\\w*)*x', '(?:x|y+){2,}', '(b*)*', '((ab)+c)+', '([a-z]+)*$'])
      assert.equal(buildPredicate('regex', pattern, false)(`${'a'.repeat(10_000)}!`), false, pattern);
    const loaded = loadRulesTexts([
      {
        text: `- rule: Nested regex
  desc: x
  condition: ka.uri regex "(/[a-z]+)+/exec"
  output: x
  priority: WARNING
  source: k8s_audit
`,
        file: 'nested.yaml',
      },
    ]);
    assert.deepEqual(loaded.problems.map(formatProblem), []);
    assert.equal(loaded.ruleset.rules.length, 1);
  });

  it('matches only the first MAX_REGEX_INPUT characters of a value', { timeout: 60_000 }, () => {
    const startsWithA = buildPredicate('regex', 'a[\\s\\S]*', false);
    const long = `a${'x'.repeat(MAX_REGEX_INPUT * 4)}`;
    assert.equal(startsWithA(long), true);
    const endsWithZ = buildPredicate('regex', '[\\s\\S]*z', false);
    assert.equal(endsWithZ(`${'x'.repeat(MAX_REGEX_INPUT)}z`), false, 'beyond the cap is not seen');
    assert.equal(endsWithZ(`${'x'.repeat(MAX_REGEX_INPUT - 1)}z`), true);
    // Quadratic backtracking: about 0.3 s at the cap; uncapped this 1 MiB value would take many minutes (the timeout).
    const quadratic = buildPredicate('regex', '.*a.*b', false);
    assert.equal(quadratic('a'.repeat(MAX_REGEX_INPUT * 64)), false);
  });
});
