// SARIF 2.1.0 for code scanning (GitHub, GitLab, IDEs). Rule descriptors come from rule metadata; load
// and rule errors are tool execution notifications, so a broken input is visible rather than a silent pass.

import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { clusterContextOfIssue } from '../cluster/cluster-input-name.ts';
import type { LoadIssue } from '../core/errors.ts';
import type { ExceptionRule } from '../core/exception.ts';
import type { Finding, RuleError, Suppression } from '../core/finding.ts';
import { formatRef, type ObjectRef } from '../core/kube-object.ts';
import type { OutputOptions, ScanReport } from '../core/report.ts';
import type { Rule } from '../core/rule.ts';
import type { Severity } from '../core/severity.ts';
import type { Location } from '../core/source.ts';
import { toArtifactUri } from './artifact-uri.ts';
import { describeExpiredException } from './expired-exception-text.ts';
import { visibleFindings } from './finding-order.ts';
import { wellFormedJson } from './well-formed-json.ts';

export const SARIF_SCHEMA_URI =
  'https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json';
export const INFORMATION_URI = 'https://github.com/palisade-dev/palisade';

type SarifLevel = 'error' | 'warning' | 'note';
type Json = Record<string, unknown>;

const LEVELS: Record<Severity, SarifLevel> = {
  critical: 'error',
  high: 'error',
  medium: 'warning',
  low: 'note',
  info: 'note',
};

/** The scale GitHub code scanning reads from `security-severity` (critical above 9, high 7 to 8.9, ...). */
const SECURITY_SEVERITY: Record<Severity, string> = {
  critical: '9.5',
  high: '8.0',
  medium: '5.5',
  low: '3.0',
  info: '0.0',
};

export function renderSarif(report: ScanReport, options: OutputOptions): string {
  const findings = visibleFindings(report, options);
  const descriptors = [...report.rules.map(ruleDescriptor), ...findingDescriptors(findings, report.rules)];
  const ruleIndex = new Map(descriptors.map((descriptor, index) => [descriptor.id as string, index]));
  const invocation: Json = {
    // A scan that could not read part of its input, or whose rules threw, did not fully succeed.
    executionSuccessful: report.summary.errors === 0,
    startTimeUtc: report.startedAt,
    toolExecutionNotifications: [
      ...report.loadIssues.map(loadIssueNotification),
      ...report.errors.map((error) => ruleErrorNotification(error, ruleIndex)),
    ],
    toolConfigurationNotifications: [
      ...report.notices.map((notice) =>
        withLocations(
          { level: notice.severity === 'warning' ? 'warning' : 'note', message: { text: notice.message } },
          notice.location === undefined ? [] : [sarifLocation(notice.location)],
        ),
      ),
      ...report.expiredExceptions.map(expiredNotification),
    ],
  };
  const sarif = {
    $schema: SARIF_SCHEMA_URI,
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'palisade',
            version: report.tool.version,
            semanticVersion: report.tool.version,
            informationUri: INFORMATION_URI,
            rules: descriptors,
          },
        },
        invocations: [invocation],
        columnKind: 'utf16CodeUnits',
        results: withFingerprints(findings).map(([finding, print]) =>
          result(finding, ruleIndex, print, report.directoryRoot),
        ),
        properties: {
          ...(report.pssVersion === undefined ? {} : { pssVersion: report.pssVersion }),
          frameworks: [...report.frameworks],
        },
      },
    ],
  };
  return `${wellFormedJson(JSON.stringify(sarif, null, 2))}\n`;
}

function ruleDescriptor(rule: Rule): Json {
  const descriptor: Json = { id: rule.id, name: pascalCase(rule.id) };
  if (rule.aliases !== undefined && rule.aliases.length > 0) descriptor.deprecatedIds = [...rule.aliases];
  descriptor.shortDescription = { text: rule.title };
  descriptor.fullDescription = { text: rule.description };
  descriptor.help = { text: helpText(rule), markdown: helpMarkdown(rule) };
  if (rule.references[0] !== undefined) descriptor.helpUri = rule.references[0];
  descriptor.defaultConfiguration = { level: LEVELS[rule.severity] };
  descriptor.properties = {
    'security-severity': SECURITY_SEVERITY[rule.severity],
    tags: ['security', ...frameworkTags(rule.frameworks)],
  };
  return descriptor;
}

function helpText(rule: Rule): string {
  const references = rule.references.length === 0 ? '' : `\n\nReferences:\n${rule.references.join('\n')}`;
  return `${rule.remediation}${references}`;
}

function helpMarkdown(rule: Rule): string {
  const references = rule.references.map((reference) => `- <${reference}>`).join('\n');
  return `**Remediation:** ${rule.remediation}${references === '' ? '' : `\n\n**References:**\n${references}`}`;
}

/** `cis-k8s:5.2.2`, `pss-baseline:privileged`: filterable in code scanning UIs. */
function frameworkTags(frameworks: Readonly<Record<string, readonly string[] | undefined>>): string[] {
  return Object.entries(frameworks).flatMap(([framework, controls]) =>
    (controls ?? []).map((control) => `${framework}:${control}`),
  );
}

