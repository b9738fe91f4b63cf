import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { PostureFinding } from '../../src/core/finding.ts';
import { renderJson } from '../../src/outputs/json.ts';
import { basicReport, hostileReport } from './fixture.ts';
import { assertGolden } from './golden.ts';
import { describeErrors, reportValidator } from './schema-validator.ts';

const validate = reportValidator();

function assertValid(document: unknown): void {
  assert.ok(validate(document), describeErrors(validate.errors));
}

describe('JSON writer', () => {
  it('matches the golden files', () => {
    assertGolden('basic/report.json', renderJson(basicReport(), { showSuppressed: false, color: false }));
    assertGolden(
      'basic/report.show-suppressed.json',
      renderJson(basicReport(), { showSuppressed: true, color: false }),
    );
  });

  it('validates against docs/report.schema.json', () => {
    for (const report of [basicReport(), hostileReport()])
      for (const showSuppressed of [false, true])
        assertValid(JSON.parse(renderJson(report, { showSuppressed, color: false })));
  });

  it('the schema rejects what it should (so the validation above means something)', () => {
    const document = JSON.parse(renderJson(basicReport(), { showSuppressed: true, color: false }));
    assertValid(document);
    const broken = structuredClone(document);
    broken.findings[0].severity = 'severe';
    assert.equal(validate(broken), false);
    const extra = structuredClone(document);
    extra.findings[0].undocumented = true;
    assert.equal(validate(extra), false);
  });

  it('lists suppressed findings, with their suppression, only when asked; counts them always', () => {
    const report = basicReport();
    const hidden = JSON.parse(renderJson(report, { showSuppressed: false, color: false }));
    const shown = JSON.parse(renderJson(report, { showSuppressed: true, color: false }));
    assert.equal(hidden.findings.length, 4);
    assert.equal(shown.findings.length, 6);
    assert.ok(hidden.findings.every((finding: { suppressed?: unknown }) => finding.suppressed === undefined));
    assert.deepEqual(
      shown.findings
        .filter((finding: { suppressed?: unknown }) => finding.suppressed)
        .map((f: { suppressed: unknown }) => f.suppressed),
      [
        { by: 'annotation', reason: 'chowns a shared volume as root' },
        { by: 'config', reason: 'debug pods need host access (SEC-123)', expires: '2099-12-31' },
      ],
    );
    assert.equal(hidden.summary.suppressed, 2);
    assert.deepEqual(hidden.summary, shown.summary);
  });

  it('keeps the location type for non-file sources', () => {
    const report = basicReport();
    const finding: PostureFinding = {
      ...(report.findings[0] as PostureFinding),
      location: { type: 'cluster', context: 'prod', path: 'spec' },
    };
    const document = JSON.parse(
      renderJson({ ...report, findings: [finding] }, { showSuppressed: true, color: false }),
    );
    assert.deepEqual(document.findings[0].location, { type: 'cluster', context: 'prod', path: 'spec' });
    assertValid(document);
  });

  it('round-trips hostile strings exactly, a lone surrogate as U+FFFD (I-JSON)', () => {
    const report = hostileReport();
    const text = renderJson(report, { showSuppressed: false, color: false });
    assert.doesNotMatch(text, /\\ud[89a-f][0-9a-f]{2}/i);
    const document = JSON.parse(text);
    assert.equal(
      document.findings[0].container,
      (report.findings[0] as PostureFinding).container?.replace('\ud800', '\ufffd'),
    );
    assert.equal(document.findings[0].resource.name, 'x<y>&"z\'');
  });
});
