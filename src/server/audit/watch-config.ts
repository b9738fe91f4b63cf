// Everything `palisade watch` was asked to do, after argument parsing.
import type { Priority } from '../../detect/priority.ts';
import type { RateLimit } from '../../detect/rate-limiter.ts';

export type OutputSpec =
  | { kind: 'stdout' }
  | { kind: 'file'; path: string }
  | { kind: 'webhook' | 'slack'; url: string };

export interface WatchConfig {
  listen?: {
    /** Omitted: every address, IPv6 and IPv4. */
    host?: string;
    port: number;
    certFile: string;
    keyFile: string;
    tokenFiles: string[];
    clientCaFile?: string;
    clientNames: string[];
    path: string;
    maxQueueEvents: number;
    /** Accepted batches are written (fsynced) here before the receiver answers; detection follows the file. */
    spoolFile?: string;
    /** With a spool: above this many unprocessed spooled bytes the receiver answers 503 (Retry-After). */
    spoolMaxBacklogBytes?: number;
  };
  file?: { path: string; stateFile?: string; from: 'start' | 'end'; once: boolean; pollMs: number };
  stdin: boolean;
  rulesFiles: string[];
  builtinTuning: string[];
  builtin: boolean;
  matching: 'first' | 'all';
  snapshots: string[];
  allowedSources?: string[];
  secretBurst: RateLimit;
  bindingWindowMs: number;
  outputs: OutputSpec[];
  outputCaFile?: string;
  /** Accept plain http:// webhook/slack URLs (`--insecure-sink`). */
  insecureSinks?: boolean;
  minPriority: Priority;
  rateLimit: RateLimit;
  ledger?: { dir: string; keyFile: string };
  failOn?: Priority;
}
