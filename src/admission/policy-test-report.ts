// `palisade test` output: a table for people, JUnit XML for CI.
import { terminalSafe } from '../outputs/terminal-text.ts';
import { escapeXmlAttribute, escapeXmlText } from '../outputs/xml-text.ts';
import type { TestCaseResult } from './policy-test-runner.ts';

/** Names, resources and details come from test files and manifests: escaped, they cannot drive the terminal. */
export function renderTestTable(results: readonly TestCaseResult[]): string {
  const header = ['RESULT', 'TEST', 'RULE', 'RESOURCE', 'EXPECTED', 'ACTUAL'];
  const rows = results.map((result) =>
    [
      result.passed ? 'ok' : 'MISMATCH',
      result.test,
      result.rule,
      result.resource,
      result.expected,
      result.actual,
    ].map(terminalSafe),
  );
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => (row[column] ?? '').length)),
  );
  const line = (cells: string[]) =>
    cells
      .map((cell, column) => cell.padEnd(widths[column] ?? 0))
      .join('  ')
      .trimEnd();
  let out = `${line(header)}\n`;
  for (const [index, row] of rows.entries()) {
    out += `${line(row)}\n`;
    const result = results[index];
    if (result && !result.passed && result.detail) out += `    ${terminalSafe(result.detail)}\n`;
  }
  const failed = results.filter((result) => !result.passed).length;
  out += `\n${results.length - failed} of ${results.length} checks passed${failed > 0 ? `, ${failed} mismatched` : ''}\n`;
  return out;
}

export function renderTestJunit(results: readonly TestCaseResult[]): string {
  const suites = new Map<string, TestCaseResult[]>();
  for (const result of results) {
    const list = suites.get(result.file) ?? [];
    list.push(result);
    suites.set(result.file, list);
  }
  const failures = results.filter((result) => !result.passed).length;
  let out = '<?xml version="1.0" encoding="UTF-8"?>\n';
  out += `<testsuites name="palisade test" tests="${results.length}" failures="${failures}">\n`;
  for (const [file, cases] of suites) {
    const failed = cases.filter((result) => !result.passed).length;
    const name = cases[0]?.test ?? file;
    out += `  <testsuite name="${escapeXmlAttribute(name)}" file="${escapeXmlAttribute(file)}" tests="${cases.length}" failures="${failed}">\n`;
    for (const result of cases) {
      const caseName = `${result.rule} ${result.resource} expects ${result.expected}`;
      out += `    <testcase classname="${escapeXmlAttribute(name)}" name="${escapeXmlAttribute(caseName)}"`;
      if (result.passed) out += '/>\n';
      else {
        const message = `expected ${result.expected}, got ${result.actual}`;
        out += `>\n      <failure message="${escapeXmlAttribute(message)}">${escapeXmlText(result.detail ?? message)}</failure>\n    </testcase>\n`;
      }
    }
    out += '  </testsuite>\n';
  }
  out += '</testsuites>\n';
  return out;
}
