// A stable order for findings: by place (file, line, column), then most severe first, then rule and resource,
// so that reports diff cleanly between runs and every output agrees.
import type { Finding } from './finding.ts';
import { subjectKey } from './finding-subject.ts';
import { severityRank } from './severity.ts';
import type { Location } from './source.ts';

/** File findings first (by file, line, column), then the others by source and place; then most severe first. */
export function compareFindings(a: Finding, b: Finding): number {
  return (
    compareLocations(a.location, b.location) ||
    severityRank(b.severity) - severityRank(a.severity) ||
    compareText(a.ruleId, b.ruleId) ||
    compareText(subjectKey(a), subjectKey(b)) ||
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
    case 'artifact':
      return `${location.target}\u0000${location.path}\u0000${String(location.line ?? 0).padStart(10, '0')}`;
  }
}

/** Code-unit order, not locale order, so output is the same on every machine. */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
