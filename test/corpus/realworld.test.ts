// Robustness and precision on real manifests written by others: every object loads, no rule throws, every finding
// has a line.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { test } from 'node:test';
import { runPalisade } from '../cli/cli-harness.ts';
import { sharedPath, skipWithoutShared } from '../shared-corpus.ts';

const realworld = sharedPath('corpus', 'realworld-manifests');

test('the real-world corpus scans: every object loads, no rule throws, every problem has a line', {
  skip: skipWithoutShared('corpus', 'realworld-manifests'),
}, async () => {
  const run = await runPalisade(['scan', realworld, '--format', 'json', '--no-config', '--fail-on', 'none']);
  const report = JSON.parse(run.stdout);
  assert.equal(report.errors.length, 0, JSON.stringify(report.errors.slice(0, 3)));
  for (const finding of report.findings)
    assert.ok(finding.location.line >= 1, `${finding.ruleId} ${finding.location.file} has no line`);
  for (const issue of report.loadIssues)
    assert.ok(issue.line >= 1, `${issue.code} in ${issue.file} has no line`);

  // Every object listed in objects.tsv is scanned, except those of documents that are not valid YAML.
  const rows = (await readFile(join(realworld, 'objects.tsv'), 'utf8')).trim().split('\n').slice(1);
  const invalidYaml = new Set(
    report.loadIssues
      .filter(
        (issue: { code: string; severity: string }) =>
          issue.code === 'yaml-syntax' && issue.severity === 'error',
      )
      .map((issue: { file: string }) => relative(realworld, issue.file)),
  );
  const loadable = rows.filter((row) => !invalidYaml.has(row.split('\t')[0] as string)).length;
  assert.ok(
    report.summary.objects >= loadable,
    `${report.summary.objects} objects scanned, ${loadable} expected`,
  );
  assert.ok(invalidYaml.size <= 1, `unexpected YAML errors in ${[...invalidYaml].join(', ')}`);

  // Inputs the API server would refuse make the scan exit 3, after reporting everything else.
  const errors = report.loadIssues.filter((issue: { severity: string }) => issue.severity === 'error');
  assert.equal(run.code, errors.length > 0 ? 3 : 0);
});

test('rendered Helm output piped through stdin gives the same findings as the file', {
  skip: skipWithoutShared('corpus', 'helm-kustomize'),
}, async () => {
  const file = sharedPath('corpus', 'helm-kustomize', 'argo-cd-redis-ha', 'chart', 'upstream.yaml');
  const fromFile = JSON.parse((await runPalisade(['scan', file, '--format', 'json', '--no-config'])).stdout);
  const fromStdin = JSON.parse(
    (
      await runPalisade(['scan', '-', '--format', 'json', '--no-config'], {
        stdin: await readFile(file, 'utf8'),
      })
    ).stdout,
  );
  const strip = (findings: { location: { file: string } }[]) =>
    findings.map((finding) => ({ ...finding, location: { ...finding.location, file: '' } }));
  assert.ok(fromFile.findings.length > 0);
  assert.deepEqual(strip(fromStdin.findings), strip(fromFile.findings));
});
