// JUnit XML as Jenkins and GitLab read it: a test suite per rule that ran, a test case per rule and resource
// with findings (one `failure` listing all of them, since both tools show only the first failure element),
// one passing case for a rule without findings, `skipped` for shown suppressed findings, `error` for rule errors.
// Load issues form one more suite, `palisade:inputs`, so an unreadable file fails the build visibly.

import type { LoadIssue } from '../core/errors.ts';
import type { Finding, RuleError } from '../core/finding.ts';
import { compareText } from '../core/finding-order.ts';
import { formatRef } from '../core/kube-object.ts';
import type { OutputOptions, ScanReport } from '../core/report.ts';
import { type Severity, severityRank } from '../core/severity.ts';
import type { Location } from '../core/source.ts';
import { visibleFindings } from './finding-order.ts';
import { formatLocation, issuePlace } from './location-text.ts';
import { escapeXmlAttribute as attr, escapeXmlText as text } from './xml-text.ts';

export const INPUTS_SUITE = 'palisade:inputs';
const PASSING_CASE = 'all evaluated objects';

type Outcome =
  | { type: 'pass' }
  | { type: 'failure' | 'error'; message: string; kind: string; details: string }
  | { type: 'skipped'; message: string };

interface TestCase {
  name: string;
  classname: string;
  outcome: Outcome;
  output?: string;
}

interface TestSuite {
  name: string;
  properties: [string, string][];
  cases: TestCase[];
}

