// A stable order for findings: by file, line, column, then rule, so that reports diff cleanly between runs.
import type { Finding } from '../core/finding.ts';
import { formatRef } from '../core/kube-object.ts';

function place(finding: Finding): [string, number, number] {
  const location = finding.location;
  if (location.type === 'file') return [location.file, location.line, location.column];
  return [formatRef(finding.resource), 0, 0];
}

export function compareFindings(a: Finding, b: Finding): number {
  const [fileA, lineA, columnA] = place(a);
  const [fileB, lineB, columnB] = place(b);
  if (fileA !== fileB) return fileA < fileB ? -1 : 1;
  if (lineA !== lineB) return lineA - lineB;
  if (columnA !== columnB) return columnA - columnB;
  if (a.ruleId !== b.ruleId) return a.ruleId < b.ruleId ? -1 : 1;
  return a.message < b.message ? -1 : a.message > b.message ? 1 : 0;
}
