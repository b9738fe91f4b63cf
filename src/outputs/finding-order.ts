// Which findings a writer shows, and in what order: one place, so every format agrees.
import type { Finding } from '../core/finding.ts';
import { compareFindings } from '../core/finding-order.ts';
import type { OutputOptions, ScanReport } from '../core/report.ts';

/** Findings to show: suppressed ones only with `showSuppressed`; sorted by `compareFindings`. */
export function visibleFindings(report: ScanReport, options: OutputOptions): Finding[] {
  return report.findings
    .filter((finding) => options.showSuppressed || finding.suppressed === undefined)
    .sort(compareFindings);
}
