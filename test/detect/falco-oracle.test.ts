// Acceptance against Falco's own k8s_audit tests: each trace raises exactly the alerts (rule and count) Falco
// raises, with Falco's rules files loaded unchanged. falco_rules.yaml (syscall rules) is not in the set and
// not needed for k8s_audit events.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { parseAuditText } from '../../src/detect/audit-event.ts';
import { DetectionEngine } from '../../src/detect/engine.ts';
import { priorityLabel } from '../../src/detect/priority.ts';
import { formatProblem } from '../../src/detect/rules/load-problem.ts';
import { loadRulesTexts } from '../../src/detect/rules/load-rules.ts';
import { sharedPath, skipWithoutShared } from '../shared-corpus.ts';

const skip = skipWithoutShared('corpus', 'falco', 'expected.json');

interface FalcoTest {
  test: string;
  trace_file: string;
  detect: boolean;
  detect_level: string | null;
  detect_counts: Record<string, number>;
  rules_file: string[];
  other: { stderr_contains?: string };
}

function rulesPath(entry: string): string | undefined {
  if (entry.endsWith('/falco_rules.yaml')) return undefined;
  if (entry.startsWith('BUILD_DIR/'))
    return sharedPath('corpus', 'falco', 'plugins-rules', 'k8s_audit_rules.at-cced3065a47c.yaml');
  return sharedPath('corpus', 'falco', 'test', entry.replace(/^\.\//, ''));
}

const FALCO_LEVELS: Record<string, string> = {
  WARNING: 'Warning',
  NOTICE: 'Notice',
  INFO: 'Informational',
  ERROR: 'Error',
  CRITICAL: 'Critical',
  DEBUG: 'Debug',
};

describe('Falco k8s_audit oracle', { skip }, () => {
  const tests: FalcoTest[] = skip
    ? []
    : JSON.parse(readFileSync(sharedPath('corpus', 'falco', 'expected.json'), 'utf8')).tests;
  for (const test of tests) {
    it(`${test.test} (${test.trace_file.split('/').pop()})`, () => {
      const files = test.rules_file.map(rulesPath).filter((path): path is string => path !== undefined);
      const loaded = loadRulesTexts(files.map((file) => ({ text: readFileSync(file, 'utf8'), file })));
      const errors = loaded.problems.filter((problem) => problem.severity === 'error');
      assert.deepEqual(errors.map(formatProblem), []);
      const parsed = parseAuditText(
        readFileSync(sharedPath('corpus', 'falco', test.trace_file), 'utf8'),
        test.trace_file,
      );
      if (test.other.stderr_contains !== undefined) {
        assert.equal(parsed.events.length, 0);
        assert.match(parsed.issues[0]?.message ?? '', /not a Kubernetes audit event/);
      }
      const engine = new DetectionEngine({ rulesets: [loaded.ruleset] });
      const counts: Record<string, number> = {};
      const levels = new Set<string>();
      for (const event of parsed.events) {
        for (const alert of engine.process(event)) {
          counts[alert.rule] = (counts[alert.rule] ?? 0) + 1;
          levels.add(alert.priority);
        }
      }
      assert.deepEqual(counts, test.detect_counts);
      assert.equal(Object.keys(counts).length > 0, test.detect);
      if (test.detect && test.detect_level !== null)
        assert.deepEqual([...levels], [FALCO_LEVELS[test.detect_level]]);
      assert.equal(engine.stats.ruleErrors, 0);
    });
  }

  it('loads both shipped versions of k8s_audit_rules.yaml without problems', () => {
    for (const name of ['k8s_audit_rules.at-cced3065a47c.yaml', 'k8s_audit_rules.HEAD-0b3cbd8d84eb.yaml']) {
      const path = sharedPath('corpus', 'falco', 'plugins-rules', name);
      const loaded = loadRulesTexts([{ text: readFileSync(path, 'utf8'), file: name }]);
      assert.deepEqual(loaded.problems.map(formatProblem), []);
      assert.ok(loaded.ruleset.rules.length >= 40, `${name}: ${loaded.ruleset.rules.length} rules`);
      assert.ok(loaded.ruleset.rules.every((rule) => priorityLabel(rule.priority) !== ''));
    }
  });
});
