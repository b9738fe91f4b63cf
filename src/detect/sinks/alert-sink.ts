// Where alerts go. A sink accepts alerts without blocking detection; `flush` waits until what was written is
// delivered (or given up on, for remote sinks) and `close` releases the sink.
import type { Alert } from '../alert.ts';

export interface AlertSink {
  readonly name: string;
  /**
   * A record that must hold every alert (the ledger): it gets each alert as detected, before rate limiting,
   * which only spares people and chat channels, and no rate-limit summaries.
   */
  readonly complete?: boolean;
  write(alert: Alert): void;
  flush(): Promise<void>;
  close(): Promise<void>;
}

export type SinkFailureReporter = (sink: string, message: string) => void;
