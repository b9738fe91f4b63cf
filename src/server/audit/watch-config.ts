// Everything `palisade watch` was asked to do, after argument parsing.
import type { Priority } from '../../detect/priority.ts';
import type { RateLimit } from '../../detect/rate-limiter.ts';

export type OutputSpec =
  | { kind: 'stdout' }
  | { kind: 'file'; path: string }
  | { kind: 'webhook' | 'slack'; url: string };

export interface WatchConfig {
  listen?: {
    host: string;
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
  minPriority: Priority;
  rateLimit: RateLimit;
  ledger?: { dir: string; keyFile: string };
  failOn?: Priority;
}
