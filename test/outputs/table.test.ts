// biome-ignore-all lint/suspicious/noControlCharactersInRegex: these regexes exist to find control characters
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ScanReport } from '../../src/core/report.ts';
import { renderTable, summaryLine } from '../../src/outputs/table.ts';
import { basicReport, hostileReport } from './fixture.ts';
import { assertGolden } from './golden.ts';

const PLAIN = { showSuppressed: false, color: false };
const SGR = /\u001b\[[0-9;]*m/g;

describe('table writer', () => {
  it('matches the golden file', () => {
    assertGolden('basic/report.txt', renderTable(basicReport(), PLAIN));
  });

  it('shows suppressed findings, marked with their reason, only when asked', () => {
    const report = basicReport();
    const hidden = renderTable(report, PLAIN);
    const shown = renderTable(report, { showSuppressed: true, color: false });
    assertGolden('basic/report.show-suppressed.txt', shown);
    assert.doesNotMatch(hidden, /suppressed by/);
    assert.match(shown, /\[suppressed by annotation: chowns a shared volume as root\]/);
    assert.match(
      shown,
      /\[suppressed by config, until 2099-12-31: debug pods need host access \(SEC-123\)\]/,
    );
    // The summary counts suppressed findings either way.
    assert.equal(lastLine(hidden), lastLine(shown));
    assert.match(lastLine(hidden), /, 2 suppressed, /);
  });

  it('colours by severity only when asked, and colour changes nothing else', () => {
    const report = basicReport();
    const plain = renderTable(report, PLAIN);
    const coloured = renderTable(report, { showSuppressed: false, color: true });
    assert.doesNotMatch(plain, /\u001b/);
    assert.match(coloured, /\u001b\[1;31mCRITICAL/);
    assert.match(coloured, /\u001b\[31mHIGH/);
    assert.equal(coloured.replace(SGR, ''), plain);
  });

  it('never lets control characters from user strings reach the terminal', () => {
    const report = hostileReport();
    for (const color of [false, true]) {
      const out = renderTable(report, { showSuppressed: true, color });
      const withoutOwnColour = out.replace(SGR, '');
      // Only newlines of our own layout remain.
      assert.doesNotMatch(withoutOwnColour, /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202e]/);
      assert.ok(
        withoutOwnColour.includes('red\\x1b[31mALERT\\x1b[0m\\x07\\r\\nFAKE LINE\\u202egnp.exe\\x00'),
      );
      assert.ok(withoutOwnColour.includes('unexpected "\\x1b]0;pwned\\x07"'));
    }
    assertGolden('hostile/report.txt', renderTable(report, PLAIN));
  });

  it('writes one line per finding', () => {
    const out = renderTable(basicReport(), PLAIN);
    const findingLines = out.split('\n').filter((line) => /^ {2}(CRITICAL|HIGH|MEDIUM|LOW|INFO) /.test(line));
    assert.equal(findingLines.length, basicReport().summary.findings);
  });

  it('says "No findings" when there are none', () => {
    const report: ScanReport = {
      ...basicReport(),
      findings: [],
      errors: [],
      loadIssues: [],
      notices: [],
      expiredExceptions: [],
    };
    const summary = { ...report.summary, findings: 0, suppressed: 0, errors: 0, skippedDocuments: 0 };
    assert.equal(
      renderTable({ ...report, summary: { ...summary, objectsEvaluated: 5 } }, PLAIN),
      'No findings in 5 objects from 1 input\n',
    );
    // An object no rule looks at is said, so that "no findings" does not hide it.
    assert.equal(summaryLine(summary, 1), 'No findings in 5 objects from 1 input; 1 not checked by any rule');
    assert.equal(
      summaryLine({ ...summary, suppressed: 3 }, 2),
      'No findings, 3 suppressed, in 5 objects from 2 inputs; 1 not checked by any rule',
    );
  });
});

function lastLine(text: string): string {
  return text.trimEnd().split('\n').at(-1) ?? '';
}
