// Everything a scan produced, in the shape every output writer receives.

import type { EngineNotice } from './engine.ts';
import type { LoadIssue } from './errors.ts';
import type { ExceptionRule } from './exception.ts';
import type { Finding, RuleError } from './finding.ts';
import type { Rule } from './rule.ts';
import { SEVERITIES, type Severity } from './severity.ts';

export interface ScanSummary {
  /** Objects read from the inputs, those with wrong field types included (they are also reported as errors). */
  objects: number;
  /** Objects at least one selected rule applies to. */
  objectsEvaluated: number;
  /** Unsuppressed findings by severity. */
  bySeverity: Record<Severity, number>;
  /** Unsuppressed findings. */
  findings: number;
  suppressed: number;
  /** Rule errors plus error-level load issues: anything that makes the scan incomplete. */
  errors: number;
  skippedDocuments: number;
  /** What `objects` counts: Kubernetes objects (default) or, for image, directory and SBOM scans, packages. */
  unit?: 'package';
}

export interface ScanReport {
  tool: { name: 'palisade'; version: string };
  /** ISO timestamp; injected in tests so outputs are stable. */
  startedAt: string;
  inputs: readonly string[];
  /** For a scan of one directory (`scan-deps`): it, as given; the paths of artifact locations are relative to it. */
  directoryRoot?: string;
  /** Pod Security Standards version checked; absent for scans of images and directories, which check no pods. */
  pssVersion?: string;
  frameworks: readonly string[];
  /** The rules that ran: outputs describe them (SARIF rule descriptors, JUnit test cases). */
  rules: readonly Rule[];
  /** All findings, suppressed included; writers hide suppressed ones unless `showSuppressed`. */
  findings: readonly Finding[];
  errors: readonly RuleError[];
  loadIssues: readonly LoadIssue[];
  notices: readonly EngineNotice[];
  expiredExceptions: readonly ExceptionRule[];
  summary: ScanSummary;
}

export interface OutputOptions {
  showSuppressed: boolean;
  /** Colour only on a TTY, and never when NO_COLOR is set. */
  color: boolean;
}

/** Counts for the summary, from the parts of a report. */
export function summarize(parts: {
  objects: number;
  objectsEvaluated: number;
  skippedDocuments: number;
  findings: readonly Finding[];
  errors: readonly RuleError[];
  loadIssues: readonly LoadIssue[];
}): ScanSummary {
  const bySeverity = Object.fromEntries(SEVERITIES.map((severity) => [severity, 0])) as Record<
    Severity,
    number
  >;
  let suppressed = 0;
  for (const finding of parts.findings) {
    if (finding.suppressed) suppressed++;
    else bySeverity[finding.severity]++;
  }
  return {
    objects: parts.objects,
    objectsEvaluated: parts.objectsEvaluated,
    bySeverity,
    findings: parts.findings.length - suppressed,
    suppressed,
    errors: parts.errors.length + parts.loadIssues.filter((issue) => issue.severity === 'error').length,
    skippedDocuments: parts.skippedDocuments,
  };
}

/**
 * The report of an image, directory or SBOM scan: findings about packages and files rather than Kubernetes
 * objects, so no posture rules ran and `objects` counts the packages inventoried.
 */
export function artifactReport(parts: {
  toolVersion: string;
  startedAt: string;
  inputs: readonly string[];
  findings: readonly Finding[];
  packages: number;
  loadIssues?: readonly LoadIssue[];
  notices?: readonly EngineNotice[];
  directoryRoot?: string;
}): ScanReport {
  const loadIssues = parts.loadIssues ?? [];
  return {
    tool: { name: 'palisade', version: parts.toolVersion },
    startedAt: parts.startedAt,
    inputs: parts.inputs,
    ...(parts.directoryRoot !== undefined ? { directoryRoot: parts.directoryRoot } : {}),
    frameworks: [],
    rules: [],
    findings: parts.findings,
    errors: [],
    loadIssues,
    notices: parts.notices ?? [],
    expiredExceptions: [],
    summary: {
      ...summarize({
        objects: parts.packages,
        objectsEvaluated: parts.packages,
        skippedDocuments: 0,
        findings: parts.findings,
        errors: [],
        loadIssues,
      }),
      unit: 'package',
    },
  };
}
