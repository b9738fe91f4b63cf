import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Finding } from '../../src/core/finding.ts';
import { toArtifactUri } from '../../src/outputs/artifact-uri.ts';
import { renderSarif } from '../../src/outputs/sarif.ts';
import { basicReport, hostileReport } from './fixture.ts';
import { assertGolden } from './golden.ts';
import { describeErrors, sarifValidator } from './schema-validator.ts';

const validate = sarifValidator();

// biome-ignore lint/suspicious/noExplicitAny: SARIF documents are inspected loosely in assertions
type Sarif = any;

function render(showSuppressed: boolean, report = basicReport()): Sarif {
  return JSON.parse(renderSarif(report, { showSuppressed, color: false }));
}

describe('SARIF writer', () => {
  it('matches the golden files', () => {
    assertGolden('basic/report.sarif', renderSarif(basicReport(), { showSuppressed: false, color: false }));
    assertGolden(
      'basic/report.show-suppressed.sarif',
      renderSarif(basicReport(), { showSuppressed: true, color: false }),
    );
  });

  it('validates against the official SARIF 2.1.0 schema', () => {
    for (const report of [basicReport(), hostileReport()])
      for (const showSuppressed of [false, true]) {
        const document = render(showSuppressed, report);
        assert.ok(validate(document), describeErrors(validate.errors));
      }
  });

  it('the schema rejects what it should (so the validation above means something)', () => {
    const badLevel = render(true);
    badLevel.runs[0].results[0].level = 'fatal';
    assert.equal(validate(badLevel), false);
    const badUri = render(true);
    badUri.runs[0].results[0].locations[0].physicalLocation.artifactLocation.uri = 'deploy/my app.yaml';
    assert.equal(validate(badUri), false, 'formats are checked');
  });

  it('describes every rule that ran, from its metadata', () => {
    const run = render(false).runs[0];
    const rules = run.tool.driver.rules;
    assert.deepEqual(
      rules.map((rule: Sarif) => rule.id),
      ['privileged-container', 'run-as-non-root', 'latest-image-tag', 'cluster-admin-binding', 'host-pid'],
    );
    const privileged = rules[0];
    assert.equal(privileged.name, 'PrivilegedContainer');
    assert.equal(privileged.shortDescription.text, 'Privileged container');
    assert.equal(privileged.defaultConfiguration.level, 'error');
    assert.equal(privileged.properties['security-severity'], '8.0');
    assert.deepEqual(privileged.properties.tags, ['security', 'pss-baseline:privileged', 'cis-k8s:5.2.2']);
    assert.equal(
      privileged.helpUri,
      'https://kubernetes.io/docs/concepts/security/pod-security-standards/#baseline',
    );
    assert.equal(rules[1].helpUri, undefined, 'no helpUri without references');
    assert.deepEqual(rules[2].deprecatedIds, ['image-tag-latest']);
    for (const result of run.results) assert.equal(rules[result.ruleIndex].id, result.ruleId);
  });

  it('maps severities to levels', () => {
    const levels = Object.fromEntries(
      render(false).runs[0].results.map((result: Sarif) => [result.properties.severity, result.level]),
    );
    assert.deepEqual(levels, { critical: 'error', high: 'error', medium: 'warning', low: 'note' });
  });

  it('marks suppressions external (config) or inSource (annotation), shown only when asked', () => {
    assert.ok(render(false).runs[0].results.every((result: Sarif) => result.suppressions === undefined));
    const suppressions = render(true)
      .runs[0].results.filter((result: Sarif) => result.suppressions)
      .map((result: Sarif) => result.suppressions[0]);
    assert.deepEqual(suppressions, [
      { kind: 'inSource', status: 'accepted', justification: 'chowns a shared volume as root' },
      {
        kind: 'external',
        status: 'accepted',
        justification: 'debug pods need host access (SEC-123)',
        properties: { expires: '2099-12-31' },
      },
    ]);
  });

  it('fingerprints do not move with lines, and differ between findings', () => {
    const report = basicReport();
    const moved = {
      ...report,
      findings: report.findings.map(
        (finding): Finding =>
          finding.source === 'posture' && finding.location.type === 'file'
            ? { ...finding, location: { ...finding.location, line: finding.location.line + 10 } }
            : finding,
      ),
    };
    const prints = (document: Sarif): string[] =>
      document.runs[0].results.map((result: Sarif) => result.partialFingerprints['palisade/v2']);
    const before = prints(render(true, report));
    assert.deepEqual(prints(render(true, moved)), before);
    assert.equal(new Set(before).size, before.length);
  });

  it('a finding on a live cluster object still has an artifact URI, which code scanning requires', () => {
    const report = basicReport();
    const findings = report.findings.map(
      (finding): Finding =>
        finding.source === 'posture'
          ? { ...finding, location: { type: 'cluster', context: 'prod', path: finding.location.path } }
          : finding,
    );
    const document = render(true, { ...report, findings });
    assert.equal(validate(document), true, describeErrors(validate.errors));
    const uris = document.runs[0].results.map(
      (result: Sarif) => result.locations[0].physicalLocation.artifactLocation,
    );
    assert.deepEqual(uris[0], { uri: 'palisade-cluster/prod/ClusterRoleBinding/ops-admin' });
    assert.ok(uris.every((uri: Sarif) => typeof uri.uri === 'string' && uri.uriBaseId === undefined));
  });

  it('findings a rule tells apart with a facet keep their fingerprints when one of them is fixed', () => {
    const report = basicReport();
    const first = report.findings.find((finding) => finding.source === 'posture');
    assert.ok(first?.source === 'posture');
    const quota: Finding = {
      ...first,
      message: 'namespace shop has no ResourceQuota',
      facet: 'ResourceQuota',
    };
    const limits: Finding = { ...first, message: 'namespace shop has no LimitRange', facet: 'LimitRange' };
    const printOf = (findings: Finding[], message: string): string =>
      render(true, { ...report, findings }).runs[0].results.find(
        (result: Sarif) => result.message.text === message,
      ).partialFingerprints['palisade/v2'];
    const both = [printOf([quota, limits], quota.message), printOf([quota, limits], limits.message)];
    assert.notEqual(both[0], both[1]);
    // The LimitRange is added: the quota finding is the same alert as before.
    assert.equal(printOf([quota], quota.message), both[0]);
  });

  it('the same object in two files (a base and an overlay) is two alerts, not one', () => {
    const report = basicReport();
    const first = report.findings.find(
      (finding) => finding.source === 'posture' && finding.location.type === 'file',
    );
    assert.ok(first?.source === 'posture' && first.location.type === 'file');
    const copy: Finding = { ...first, location: { ...first.location, file: 'overlays/prod/web.yaml' } };
    const prints = (document: Sarif): string[] =>
      document.runs[0].results.map((result: Sarif) => result.partialFingerprints['palisade/v2']);
    const both = prints(render(true, { ...report, findings: [...report.findings, copy] }));
    assert.equal(new Set(both).size, both.length);
  });

  it('two findings of one rule at one place get fingerprints of their own, the rest keep theirs', () => {
    const report = basicReport();
    const first = report.findings.find((finding) => finding.source === 'posture') as Finding;
    const twin: Finding = { ...first, message: `${first.message} (a second problem at the same place)` };
    const prints = (document: Sarif): string[] =>
      document.runs[0].results.map((result: Sarif) => result.partialFingerprints['palisade/v2']);
    const alone = prints(render(true, report));
    const withTwin = prints(render(true, { ...report, findings: [...report.findings, twin] }));
    assert.equal(new Set(withTwin).size, withTwin.length);
    // Findings that collide with nothing are fingerprinted as before: all but the first's print remain.
    const kept = alone.filter((print) => withTwin.includes(print));
    assert.equal(kept.length, alone.length - 1);
  });

  it('reports load and rule errors as execution notifications', () => {
    const invocation = render(false).runs[0].invocations[0];
    assert.equal(invocation.executionSuccessful, false);
    const notifications = invocation.toolExecutionNotifications;
    assert.deepEqual(
      notifications.map((n: Sarif) => [
        n.descriptor.id,
        n.level,
        n.locations[0].physicalLocation.artifactLocation.uri,
      ]),
      [
        ['yaml-syntax', 'error', 'deploy/broken.yaml'],
        ['not-kubernetes', 'warning', 'deploy/web.yaml'],
        ['rule-error', 'error', 'deploy/jobs.yaml'],
      ],
    );
    assert.deepEqual(notifications[2].associatedRule, { id: 'latest-image-tag', index: 2 });
    const base = basicReport();
    const clean = render(false, {
      ...base,
      errors: [],
      loadIssues: [],
      summary: { ...base.summary, errors: 0 },
    });
    assert.equal(clean.runs[0].invocations[0].executionSuccessful, true);
  });

  it("files a cluster's load issues under its palisade-cluster reference, with no base (it is no repository file)", () => {
    const base = basicReport();
    const notification = (file: string, line: number) =>
      render(false, {
        ...base,
        errors: [],
        loadIssues: [
          { severity: 'error', code: 'not-scanned', message: 'Secret not scanned', file, line, column: 0 },
        ],
      }).runs[0].invocations[0].toolExecutionNotifications[0].locations[0].physicalLocation.artifactLocation;
    assert.deepEqual(notification('cluster:kind-dev', 0), { uri: 'palisade-cluster/kind-dev' });
    // A file of that name with a position is a file.
    assert.deepEqual(notification('cluster:kind-dev', 3), {
      uri: 'cluster%3Akind-dev',
      uriBaseId: '%SRCROOT%',
    });
  });

  it('writes artifact URIs as relative, percent-encoded references with forward slashes', () => {
    assert.equal(toArtifactUri('deploy/my app/debug pod.yaml'), 'deploy/my%20app/debug%20pod.yaml');
    assert.equal(toArtifactUri('./k8s/a#1?.yaml'), 'k8s/a%231%3F.yaml');
    // A backslash separates on Windows only; on POSIX it is a character of the name (RFC 3986: %5C).
    assert.equal(toArtifactUri('k8s\\win\\x.yaml', 'win32'), 'k8s/win/x.yaml');
    assert.equal(toArtifactUri('k8s\\win\\x.yaml', 'linux'), 'k8s%5Cwin%5Cx.yaml');
    assert.equal(toArtifactUri('a:b/c.yaml'), 'a%3Ab/c.yaml');
    assert.equal(toArtifactUri('/abs/pa th.yaml'), 'file:///abs/pa%20th.yaml');
    assert.equal(toArtifactUri('C:\\k8s\\x.yaml'), 'file:///C:/k8s/x.yaml');
    assert.equal(toArtifactUri('../up/é.yaml'), '../up/%C3%A9.yaml');
  });

  it('gives the resource as a logical location', () => {
    const result = render(false).runs[0].results[0];
    assert.deepEqual(result.locations[0].logicalLocations, [
      { name: 'ops-admin', fullyQualifiedName: 'ClusterRoleBinding/ops-admin', kind: 'object' },
    ]);
    assert.deepEqual(result.locations[0].physicalLocation.region, { startLine: 9, startColumn: 9 });
  });
});
