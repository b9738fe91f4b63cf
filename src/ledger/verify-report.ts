// What `ledger verify` found: every problem with the file and position where it is, and a summary.

export type ProblemKind =
  | 'entry-altered'
  | 'entry-deleted'
  | 'entry-inserted'
  | 'entry-moved'
  | 'entries-truncated'
  | 'entries-unsigned'
  | 'torn-write'
  | 'leaf-altered'
  | 'leaves-truncated'
  | 'checkpoint-malformed'
  | 'checkpoint-signature'
  | 'checkpoint-origin'
  | 'checkpoint-order'
  | 'checkpoint-root'
  | 'checkpoint-beyond-log'
  | 'latest-checkpoint'
  | 'trusted-checkpoint'
  | 'proof';

export interface LedgerProblem {
  kind: ProblemKind;
  /** Errors fail verification; warnings (only unsigned entries, when allowed) do not. */
  severity: 'error' | 'warning';
  message: string;
  file: string;
  /** Byte offset in `file` where the problem starts. */
  offset: number;
  /** 1-based line in `file` (not given for leaves.bin, which has no lines). */
  line?: number;
  /** First entry index concerned, and how many, when the problem is about entries. */
  entryIndex?: number;
  entryCount?: number;
  /** 1-based position of the checkpoint in checkpoints.log, when about a checkpoint. */
  checkpoint?: number;
}

/** Where verification steps report problems; severity defaults to error. */
export type ProblemSink = (
  problem: Omit<LedgerProblem, 'severity'> & { severity?: LedgerProblem['severity'] },
) => void;

export interface LedgerVerification {
  ok: boolean;
  dir: string;
  origin?: string;
  entries: number;
  checkpoints: number;
  /** The largest tree size a valid signed checkpoint vouches for and the log matches. */
  verifiedSize: number;
  /** Tree head of all entries in the log as read (signed or not). */
  rootHash: string;
  proofsChecked: { inclusion: number; consistency: number };
  problems: LedgerProblem[];
}

export function formatVerificationText(result: LedgerVerification): string {
  const lines: string[] = [];
  for (const problem of result.problems) {
    const where =
      problem.line === undefined ? `byte ${problem.offset}` : `line ${problem.line}, byte ${problem.offset}`;
    lines.push(`${problem.severity}: ${problem.file} (${where}): ${problem.message} [${problem.kind}]`);
  }
  const errors = result.problems.filter((problem) => problem.severity === 'error').length;
  lines.push(
    `${result.ok ? 'OK' : 'FAILED'}: ${result.dir}: ${result.entries} entries, ${result.checkpoints} checkpoints` +
      `${result.origin ? ` (origin ${result.origin})` : ''}, signed and verified up to size ${result.verifiedSize}; ` +
      `${result.proofsChecked.inclusion} inclusion and ${result.proofsChecked.consistency} consistency proofs checked` +
      `${errors > 0 ? `; ${errors} error(s)` : ''}`,
  );
  return `${lines.join('\n')}\n`;
}
