// JSON output, schema version 1, described in docs/json-output.md and docs/report.schema.json.
// Every object is built field by field, so the output never grows a field the schema does not document.

import { type LoadIssue, PalisadeError } from '../core/errors.ts';
import type { ExceptionRule } from '../core/exception.ts';
import type { Finding, RuleError, Suppression, VulnerabilityFinding } from '../core/finding.ts';
import type { ObjectRef } from '../core/kube-object.ts';
import type { OutputOptions, ScanReport } from '../core/report.ts';
import type { Location } from '../core/source.ts';
import { visibleFindings } from './finding-order.ts';
import { wellFormedJson } from './well-formed-json.ts';

export const JSON_SCHEMA_VERSION = 1;

/** The report as one string. A report too large for one string (V8 caps strings at about 512 MiB) is an error. */
export function renderJson(report: ScanReport, options: OutputOptions): string {
  const pieces: string[] = [];
  for (const piece of renderJsonChunks(report, options)) pieces.push(piece);
  try {
    return pieces.join('');
  } catch (error) {
    if (!(error instanceof RangeError)) throw error;
    throw new PalisadeError(
      'output-unwritable',
      `the JSON report of ${report.findings.length} findings is larger than one string can hold; render it in pieces (renderReportPieces), or narrow the scan (--rule, --framework)`,
      { cause: error },
    );
  }
}

/** Pieces of about this many characters: few writes, and never a string near V8's limit. */
const CHUNK_CHARS = 1024 * 1024;

/**
 * The same text as `renderJson`, in pieces, for writing a report of any size: each finding (and issue, error,
 * notice) is stringified on its own, so no single string holds the whole report.
 */
export function* renderJsonChunks(report: ScanReport, options: OutputOptions): Generator<string> {
  const summary = report.summary;
  const head = {
    schemaVersion: JSON_SCHEMA_VERSION,
    tool: { name: report.tool.name, version: report.tool.version },
    startedAt: report.startedAt,
    inputs: [...report.inputs],
    ...(report.pssVersion === undefined ? {} : { pssVersion: report.pssVersion }),
    frameworks: [...report.frameworks],
    summary: {
      objects: summary.objects,
      objectsEvaluated: summary.objectsEvaluated,
      findings: summary.findings,
      bySeverity: {
        critical: summary.bySeverity.critical,
        high: summary.bySeverity.high,
        medium: summary.bySeverity.medium,
        low: summary.bySeverity.low,
        info: summary.bySeverity.info,
      },
      suppressed: summary.suppressed,
      errors: summary.errors,
      skippedDocuments: summary.skippedDocuments,
      ...(summary.unit === undefined ? {} : { unit: summary.unit }),
    },
  };
  // The lists follow the head, in the order the schema documents; each is written item by item.
  const lists: [string, Iterable<unknown>][] = [
    ['findings', mapped(visibleFindings(report, options), jsonFinding)],
    ['loadIssues', mapped(report.loadIssues, jsonLoadIssue)],
    ['errors', mapped(report.errors, jsonRuleError)],
    [
      'notices',
      mapped(report.notices, (notice) =>
        notice.location === undefined
          ? { severity: notice.severity, message: notice.message }
          : { severity: notice.severity, message: notice.message, location: jsonLocation(notice.location) },
      ),
    ],
    ['expiredExceptions', mapped(report.expiredExceptions, jsonException)],
  ];
  // `JSON.stringify(document, null, 2)` of the head, its closing brace left open for the lists.
  let pending = `${wellFormedJson(JSON.stringify(head, null, 2)).slice(0, -2)}`;
  for (const [key, items] of lists) {
    pending += `,\n  ${JSON.stringify(key)}: [`;
    let first = true;
    for (const item of items) {
      // Indented as the item would be at its depth in the whole document; JSON strings never hold a raw newline.
      pending += `${first ? '' : ','}\n    ${wellFormedJson(JSON.stringify(item, null, 2)).replaceAll('\n', '\n    ')}`;
      first = false;
      if (pending.length >= CHUNK_CHARS) {
        yield pending;
        pending = '';
      }
    }
    pending += first ? ']' : '\n  ]';
  }
  yield `${pending}\n}\n`;
}

