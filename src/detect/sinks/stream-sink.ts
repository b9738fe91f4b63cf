// JSON lines on a stream (stdout): one Falco-shaped alert per line.
import type { Alert } from '../alert.ts';
import type { AlertSink } from './alert-sink.ts';

export class StreamSink implements AlertSink {
  readonly name: string;
  private readonly stream: NodeJS.WritableStream;

  constructor(stream: NodeJS.WritableStream, name = 'stdout') {
    this.stream = stream;
    this.name = name;
  }

  write(alert: Alert): void {
    this.stream.write(`${JSON.stringify(alert)}\n`);
  }

  async flush(): Promise<void> {}

  async close(): Promise<void> {}
}
