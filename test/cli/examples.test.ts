// The bundled examples do what README.md says: the shop has findings (and one documented exception), the hardened
// version of it has none.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runPalisade } from './cli-harness.ts';

test('examples/shop has findings at or above its configured failOn, and its exception applies', async () => {
  const run = await runPalisade(['scan', 'examples/shop', '--format', 'json']);
  const report = JSON.parse(run.stdout);
  assert.equal(run.code, 1);
  assert.ok(report.findings.some((finding: { ruleId: string }) => finding.ruleId === 'privileged-container'));
  assert.equal(report.summary.suppressed, 1);
  assert.ok(!run.stdout.includes('s3cr3t'), 'the literal password never reaches the report');
});

test('examples/hardened scans clean', async () => {
  const run = await runPalisade(['scan', 'examples/hardened']);
  assert.equal(run.code, 0, run.stdout);
  assert.match(run.stdout, /No findings in 4 objects/);
});
