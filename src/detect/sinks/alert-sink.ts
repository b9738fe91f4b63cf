// Where alerts go. A sink accepts alerts without blocking detection; `flush` waits until what was written is
// delivered (or given up on, for remote sinks) and `close` releases the sink.
import type { Alert } from '../alert.ts';

export interface AlertSink {
  readonly name: string;
  write(alert: Alert): void;
  flush(): Promise<void>;
  close(): Promise<void>;
}

export type SinkFailureReporter = (sink: string, message: string) => void;
