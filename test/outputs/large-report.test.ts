// Reports far larger than the fixtures: the table must not spread huge arrays into arguments (a RangeError past
// about 120,000 rows), and JSON must be producible in pieces, since a report of 80,000 pods is larger than one
// string can be.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { LoadIssue } from '../../src/core/errors.ts';
import type { ScanReport } from '../../src/core/report.ts';
import { renderJson, renderJsonChunks } from '../../src/outputs/json.ts';
import { renderTable } from '../../src/outputs/table.ts';
import { basicReport, hostileReport } from './fixture.ts';

const PLAIN = { showSuppressed: false, color: false };
const ROWS = 250_000;

/** The fixture's findings and load issues repeated: the same objects, so memory stays small. */
function hugeReport(): ScanReport {
  const report = basicReport();
  const findings = report.findings.filter((finding) => !finding.suppressed);
  const issue: LoadIssue = {
    severity: 'warning',
    code: 'not-kubernetes',
    message: 'm',
    file: 'f',
    line: 1,
    column: 1,
  };
  return {
    ...report,
    findings: Array.from({ length: ROWS }, (_, index) => findings[index % findings.length]!),
    loadIssues: Array.from({ length: ROWS }, () => issue),
    notices: Array.from({ length: ROWS }, () => ({ severity: 'info' as const, message: 'n' })),
  };
}

describe('large reports', () => {
  it('the table is written for hundreds of thousands of findings, issues and notices', () => {
    const text = renderTable(hugeReport(), PLAIN);
    assert.equal(
      text.split('\n').filter((line) => line.startsWith('  WARNING   not-kubernetes')).length,
      ROWS,
    );
  });

  it('JSON in pieces is the same text as in one string, each piece bounded', () => {
    for (const report of [basicReport(), hostileReport(), { ...basicReport(), findings: [], loadIssues: [] }])
      for (const showSuppressed of [false, true]) {
        const options = { showSuppressed, color: false };
        assert.equal([...renderJsonChunks(report, options)].join(''), renderJson(report, options));
      }
    const report = hugeReport();
    let pieces = 0;
    let findings = 0;
    for (const piece of renderJsonChunks(report, PLAIN)) {
      pieces++;
      assert.ok(piece.length < 4 * 1024 * 1024, `a piece of ${piece.length} characters`);
      findings += piece.split('"remediation"').length - 1;
    }
    assert.ok(pieces > 10);
    assert.equal(findings, ROWS);
  });
});