export function renderJunit(report: ScanReport, options: OutputOptions): string {
  const suites = ruleSuites(report, options);
  if (report.loadIssues.length > 0) suites.push(inputsSuite(report.loadIssues));
  const total = tally(suites.flatMap((suite) => suite.cases));
  const timestamp = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d/.exec(report.startedAt)?.[0];
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="palisade" tests="${total.tests}" failures="${total.failures}" errors="${total.errors}" skipped="${total.skipped}" time="0">`,
  ];
  for (const suite of suites) {
    const count = tally(suite.cases);
    const stamp = timestamp === undefined ? '' : ` timestamp="${timestamp}"`;
    lines.push(
      `  <testsuite name="${attr(suite.name)}" tests="${count.tests}" failures="${count.failures}" errors="${count.errors}" skipped="${count.skipped}" time="0"${stamp}>`,
    );
    if (suite.properties.length > 0) {
      lines.push('    <properties>');
      for (const [name, value] of suite.properties)
        lines.push(`      <property name="${attr(name)}" value="${attr(value)}"/>`);
      lines.push('    </properties>');
    }
    for (const testCase of suite.cases) lines.push(...renderCase(testCase));
    lines.push('  </testsuite>');
  }
  lines.push('</testsuites>');
  return `${lines.join('\n')}\n`;
}

function renderCase(testCase: TestCase): string[] {
  const open = `    <testcase name="${attr(testCase.name)}" classname="${attr(testCase.classname)}" time="0"`;
  const { outcome } = testCase;
  const body: string[] = [];
  if (outcome.type === 'skipped') body.push(`      <skipped message="${attr(outcome.message)}"/>`);
  else if (outcome.type !== 'pass')
    body.push(
      `      <${outcome.type} message="${attr(outcome.message)}" type="${attr(outcome.kind)}">${text(outcome.details)}</${outcome.type}>`,
    );
  if (testCase.output !== undefined) body.push(`      <system-out>${text(testCase.output)}</system-out>`);
  return body.length === 0 ? [`${open}/>`] : [`${open}>`, ...body, '    </testcase>'];
}

function ruleSuites(report: ScanReport, options: OutputOptions): TestSuite[] {
  const suites = new Map<string, TestSuite>();
  const suiteFor = (ruleId: string): TestSuite => {
    let suite = suites.get(ruleId);
    if (!suite) {
      suite = { name: ruleId, properties: [], cases: [] };
      suites.set(ruleId, suite);
    }
    return suite;
  };
  for (const rule of report.rules)
    suiteFor(rule.id).properties.push(['title', rule.title], ['severity', rule.severity]);

  const byCase = new Map<string, { ruleId: string; name: string; findings: Finding[] }>();
  for (const finding of visibleFindings(report, options)) {
    const name = caseName(finding);
    const key = caseKey(finding.ruleId, name, finding.location);
    const entry = byCase.get(key);
    if (entry) entry.findings.push(finding);
    else byCase.set(key, { ruleId: finding.ruleId, name, findings: [finding] });
  }
  for (const { ruleId, name, findings } of byCase.values())
    suiteFor(ruleId).cases.push({ name, classname: ruleId, outcome: findingsOutcome(findings) });

  const errors = [...report.errors].sort(
    (a, b) => compareText(a.ruleId, b.ruleId) || compareText(formatRef(a.resource), formatRef(b.resource)),
  );
  for (const error of errors)
    suiteFor(error.ruleId).cases.push({
      name: formatRef(error.resource),
      classname: error.ruleId,
      outcome: errorOutcome(error),
    });

  for (const suite of suites.values())
    if (suite.cases.length === 0)
      suite.cases.push({ name: PASSING_CASE, classname: suite.name, outcome: { type: 'pass' } });
  return [...suites.values()];
}

/** The object, or the package and where it is installed, or the image or directory. */
function caseName(finding: Finding): string {
  switch (finding.source) {
    case 'posture':
      return formatRef(finding.resource);
    case 'vulnerability':
      return `${finding.package.name}@${finding.package.version} in ${finding.location.target}`;
    case 'artifact':
      return finding.location.target;
  }
}

function caseKey(ruleId: string, resource: string, location: Location): string {
  const where =
    location.type === 'file' ? location.file : location.type === 'artifact' ? location.target : location.type;
  return [ruleId, resource, where].join('\u0000');
}

function findingsOutcome(findings: readonly Finding[]): Outcome {
  const failing = findings.filter((finding) => finding.suppressed === undefined);
  if (failing.length === 0) {
    const reasons = [
      ...new Set(findings.map((finding) => `${finding.suppressed!.by}: ${finding.suppressed!.reason}`)),
    ];
    return { type: 'skipped', message: `suppressed by ${reasons.join('; ')}` };
  }
  const worst = failing.reduce<Severity>(
    (max, finding) => (severityRank(finding.severity) > severityRank(max) ? finding.severity : max),
    'info',
  );
  const details = findings.map(describeFinding);
  details.push(`Remediation: ${failing[0]!.remediation}`);
  return {
    type: 'failure',
    message: failing.map((finding) => finding.message).join('; '),
    kind: worst,
    details: details.join('\n'),
  };
}

function describeFinding(finding: Finding): string {
  const container =
    finding.source !== 'posture' || finding.container === undefined
      ? ''
      : ` (container ${finding.container})`;
  const suppressed = finding.suppressed
    ? ` [suppressed by ${finding.suppressed.by}: ${finding.suppressed.reason}]`
    : '';
  return `${formatLocation(finding.location)}: ${finding.severity}: ${finding.message}${container}${suppressed}`;
}

function errorOutcome(error: RuleError): Outcome {
  return {
    type: 'error',
    message: error.message,
    kind: 'rule-error',
    details: `${formatLocation(error.location)}: ${error.message}`,
  };
}

function inputsSuite(issues: readonly LoadIssue[]): TestSuite {
  const byFile = new Map<string, LoadIssue[]>();
  for (const issue of issues) {
    const list = byFile.get(issue.file);
    if (list) list.push(issue);
    else byFile.set(issue.file, [issue]);
  }
  const cases = [...byFile.entries()]
    .sort(([a], [b]) => compareText(a, b))
    .map(([file, fileIssues]): TestCase => {
      const sorted = [...fileIssues].sort((a, b) => a.line - b.line || a.column - b.column);
      const lines = sorted.map(
        (issue) => `${issuePlace(issue)}: ${issue.severity}: ${issue.code}: ${issue.message}`,
      );
      const errors = sorted.filter((issue) => issue.severity === 'error');
      const first = errors[0];
      if (first === undefined)
        return { name: file, classname: INPUTS_SUITE, outcome: { type: 'pass' }, output: lines.join('\n') };
      return {
        name: file,
        classname: INPUTS_SUITE,
        outcome: {
          type: 'error',
          message: errors.map((issue) => issue.message).join('; '),
          kind: first.code,
          details: lines.join('\n'),
        },
      };
    });
  return { name: INPUTS_SUITE, properties: [], cases };
}

function tally(cases: readonly TestCase[]): {
  tests: number;
  failures: number;
  errors: number;
  skipped: number;
} {
  const count = (type: Outcome['type']): number =>
    cases.filter((testCase) => testCase.outcome.type === type).length;
  return {
    tests: cases.length,
    failures: count('failure'),
    errors: count('error'),
    skipped: count('skipped'),
  };
}
