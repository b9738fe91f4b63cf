// The explicit registry of report writers: one file per format, one line here per file.
import { PalisadeError } from '../core/errors.ts';
import type { OutputOptions, ScanReport } from '../core/report.ts';
import { renderJson, renderJsonChunks } from './json.ts';
import { renderJunit } from './junit.ts';
import { renderSarif } from './sarif.ts';
import { renderTable, renderTableChunks } from './table.ts';

/** Turns a report into the text to write; pure, so the CLI decides where it goes. */
export type ReportWriter = (report: ScanReport, options: OutputOptions) => string;

export const OUTPUT_FORMATS = ['table', 'json', 'sarif', 'junit'] as const;

export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

const WRITERS: Record<OutputFormat, ReportWriter> = {
  table: renderTable,
  json: renderJson,
  sarif: renderSarif,
  junit: renderJunit,
};

export function isOutputFormat(format: string): format is OutputFormat {
  return (OUTPUT_FORMATS as readonly string[]).includes(format);
}

function checkedFormat(format: string): OutputFormat {
  if (!isOutputFormat(format))
    throw new PalisadeError(
      'usage',
      `unknown output format "${format}": expected one of ${OUTPUT_FORMATS.join(', ')}`,
    );
  return format;
}

export function renderReport(format: string, report: ScanReport, options: OutputOptions): string {
  return WRITERS[checkedFormat(format)](report, options);
}

/**
 * The report in pieces to write one after the other. JSON comes in pieces of about 1 MiB, so a report larger than
 * one string can hold (a cluster of 100,000 pods with --include-owned) is still written; the others as one piece.
 */
export function renderReportPieces(
  format: string,
  report: ScanReport,
  options: OutputOptions,
): Iterable<string> {
  const checked = checkedFormat(format);
  if (checked === 'json') return renderJsonChunks(report, options);
  if (checked === 'table') return renderTableChunks(report, options);
  return [WRITERS[checked](report, options)];
}
