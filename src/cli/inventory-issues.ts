// What `scan-image` and `scan-deps` do with the problems met while taking inventory: each goes into the report
// and, escaped (they carry names from the image or directory), onto stderr; a file that could not be read at all
// makes the scan incomplete, whatever the findings, so the command exits 3.
import type { EngineNotice } from '../core/engine.ts';
import type { LoadIssue } from '../core/errors.ts';
import type { InventoryIssue } from '../image/inventory-issue.ts';
import { terminalSafe } from '../outputs/terminal-text.ts';
import type { CliIo } from './io.ts';

/** Warnings (entries left out) and information are notices of the report; errors are its load issues. */
export function inventoryNotices(issues: readonly InventoryIssue[]): EngineNotice[] {
  return issues
    .filter((issue) => issue.severity !== 'error')
    .map((issue) => ({ severity: issue.severity === 'info' ? 'info' : 'warning', message: issue.message }));
}

/**
 * Files that could not be read at all, as errors of the report against the target: its summary counts them, SARIF
 * says the run did not succeed, JUnit fails its inputs suite. The scan is incomplete, whatever the findings.
 */
export function inventoryLoadIssues(target: string, issues: readonly InventoryIssue[]): LoadIssue[] {
  return issues
    .filter((issue) => issue.severity === 'error')
    .map((issue) => ({
      severity: 'error',
      code: 'read-failed',
      message: issue.message,
      file: target,
      line: 0,
      column: 0,
    }));
}

export function printInventoryIssues(command: string, issues: readonly InventoryIssue[], io: CliIo): void {
  for (const issue of issues)
    if (issue.severity !== 'info')
      io.stderr.write(`palisade ${command}: ${issue.severity}: ${terminalSafe(issue.message)}\n`);
}

/** True when something could not be read at all; the command then says so and exits 3. */
export function inventoryIncomplete(command: string, issues: readonly InventoryIssue[], io: CliIo): boolean {
  if (!issues.some((issue) => issue.severity === 'error')) return false;
  io.stderr.write(`palisade ${command}: the scan is incomplete (see the errors above)\n`);
  return true;
}
