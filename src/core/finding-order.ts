// A stable order for findings: by place (file, line, column), then most severe first, then rule and resource,
// so that reports diff cleanly between runs and every output agrees.
import type { Finding } from './finding.ts';
import { severityRank } from './severity.ts';
import type { Location } from './source.ts';

/** File findings first (by file, line, column), then the others by source and place; then most severe first. */
export function compareFindings(a: Finding, b: Finding): number {
  return (
    compareLocations(a.location, b.location) ||
    severityRank(b.severity) - severityRank(a.severity) ||
    compareText(a.ruleId, b.ruleId) ||
    compareSubjects(a, b) ||
    compareText(a.message, b.message)
  );
}

/**
 * What the findings are about, field by field (this runs n log n times when a report is sorted, so it builds no
 * strings): posture findings by kind, namespace, name and container, vulnerabilities by package.
 */
function compareSubjects(a: Finding, b: Finding): number {
  if (a.source !== b.source) return compareText(a.source, b.source);
  if (a.source === 'posture' && b.source === 'posture')
    return (
      compareText(a.resource.kind, b.resource.kind) ||
      compareText(a.resource.namespace ?? '', b.resource.namespace ?? '') ||
      compareText(a.resource.name, b.resource.name) ||
      compareText(a.container ?? '', b.container ?? '')
    );
  if (a.source === 'vulnerability' && b.source === 'vulnerability')
    return (
      compareText(a.package.ecosystem, b.package.ecosystem) ||
      compareText(a.package.name, b.package.name) ||
      compareText(a.package.version, b.package.version)
    );
  return 0;
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
