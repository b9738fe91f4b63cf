// Robustness and precision on real manifests written by others: every object loads, no rule throws, every finding
// has a line.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { runPalisade } from '../cli/cli-harness.ts';
import { sharedPath, skipWithoutShared } from '../shared-corpus.ts';

const realworld = sharedPath('corpus', 'realworld-manifests');

test('the real-world corpus scans completely', { skip: skipWithoutShared('corpus', 'realworld-manifests') }, async () => {
  const run = await runPalisade(['scan', realworld, '--format', 'json', '--no-config', '--fail-on', 'none']);
  const report = JSON.parse(run.stdout);
  const expectedObjects = (await readFile(join(realworld, 'objects.tsv'), 'utf8')).trim().split('\n').length - 1;
  assert.equal(report.errors.length, 0, JSON.stringify(report.errors.slice(0, 3)));
  assert.equal(report.summary.objects, expectedObjects);
  for (const finding of report.findings) {
    assert.equal(finding.location.type ?? 'file', 'file');
    assert.ok(finding.location.line >= 1, `${finding.ruleId} ${finding.location.file} has no line`);
  }
  // Every file of the corpus is a plain manifest: nothing in it may fail to load.
  const errors = report.loadIssues.filter((issue: { severity: string }) => issue.severity === 'error');
  assert.deepEqual(errors, []);
  assert.equal(run.code, 0);
});

test('rendered Helm output piped through stdin gives the same findings as the file', {
  skip: skipWithoutShared('corpus', 'helm-kustomize'),
}, async () => {
  const file = sharedPath('corpus', 'helm-kustomize', 'argo-cd-redis-ha', 'chart', 'upstream.yaml');
  const fromFile = JSON.parse((await runPalisade(['scan', file, '--format', 'json', '--no-config'])).stdout);
  const fromStdin = JSON.parse(
    (await runPalisade(['scan', '-', '--format', 'json', '--no-config'], { stdin: await readFile(file, 'utf8') })).stdout,
  );
  const strip = (findings: { location: { file: string } }[]) =>
    findings.map((finding) => ({ ...finding, location: { ...finding.location, file: '' } }));
  assert.ok(fromFile.findings.length > 0);
  assert.deepEqual(strip(fromStdin.findings), strip(fromFile.findings));
});