function* mapped<T, U>(items: readonly T[], map: (item: T) => U): Generator<U> {
  for (const item of items) yield map(item);
}

function jsonFinding(finding: Finding): Record<string, unknown> {
  const out: Record<string, unknown> = {
    source: finding.source,
    ruleId: finding.ruleId,
    severity: finding.severity,
    title: finding.title,
    message: finding.message,
  };
  if (finding.source === 'posture') out.resource = jsonRef(finding.resource);
  if (finding.source === 'vulnerability') {
    out.package = jsonPackage(finding.package);
    out.advisory = jsonAdvisory(finding.advisory);
    out.status = finding.status;
  }
  out.location = jsonLocation(finding.location);
  if (finding.source === 'posture' && finding.container !== undefined) out.container = finding.container;
  out.frameworks = Object.fromEntries(
    Object.entries(finding.frameworks).map(([framework, controls]) => [framework, [...controls]]),
  );
  out.remediation = finding.remediation;
  if (finding.suppressed !== undefined) out.suppressed = jsonSuppression(finding.suppressed);
  return out;
}

function jsonPackage(pkg: VulnerabilityFinding['package']): Record<string, string> {
  const out: Record<string, string> = { ecosystem: pkg.ecosystem, name: pkg.name, version: pkg.version };
  if (pkg.purl !== undefined) out.purl = pkg.purl;
  if (pkg.sourceName !== undefined) out.sourceName = pkg.sourceName;
  if (pkg.sourceVersion !== undefined) out.sourceVersion = pkg.sourceVersion;
  return out;
}

function jsonAdvisory(advisory: VulnerabilityFinding['advisory']): Record<string, unknown> {
  const out: Record<string, unknown> = { id: advisory.id, aliases: [...advisory.aliases] };
  if (advisory.fixedVersion !== undefined) out.fixedVersion = advisory.fixedVersion;
  if (advisory.cvss !== undefined)
    out.cvss = { version: advisory.cvss.version, vector: advisory.cvss.vector, score: advisory.cvss.score };
  out.references = [...advisory.references];
  return out;
}

function jsonRef(ref: ObjectRef): Record<string, string> {
  const out: Record<string, string> = { apiVersion: ref.apiVersion, kind: ref.kind };
  if (ref.namespace !== undefined) out.namespace = ref.namespace;
  out.name = ref.name;
  return out;
}

function jsonLocation(location: Location): Record<string, string | number> {
  switch (location.type) {
    case 'file':
      return {
        type: 'file',
        file: location.file,
        line: location.line,
        column: location.column,
        path: location.path,
      };
    case 'cluster':
      return { type: 'cluster', context: location.context, path: location.path };
    case 'admission':
      return { type: 'admission', uid: location.uid, path: location.path };
    case 'inline':
      return { type: 'inline', path: location.path };
    case 'artifact': {
      const out: Record<string, string | number> = {
        type: 'artifact',
        target: location.target,
        path: location.path,
      };
      if (location.line !== undefined) out.line = location.line;
      if (location.layer !== undefined) out.layer = location.layer;
      return out;
    }
  }
}

function jsonSuppression(suppression: Suppression): Record<string, string> {
  const out: Record<string, string> = { by: suppression.by, reason: suppression.reason };
  if (suppression.expires !== undefined) out.expires = suppression.expires;
  return out;
}

function jsonLoadIssue(issue: LoadIssue): Record<string, string | number> {
  return {
    severity: issue.severity,
    code: issue.code,
    message: issue.message,
    file: issue.file,
    line: issue.line,
    column: issue.column,
  };
}

function jsonRuleError(error: RuleError): Record<string, unknown> {
  return {
    ruleId: error.ruleId,
    resource: jsonRef(error.resource),
    location: jsonLocation(error.location),
    message: error.message,
  };
}

function jsonException(exception: ExceptionRule): Record<string, unknown> {
  const out: Record<string, unknown> = {
    rules: [...exception.rules],
    kind: exception.kind,
    namespace: exception.namespace,
    name: exception.name,
  };
  if (exception.container !== undefined) out.container = exception.container;
  out.reason = exception.reason;
  if (exception.expires !== undefined) out.expires = exception.expires;
  out.origin = exception.origin;
  return out;
}
