// Falco's `glob`/`iglob` are libsinsp's glob_match: glibc fnmatch(pattern, value, 0), with FNM_CASEFOLD for
// iglob. fixtures/fnmatch-cases.json holds glibc's answers (recorded by fixtures/record-fnmatch.py in the C
// locale) for bracket classes, negation, ranges, backslash escapes and unterminated brackets.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { compileGlob } from '../../src/detect/condition/glob.ts';
import { formatProblem } from '../../src/detect/rules/load-problem.ts';
import { loadRulesTexts } from '../../src/detect/rules/load-rules.ts';

interface Recorded {
  values: string[];
  /** [pattern, one letter per value: b both match, g glob only, i iglob only, . neither] */
  cases: [string, string][];
}

const recorded = JSON.parse(
  readFileSync(new URL('fixtures/fnmatch-cases.json', import.meta.url), 'utf8'),
) as Recorded;

describe('glob and iglob, as glibc fnmatch', () => {
  it('answers every recorded pattern and value as glibc does', () => {
    const wrong: string[] = [];
    for (const [pattern, row] of recorded.cases) {
      assert.equal(row.length, recorded.values.length, pattern);
      let glob: (value: string) => boolean;
      let iglob: (value: string) => boolean;
      try {
        glob = compileGlob(pattern, false);
        iglob = compileGlob(pattern, true);
      } catch (error) {
        wrong.push(`${JSON.stringify(pattern)}: ${(error as Error).message}`);
        continue;
      }
      recorded.values.forEach((value, index) => {
        const expected = row[index];
        const got = glob(value) ? (iglob(value) ? 'b' : 'g') : iglob(value) ? 'i' : '.';
        if (got !== expected)
          wrong.push(`${JSON.stringify(pattern)} on ${JSON.stringify(value)}: glibc ${expected}, got ${got}`);
      });
    }
    assert.deepEqual(wrong, []);
  });

  it('loads a rule whose glob has a class range in reverse order (fnmatch matches nothing with it)', () => {
    const loaded = loadRulesTexts([
      {
        text: `- rule: Reversed
  desc: x
  condition: ka.uri glob "/api/[z-a]*"
  output: x
  priority: WARNING
  source: k8s_audit
`,
        file: 'reversed.yaml',
      },
    ]);
    assert.deepEqual(loaded.problems.map(formatProblem), []);
    assert.equal(loaded.ruleset.rules.length, 1);
  });
});
