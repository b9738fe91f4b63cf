// Human-readable output: findings grouped by resource, then load issues, rule errors, notices, expired
// exceptions and a one-line summary. One finding per line, nothing wrapped, so `grep` works on it.

import type { Finding, Suppression } from '../core/finding.ts';
import { compareLocations, compareText } from '../core/finding-order.ts';
import type { ObjectRef } from '../core/kube-object.ts';
import type { OutputOptions, ScanReport, ScanSummary } from '../core/report.ts';
import type { Severity } from '../core/severity.ts';
import { describeExpiredException } from './expired-exception-text.ts';
import { visibleFindings } from './finding-order.ts';
import { formatLocation, issuePlace } from './location-text.ts';
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

export function renderTable(report: ScanReport, options: OutputOptions): string {
  return [...renderTableChunks(report, options)].join('');
}

/** Lines of findings per chunk: a report of 100,000 findings is written (and can be interrupted) as it is made. */
const CHUNK_LINES = 2000;

/** The table in chunks of whole lines, each ending in a newline. */
export function* renderTableChunks(report: ScanReport, options: OutputOptions): Generator<string> {
  const paint = painter(options.color);
  const label = (level: Level, text: string = level.toUpperCase()): string =>
    paint(level, text.padEnd(LABEL_WIDTH));
  const out: string[] = [];
  // Whether anything was written yet, in an earlier chunk or this one: sections after the first start with a blank line.
  let started = false;
  const push = (line: string): void => {
    out.push(line);
    started = true;
  };
  const section = (title: string, lines: string[]): void => {
    if (lines.length === 0) return;
    if (started) push('');
    push(paint('heading', title));
    for (const line of lines) push(line);
  };

  const findings = visibleFindings(report, options);
  const ruleWidth = widest(findings, (finding) => safe(finding.ruleId).length);
  for (const group of groupBySubject(findings)) {
    if (out.length >= CHUNK_LINES) {
      yield `${out.join('\n')}\n`;
      out.length = 0;
    }
    if (started) push('');
    push(paint('heading', group.heading));
    for (const finding of group.findings) {
      const fields = [
        finding.suppressed ? label('suppressed', finding.severity.toUpperCase()) : label(finding.severity),
        safe(finding.ruleId).padEnd(ruleWidth),
        ...findingFields(finding),
      ];
      if (finding.suppressed) fields.push(paint('suppressed', describeSuppression(finding.suppressed)));
      push(`  ${fields.join('  ')}`);
    }
  }

  const codeWidth = widest(report.loadIssues, (issue) => issue.code.length);
  section(
    'Load issues:',
    [...report.loadIssues]
      .sort((a, b) => compareText(a.file, b.file) || a.line - b.line || a.column - b.column)
      .map(
        (issue) =>
          `  ${label(issue.severity)}  ${safe(issue.code).padEnd(codeWidth)}  ${safe(issue.message)}  ${safe(issuePlace(issue))}`,
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

  if (started) push('');
  push(paint('heading', summaryLine(report.summary, report.inputs.length)));
  yield `${out.join('\n')}\n`;
}

/** The largest width of `items`, 0 for none: a loop, since `Math.max(...widths)` overflows on 100,000 rows. */
function widest<T>(items: readonly T[], width: (item: T) => number): number {
  let most = 0;
  for (const item of items) most = Math.max(most, width(item));
  return most;
}

/** What a row says after severity and rule: the message and where, or for a vulnerability the package and its fix. */
function findingFields(finding: Finding): string[] {
  switch (finding.source) {
    case 'posture': {
      const fields = [safe(finding.message)];
      if (finding.container !== undefined) fields.push(`container=${safe(finding.container)}`);
      fields.push(safe(formatLocation(finding.location)));
      return fields;
    }
    case 'vulnerability': {
      const { package: pkg, advisory } = finding;
      const fix = advisory.fixedVersion === undefined ? 'no fix yet' : `fixed in ${advisory.fixedVersion}`;
      return [
        `${safe(pkg.name)} ${safe(pkg.version)} (${fix})`,
        safe(finding.title),
        safe(formatLocation(finding.location)),
      ];
    }
    case 'artifact':
      return [safe(finding.message), safe(formatLocation(finding.location))];
  }
}

interface FindingGroup {
  heading: string;
  findings: Finding[];
}

/**
 * Findings of one object in one place (posture), or of one image or directory (vulnerability, artifact); groups
 * keep the order of their first finding.
 */
function groupBySubject(findings: readonly Finding[]): FindingGroup[] {
  const groups = new Map<string, FindingGroup>();
  for (const finding of findings) {
    const { key, heading } = groupOf(finding);
    const group = groups.get(key);
    if (group) group.findings.push(finding);
    else groups.set(key, { heading, findings: [finding] });
  }
  return [...groups.values()];
}

function groupOf(finding: Finding): { key: string; heading: string } {
  if (finding.source !== 'posture') {
    const noun = finding.source === 'vulnerability' ? 'Vulnerabilities in' : 'Findings in';
    return {
      key: `${finding.source}\u0000${finding.location.target}`,
      heading: `${noun} ${safe(finding.location.target)}`,
    };
  }
  const { resource, location } = finding;
  const where = location.type === 'file' ? location.file : formatLocation({ ...location, path: '' });
  const key = [where, resource.apiVersion, resource.kind, resource.namespace ?? '', resource.name].join(
    '\u0000',
  );
  // Findings are sorted, so the first one gives the object's first line.
  const start =
    location.type === 'file'
      ? `${location.file}:${location.line}`
      : formatLocation({ ...location, path: '' });
  return { key, heading: `${describeResource(resource)}  ${safe(start)}` };
}

/** `Kind namespace/name`, or `Kind name` for cluster-scoped objects. */
function describeResource(ref: ObjectRef): string {
  const name = ref.namespace ? `${ref.namespace}/${ref.name}` : ref.name;
  return `${safe(ref.kind)} ${safe(name)}`;
}

function describeSuppression(suppression: Suppression): string {
  const until = suppression.expires ? `, until ${suppression.expires}` : '';
  return `[suppressed by ${suppression.by}${until}: ${safe(suppression.reason)}]`;
}

export function summaryLine(summary: ScanSummary, inputs: number): string {
  const scope = `${count(summary.objects, summary.unit ?? 'object')} from ${count(inputs, 'input')}`;
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
  // An object no rule looks at (a custom resource, say) is read but not checked: "no findings" must not hide that.
  const unchecked = summary.objects - summary.objectsEvaluated;
  if (summary.unit === undefined && unchecked > 0) extra.push(`${unchecked} not checked by any rule`);
  if (summary.errors > 0) extra.push(count(summary.errors, 'error'));
  if (summary.skippedDocuments > 0) extra.push(`${count(summary.skippedDocuments, 'document')} skipped`);
  return extra.length === 0 ? line : `${line}; ${extra.join(', ')}`;
}

function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

const safe = terminalSafe;
