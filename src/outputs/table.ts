// Human-readable output: findings grouped by resource, then load issues, rule errors, notices, expired
// exceptions and a one-line summary. One finding per line, nothing wrapped, so `grep` works on it.
import type { Finding, Suppression } from '../core/finding.ts';
import { compareLocations, compareText } from '../core/finding-order.ts';
import type { ObjectRef } from '../core/kube-object.ts';
import type { OutputOptions, ScanReport, ScanSummary } from '../core/report.ts';
import type { Severity } from '../core/severity.ts';
import { describeExpiredException } from './expired-exception-text.ts';
import { visibleFindings } from './finding-order.ts';
import { formatLocation } from './location-text.ts';
import { terminalSafe } from './terminal-text.ts';

type Level = Severity | 'error' | 'warning' | 'suppressed';

const SGR: Record<Level | 'heading', string> = {
  critical: '1;31',
  high: '31',
  medium: '33',
  low: '36',
  info: '2',
  error: '31',
  warning: '33',
  suppressed: '2',
  heading: '1',
};

/** Wide enough for the longest label (`CRITICAL`, `WARNING`). */
const LABEL_WIDTH = 8;

type Painter = (style: keyof typeof SGR, text: string) => string;

function painter(color: boolean): Painter {
  return color ? (style, text) => `\u001b[${SGR[style]}m${text}\u001b[0m` : (_style, text) => text;
}

interface ResourceGroup {
  resource: ObjectRef;
  findings: Finding[];
}

export function renderTable(report: ScanReport, options: OutputOptions): string {
  const paint = painter(options.color);
  const label = (level: Level, text: string = level.toUpperCase()): string =>
    paint(level, text.padEnd(LABEL_WIDTH));
  const out: string[] = [];
  const section = (title: string, lines: string[]): void => {
    if (lines.length === 0) return;
    if (out.length > 0) out.push('');
    out.push(paint('heading', title), ...lines);
  };

  const findings = visibleFindings(report, options);
  const ruleWidth = Math.max(0, ...findings.map((finding) => safe(finding.ruleId).length));
  for (const group of groupByResource(findings)) {
    if (out.length > 0) out.push('');
    out.push(paint('heading', `${describeResource(group.resource)}  ${safe(groupLocation(group))}`));
    for (const finding of group.findings) {
      const fields = [
        finding.suppressed ? label('suppressed', finding.severity.toUpperCase()) : label(finding.severity),
        safe(finding.ruleId).padEnd(ruleWidth),
        safe(finding.message),
      ];
      if (finding.container !== undefined) fields.push(`container=${safe(finding.container)}`);
      fields.push(safe(formatLocation(finding.location)));
      if (finding.suppressed) fields.push(paint('suppressed', describeSuppression(finding.suppressed)));
      out.push(`  ${fields.join('  ')}`);
    }
  }

  const codeWidth = Math.max(0, ...report.loadIssues.map((issue) => issue.code.length));
  section(
    'Load issues:',
    [...report.loadIssues]
      .sort((a, b) => compareText(a.file, b.file) || a.line - b.line || a.column - b.column)
      .map(
        (issue) =>
          `  ${label(issue.severity)}  ${safe(issue.code).padEnd(codeWidth)}  ${safe(issue.message)}  ${safe(`${issue.file}:${issue.line}:${issue.column}`)}`,
      ),
  );
  section(
    'Rule errors:',
    [...report.errors]
      .sort((a, b) => compareLocations(a.location, b.location) || compareText(a.ruleId, b.ruleId))
      .map(
        (error) =>
          `  ${label('error')}  ${safe(error.ruleId)}  ${safe(error.message)}  ${safe(formatLocation(error.location))}`,
      ),
  );
  section(
    'Notices:',
    report.notices.map((notice) => {
      const where = notice.location ? `  ${safe(formatLocation(notice.location))}` : '';
      return `  ${label(notice.severity)}  ${safe(notice.message)}${where}`;
    }),
  );
  section(
    'Expired exceptions:',
    report.expiredExceptions.map(
      (exception) =>
        `  ${label('warning')}  ${safe(describeExpiredException(exception))}  ${safe(exception.origin)}`,
    ),
  );

  if (out.length > 0) out.push('');
  out.push(paint('heading', summaryLine(report.summary, report.inputs.length)));
  return `${out.join('\n')}\n`;
}

/** Findings of one object in one place; groups keep the order of their first finding. */
function groupByResource(findings: readonly Finding[]): ResourceGroup[] {
  const groups = new Map<string, ResourceGroup>();
  for (const finding of findings) {
    const { resource, location } = finding;
    const where = location.type === 'file' ? location.file : formatLocation({ ...location, path: '' });
    const key = [where, resource.apiVersion, resource.kind, resource.namespace ?? '', resource.name].join(
      '\u0000',
    );
    const group = groups.get(key);
    if (group) group.findings.push(finding);
    else groups.set(key, { resource, findings: [finding] });
  }
  return [...groups.values()];
}

/** `Kind namespace/name`, or `Kind name` for cluster-scoped objects. */
function describeResource(ref: ObjectRef): string {
  const name = ref.namespace ? `${ref.namespace}/${ref.name}` : ref.name;
  return `${safe(ref.kind)} ${safe(name)}`;
}

/** Where the group starts: the first finding's file and line (findings are sorted), or the non-file source. */
function groupLocation(group: ResourceGroup): string {
  const first = group.findings[0]!.location;
  return first.type === 'file' ? `${first.file}:${first.line}` : formatLocation({ ...first, path: '' });
}

function describeSuppression(suppression: Suppression): string {
  const until = suppression.expires ? `, until ${suppression.expires}` : '';
  return `[suppressed by ${suppression.by}${until}: ${safe(suppression.reason)}]`;
}

export function summaryLine(summary: ScanSummary, inputs: number): string {
  const scope = `${count(summary.objects, 'object')} from ${count(inputs, 'input')}`;
  let line: string;
  if (summary.findings === 0)
    line =
      summary.suppressed === 0
        ? `No findings in ${scope}`
        : `No findings, ${summary.suppressed} suppressed, in ${scope}`;
  else {
    const s = summary.bySeverity;
    const bySeverity = `${s.critical} critical, ${s.high} high, ${s.medium} medium, ${s.low} low, ${s.info} info`;
    line = `${count(summary.findings, 'finding')} (${bySeverity}), ${summary.suppressed} suppressed, in ${scope}`;
  }
  const extra: string[] = [];
  if (summary.errors > 0) extra.push(count(summary.errors, 'error'));
  if (summary.skippedDocuments > 0) extra.push(`${count(summary.skippedDocuments, 'document')} skipped`);
  return extra.length === 0 ? line : `${line}; ${extra.join(', ')}`;
}

function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

const safe = terminalSafe;