/** An http(s) URL, normalised by the URL parser; undefined for anything else (`javascript:`, junk). */
function webUrl(text: string | undefined): string | undefined {
  if (text === undefined || !/^https?:\/\//i.test(text)) return undefined;
  try {
    const url = new URL(text);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Descriptors for findings that come from no posture rule (advisories, image and secret checks): one per rule id,
 * from the first finding that has it.
 */
function findingDescriptors(findings: readonly Finding[], rules: readonly Rule[]): Json[] {
  const known = new Set(rules.map((rule) => rule.id));
  const descriptors = new Map<string, Json>();
  for (const finding of findings) {
    if (finding.source === 'posture' || known.has(finding.ruleId) || descriptors.has(finding.ruleId))
      continue;
    const descriptor: Json = { id: finding.ruleId, shortDescription: { text: finding.title } };
    descriptor.help = { text: finding.remediation, markdown: finding.remediation };
    const helpUri = finding.source === 'vulnerability' ? webUrl(finding.advisory.references[0]) : undefined;
    if (helpUri !== undefined) descriptor.helpUri = helpUri;
    descriptor.defaultConfiguration = { level: LEVELS[finding.severity] };
    const score = finding.source === 'vulnerability' ? finding.advisory.cvss?.score : undefined;
    descriptor.properties = {
      'security-severity': score === undefined ? SECURITY_SEVERITY[finding.severity] : score.toFixed(1),
      tags: ['security', finding.source, ...frameworkTags(finding.frameworks)],
    };
    descriptors.set(finding.ruleId, descriptor);
  }
  return [...descriptors.values()];
}

function result(
  finding: Finding,
  ruleIndex: ReadonlyMap<string, number>,
  print: string,
  directoryRoot: string | undefined,
): Json {
  const out: Json = { ruleId: finding.ruleId };
  const index = ruleIndex.get(finding.ruleId);
  if (index !== undefined) out.ruleIndex = index;
  out.level = LEVELS[finding.severity];
  out.message = { text: finding.message };
  out.locations = [
    sarifLocation(
      finding.location,
      finding.source === 'posture' ? finding.resource : undefined,
      directoryRoot,
    ),
  ];
  out.partialFingerprints = { [FINGERPRINT_KEY]: print };
  if (finding.suppressed !== undefined) out.suppressions = [sarifSuppression(finding.suppressed)];
  const properties: Json = { severity: finding.severity, path: finding.location.path };
  if (finding.source === 'posture' && finding.container !== undefined)
    properties.container = finding.container;
  if (finding.source === 'vulnerability') {
    properties.package = { ...finding.package };
    properties.advisory = { ...finding.advisory, aliases: [...finding.advisory.aliases] };
    properties.status = finding.status;
  }
  out.properties = properties;
  return out;
}

/** v2 took the file (or cluster) into the identity: one object in two files was one alert under v1. */
const FINGERPRINT_KEY = 'palisade/v2';

/** Stable across runs and edits elsewhere in the file: no line, no message, no apiVersion (which upgrades change). */
function fingerprint(identity: readonly string[]): string {
  return createHash('sha256').update(JSON.stringify(identity)).digest('hex');
}

/**
 * Each finding with its fingerprint. Two findings of one rule at one place would share it, and code scanning would
 * take them for one alert, so fixing one would hide the other. A rule that reports several there says which with a
 * facet (a Namespace without a LimitRange and without a ResourceQuota), stable when the other is fixed; findings
 * that still collide take their message into the identity too (only those, so rewording elsewhere reopens nothing).
 */
function withFingerprints(findings: readonly Finding[]): [Finding, string][] {
  const base = findings.map((finding) => fingerprint(fingerprintIdentity(finding)));
  const counts = new Map<string, number>();
  for (const print of base) counts.set(print, (counts.get(print) ?? 0) + 1);
  return findings.map((finding, index) => {
    const print = base[index] as string;
    return [
      finding,
      (counts.get(print) ?? 0) > 1 ? fingerprint([...fingerprintIdentity(finding), finding.message]) : print,
    ];
  });
}

function fingerprintIdentity(finding: Finding): string[] {
  switch (finding.source) {
    case 'posture': {
      const { resource, location } = finding;
      // The same object written in two files (a base and an overlay, install.yaml and namespace-install.yaml) is
      // two results: fixing one file must not close the other's alert.
      const place =
        location.type === 'file'
          ? toArtifactUri(location.file)
          : location.type === 'cluster'
            ? `cluster:${location.context}`
            : '';
      return [
        finding.ruleId,
        place,
        resource.kind,
        resource.namespace ?? '',
        resource.name,
        finding.location.path,
        finding.container ?? '',
        // Only when set, so that every other finding keeps the fingerprint it had.
        ...(finding.facet !== undefined ? [finding.facet] : []),
      ];
    }
    case 'vulnerability':
      return [
        finding.ruleId,
        finding.location.target,
        finding.package.ecosystem,
        finding.package.name,
        finding.package.version,
      ];
    // Two secrets in one file differ by line: a moved secret is a new result, which is acceptable for secrets.
    case 'artifact':
      return [
        finding.ruleId,
        finding.location.target,
        finding.location.path,
        String(finding.location.line ?? ''),
      ];
  }
}

function sarifSuppression(suppression: Suppression): Json {
  const out: Json = {
    kind: suppression.by === 'annotation' ? 'inSource' : 'external',
    status: 'accepted',
    justification: suppression.reason,
  };
  if (suppression.expires !== undefined) out.properties = { expires: suppression.expires };
  return out;
}

/**
 * A relative reference says what it is relative to (SARIF §3.4.4): `%SRCROOT%`, the directory the scan runs in
 * (paths are written relative to it), which code-scanning services map to the repository root. Absolute paths are `file:` URIs and need no base.
 */
function artifactLocation(path: string): Json {
  const uri = toArtifactUri(path);
  return uri.startsWith('file:') ? { uri } : { uri, uriBaseId: '%SRCROOT%' };
}

/**
 * Where a result is, for code scanning. GitHub refuses a whole upload when one result has no
 * `physicalLocation.artifactLocation.uri` (its rule GH1001), so everything gets one:
 * - a manifest file: its path under %SRCROOT%;
 * - a file of a scanned directory (`directoryRoot`, as given on the command line): that directory's path joined
 *   to it, so it lands on the repository's file;
 * - a file inside an image, an image as a whole, an object of a live cluster: a reference with no base, as they
 *   are not files of the repository (`palisade-image/<reference>/<path>`, `palisade-cluster/<context>/<object>`).
 */
function sarifLocation(location: Location, resource?: ObjectRef, directoryRoot?: string): Json {
  const out: Json = {};
  switch (location.type) {
    case 'file':
      out.physicalLocation = {
        artifactLocation: artifactLocation(location.file),
        // Line 0 means "no position" (a file that could not be read); SARIF regions start at 1.
        ...(location.line >= 1
          ? { region: { startLine: location.line, startColumn: Math.max(1, location.column) } }
          : {}),
      };
      break;
    case 'artifact': {
      const inside = location.path.replace(/^\/+/, '');
      const artifact =
        directoryRoot !== undefined && location.target === directoryRoot
          ? artifactLocation(inside === '' ? directoryRoot : join(directoryRoot, inside))
          : {
              uri: toArtifactUri(
                ['palisade-image', location.target.replace(/^\/+/, ''), inside].filter(Boolean).join('/'),
              ),
            };
      out.physicalLocation = {
        artifactLocation: artifact,
        ...(location.line !== undefined && location.line >= 1
          ? { region: { startLine: location.line } }
          : {}),
      };
      out.logicalLocations = [{ name: location.target, kind: 'module' }];
      break;
    }
    case 'cluster': {
      const object = resource === undefined ? [] : [resource.kind, resource.namespace ?? '', resource.name];
      out.physicalLocation = {
        artifactLocation: {
          uri: ['palisade-cluster', location.context, ...object]
            .filter((part) => part !== '')
            .map((part) => encodeURIComponent(part))
            .join('/'),
        },
      };
      break;
    }
    case 'admission':
    case 'inline':
      break;
  }
  if (resource !== undefined)
    out.logicalLocations = [{ name: resource.name, fullyQualifiedName: formatRef(resource), kind: 'object' }];
  return out;
}

function loadIssueNotification(issue: LoadIssue): Json {
  const context = clusterContextOfIssue(issue);
  // A cluster is no file of the repository: it gets the palisade-cluster reference its findings get.
  const location: Location =
    context !== undefined
      ? { type: 'cluster', context, path: '' }
      : { type: 'file', file: issue.file, line: issue.line, column: issue.column, path: '' };
  return {
    descriptor: { id: issue.code },
    level: issue.severity === 'info' ? 'note' : issue.severity,
    message: { text: issue.message },
    locations: [sarifLocation(location)],
  };
}

function ruleErrorNotification(error: RuleError, ruleIndex: ReadonlyMap<string, number>): Json {
  const associatedRule: Json = { id: error.ruleId };
  const index = ruleIndex.get(error.ruleId);
  if (index !== undefined) associatedRule.index = index;
  return {
    descriptor: { id: 'rule-error' },
    associatedRule,
    level: 'error',
    message: { text: error.message },
    locations: [sarifLocation(error.location, error.resource)],
  };
}

function expiredNotification(exception: ExceptionRule): Json {
  return {
    descriptor: { id: 'exception-expired' },
    level: 'warning',
    message: {
      text: `${describeExpiredException(exception)} (written at ${exception.origin})`,
    },
  };
}

function withLocations(notification: Json, locations: Json[]): Json {
  return locations.length === 0 ? notification : { ...notification, locations };
}

function pascalCase(id: string): string {
  return id
    .split('-')
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join('');
}
