// One error class for the whole program; a literal code says what went wrong, so callers branch on codes.

export type ErrorCode =
  | 'usage'
  | 'config-invalid'
  | 'unknown-rule'
  | 'input-not-found'
  | 'input-unreadable'
  | 'output-unwritable'
  | 'rule-invalid'
  | 'unsupported'
  | 'internal';

export class PalisadeError extends Error {
  readonly code: ErrorCode;
  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'PalisadeError';
    this.code = code;
  }
}

/** Issues met while reading input: data, not exceptions, so one bad document never stops the scan. */
export interface LoadIssue {
  severity: 'error' | 'warning' | 'info';
  code:
    | 'yaml-syntax'
    | 'yaml-alias-bomb'
    | 'document-too-large'
    | 'too-deep'
    | 'not-kubernetes'
    | 'incomplete-object'
    | 'invalid-field-type'
    | 'empty-list'
    | 'read-failed'
    | 'duplicate-object'
    | 'config'
    /** A kind a live cluster (or its snapshot) could not be read for: forbidden, unauthorized, or failed. */
    | 'not-scanned'
    /** A file that names itself a ClusterSnapshot but is not a valid one. */
    | 'snapshot-invalid'
    /** An apiVersion the API server no longer serves for the kind: the object cannot be applied as written. */
    | 'removed-api';
  message: string;
  file: string;
  line: number;
  column: number;
  /** The kind a not-scanned issue is about, so that an answer that never reads that kind can say it was not needed. */
  kind?: string;
}
