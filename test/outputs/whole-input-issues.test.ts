// Issues about a whole input (a file that cannot be read) have no position; every format must still be valid.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runPalisade } from '../cli/cli-harness.ts';
import { describeErrors, reportValidator, sarifValidator } from './schema-validator.ts';

test('a missing input gives valid SARIF and JSON', async () => {
  const sarif = await runPalisade(['scan', 'no/such/file.yaml', '--format', 'sarif', '--no-config']);
  assert.equal(sarif.code, 3);
  const validateSarif = sarifValidator();
  assert.ok(validateSarif(JSON.parse(sarif.stdout)), describeErrors(validateSarif.errors));
  const json = await runPalisade(['scan', 'no/such/file.yaml', '--format', 'json', '--no-config']);
  const validateJson = reportValidator();
  const report = JSON.parse(json.stdout) as { loadIssues: { line: number }[] };
  assert.ok(validateJson(report), describeErrors(validateJson.errors));
  assert.equal(report.loadIssues[0]?.line, 0);
});
