// A stable order for findings: by place (file, line, column), then most severe first, then rule and resource,
// so that reports diff cleanly between runs and every output agrees.
import type { Finding } from './finding.ts';
import { formatRef } from './kube-object.ts';
import { severityRank } from './severity.ts';
import type { Location } from './source.ts';

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
