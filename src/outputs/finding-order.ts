// Which findings a writer shows, and in what order: one place, so every format agrees.
import type { Finding } from '../core/finding.ts';
import { formatRef } from '../core/kube-object.ts';
import type { OutputOptions, ScanReport } from '../core/report.ts';
import { severityRank } from '../core/severity.ts';
import type { Location } from '../core/source.ts';

/** Findings to show: suppressed ones only with `showSuppressed`; sorted by `compareFindings`. */
export function visibleFindings(report: ScanReport, options: OutputOptions): Finding[] {
  return report.findings
    .filter((finding) => options.showSuppressed || finding.suppressed === undefined)
    .sort(compareFindings);
}

/** File findings first (by file, line, column), then the others by resource; then most severe first. */
export function compareFindings(a: Finding, b: Finding): number {
  return (
    compareLocations(a.location, b.location) ||
    severityRank(b.severity) - severityRank(a.severity) ||
    compareText(a.ruleId, b.ruleId) ||
    compareText(formatRef(a.resource), formatRef(b.resource)) ||
    compareText(a.container ?? '', b.container ?? '') ||
    compareText(a.message, b.message)
  );
}

export function compareLocations(a: Location, b: Location): number {
  if (a.type === 'file' && b.type === 'file')
    return compareText(a.file, b.file) || a.line - b.line || a.column - b.column;
  if (a.type === 'file') return -1;
  if (b.type === 'file') return 1;
  return compareText(a.type, b.type) || compareText(locationScope(a), locationScope(b));
}

function locationScope(location: Exclude<Location, { type: 'file' }>): string {
  switch (location.type) {
    case 'cluster':
      return location.context;
    case 'admission':
      return location.uid;
    case 'inline':
      return '';
  }
}

/** Code-unit order, not locale order, so output is the same on every machine. */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
