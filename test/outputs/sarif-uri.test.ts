// URIs in SARIF: artifact locations on POSIX vs Windows, and helpUri only from http(s) advisory references.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { artifactReport } from '../../src/core/report.ts';
import { toArtifactUri } from '../../src/outputs/artifact-uri.ts';
import { renderSarif } from '../../src/outputs/sarif.ts';
import { vulnerabilityFinding } from '../vuln/vulnerability-finding.ts';
import { describeErrors, sarifValidator } from './schema-validator.ts';

describe('SARIF URIs', () => {
  it('a relative path under a directory named `C:` is not a drive on POSIX; `:` in the first segment is encoded', () => {
    assert.equal(toArtifactUri('C:/w.yaml', 'linux'), 'C%3A/w.yaml');
    assert.equal(toArtifactUri('c:/x/y.yaml', 'darwin'), 'c%3A/x/y.yaml');
    assert.equal(toArtifactUri('C:/w.yaml', 'win32'), 'file:///C:/w.yaml');
    assert.equal(
      toArtifactUri('C:\\k8s\\x.yaml', 'linux'),
      'file:///C:/k8s/x.yaml',
      'a Windows path written so',
    );
    assert.equal(toArtifactUri('C:\\k8s\\x.yaml', 'win32'), 'file:///C:/k8s/x.yaml');
    // A UNC path keeps its host (RFC 8089 Appendix E.3); on POSIX the same text is a relative name.
    assert.equal(toArtifactUri('\\\\server\\share\\x.yaml', 'win32'), 'file://server/share/x.yaml');
    assert.equal(toArtifactUri('a\\b.yaml', 'linux'), 'a%5Cb.yaml');
    assert.equal(
      toArtifactUri('a\ud800.yaml', 'linux'),
      'a%EF%BF%BD.yaml',
      'a lone surrogate does not throw',
    );
  });

  it('helpUri is only an http(s) URL from the advisory references, else omitted', () => {
    const report = artifactReport({
      toolVersion: '0.0.0-test',
      startedAt: '2026-11-22T12:00:00.000Z',
      inputs: ['dir'],
      packages: 1,
      findings: [
        vulnerabilityFinding('GHSA-js', ['javascript:alert(1)']),
        vulnerabilityFinding('GHSA-data', ['data:text/html,<script>alert(1)</script>']),
        vulnerabilityFinding('GHSA-junk', ['https://exa mple.com/']),
        vulnerabilityFinding('GHSA-ok', ['https://example.com/a b']),
        vulnerabilityFinding('GHSA-none', []),
      ],
    });
    const sarif = JSON.parse(renderSarif(report, { showSuppressed: false, color: false }));
    const validate = sarifValidator();
    assert.equal(validate(sarif), true, describeErrors(validate.errors));
    const rules = new Map(
      sarif.runs[0].tool.driver.rules.map((rule: { id: string; helpUri?: string }) => [
        rule.id,
        rule.helpUri,
      ]),
    );
    assert.equal(rules.get('GHSA-js'), undefined);
    assert.equal(rules.get('GHSA-data'), undefined);
    assert.equal(rules.get('GHSA-junk'), undefined);
    assert.equal(rules.get('GHSA-ok'), 'https://example.com/a%20b');
    assert.equal(rules.get('GHSA-none'), undefined);
  });
});
