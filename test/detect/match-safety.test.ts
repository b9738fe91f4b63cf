// Matching attacker-controlled values stays cheap: globs use a linear wildcard matcher (same semantics as the
// former regex translation, checked against it), regexes run on V8's linear-time engine (as Falco's RE2), and
// the regex operator only runs on a bounded prefix of a value.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compileGlob } from '../../src/detect/condition/glob.ts';
import { buildPredicate, MAX_REGEX_INPUT } from '../../src/detect/condition/predicates.ts';
import { formatProblem } from '../../src/detect/rules/load-problem.ts';
import { loadRulesTexts } from '../../src/detect/rules/load-rules.ts';

/** The former translation (kept here as the reference for semantics only). */
function referenceGlob(pattern: string, ignoreCase: boolean): RegExp {
  let source = '';
  for (let index = 0; index < pattern.length; index++) {
    const char = pattern[index]!;
    if (char === '*') source += '[\\s\\S]*';
    else if (char === '?') source += '[\\s\\S]';
    else if (char === '[') {
      const close = pattern.indexOf(']', index + 2);
      if (close < 0) {
        source += '\\[';
        continue;
      }
      let body = pattern.slice(index + 1, close);
      const negate = body.startsWith('!') || body.startsWith('^');
      if (negate) body = body.slice(1);
      source += `[${negate ? '^' : ''}${body.replace(/[\\\]]/g, '\\$&')}]`;
      index = close;
    } else source += char.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  }
  return new RegExp(`^${source}$`, ignoreCase ? 'i' : '');
}

const PATTERNS = [
  '*',
  '',
  'abc',
  'a*',
  '*c',
  '*b*',
  'a?c',
  '?',
  '??*',
  '/api/*/pods?*',
  '/api/v[12]/*',
  '/api/v[!1]/*',
  '/api/v[^1]/*',
  '[a-c]*',
  '[]]x',
  '[!]]x',
  '[!]',
  'a[b',
  '*[.]*',
  'a\\b',
  'x-[a-c-e]',
  '*/exec*',
  '**a**',
  'A*Z',
];
const VALUES = [
  '',
  'a',
  'abc',
  'abbbc',
  'ABC',
  'aXc',
  'a\nc',
  '/api/v1/pods?x=1',
  '/api/v2/namespaces',
  '/api/v3/pods',
  '/API/V1/PODS',
  ']x',
  'bx',
  'a[b',
  'file.txt',
  'a\\b',
  'x--',
  'x-d',
  'x-b',
  '/api/v1/namespaces/a/pods/b/exec?command=sh',
  'aZ',
  'aaZ',
  'baba',
  '!',
];

describe('glob matching', () => {
  it('matches exactly like the former regex translation (glob and iglob)', () => {
    for (const pattern of PATTERNS)
      for (const ignoreCase of [false, true]) {
        const matches = compileGlob(pattern, ignoreCase);
        const reference = referenceGlob(pattern, ignoreCase);
        for (const value of VALUES)
          assert.equal(
            matches(value),
            reference.test(value),
            `${ignoreCase ? 'iglob' : 'glob'} ${JSON.stringify(pattern)} on ${JSON.stringify(value)}`,
          );
      }
  });

  it('stays fast on hostile URIs that made the regex translation backtrack polynomially', () => {
    const started = performance.now();
    const uri = `/api/v1/namespaces/${'ab/'.repeat(20_000)}`;
    assert.equal(compileGlob('*/api/*/namespaces/*/pods/*/exec*', false)(uri), false);
    assert.equal(compileGlob('*/pods/*/pods/*/exec*', false)('/pods/'.repeat(20_000)), false);
    assert.equal(compileGlob('*a*a*a*a*a*b', true)('a'.repeat(20_000)), false);
    const elapsed = performance.now() - started;
    assert.ok(elapsed < 1000, `took ${elapsed} ms`);
  });

  it('refuses a class range that is out of order', () => {
    assert.throws(() => compileGlob('[z-a]', false), /out of order/);
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

  it('matches only the first MAX_REGEX_INPUT characters of a value', () => {
    const startsWithA = buildPredicate('regex', 'a[\\s\\S]*', false);
    const long = `a${'x'.repeat(MAX_REGEX_INPUT * 4)}`;
    assert.equal(startsWithA(long), true);
    const endsWithZ = buildPredicate('regex', '[\\s\\S]*z', false);
    assert.equal(endsWithZ(`${'x'.repeat(MAX_REGEX_INPUT)}z`), false, 'beyond the cap is not seen');
    assert.equal(endsWithZ(`${'x'.repeat(MAX_REGEX_INPUT - 1)}z`), true);
    const started = performance.now();
    // Quadratic backtracking: about 0.3 s at the cap; uncapped this 1 MiB value would take many minutes.
    const quadratic = buildPredicate('regex', '.*a.*b', false);
    assert.equal(quadratic('a'.repeat(MAX_REGEX_INPUT * 64)), false);
    assert.ok(performance.now() - started < 5000);
  });
});
