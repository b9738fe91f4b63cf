// Whether what could not be read puts a question's answer in doubt (palisade rbac, palisade netpol). A snapshot taken
// by an identity that may not list Secrets says so; an RBAC or reachability answer never reads Secrets, so it is still
// complete and the command should not exit "incomplete" for it. What an answer read is what the inventory recorded.
import type { LoadIssue } from '../core/errors.ts';
import type { Inventory } from '../core/inventory.ts';

export interface AnswerIssues {
  /** The issues to print: a kind the answer never read is no longer an error, and says so. */
  issues: LoadIssue[];
  /** Some error remains: the answer may be missing something. */
  incomplete: boolean;
}

/** Call after the answer is computed, on an inventory built with `recordReads`. */
export function issuesForAnswer(issues: readonly LoadIssue[], inventory: Inventory): AnswerIssues {
  const out = issues.map((issue) =>
    issue.severity === 'error' &&
    issue.code === 'not-scanned' &&
    issue.kind !== undefined &&
    inventory.wasRead(issue.kind) === false
      ? {
          ...issue,
          severity: 'warning' as const,
          message: `${issue.message}; this answer does not read ${issue.kind} objects`,
        }
      : issue,
  );
  return { issues: out, incomplete: out.some((issue) => issue.severity === 'error') };
}
