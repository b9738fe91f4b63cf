// Appends every alert to the tamper-evident ledger (src/ledger), in order; `flush` waits until the appended
// alerts are durable. An append that fails is reported, never silently lost from the report.
import { type AlertLedger, openLedger } from '../../ledger/index.ts';
import type { Alert } from '../alert.ts';
import type { AlertSink, SinkFailureReporter } from './alert-sink.ts';

export class LedgerSink implements AlertSink {
  readonly complete = true;
  readonly name: string;
  private readonly ledger: AlertLedger;
  private readonly onFailure: SinkFailureReporter | undefined;
  private chain: Promise<void> = Promise.resolve();
  appended = 0;
  failed = 0;

  private constructor(ledger: AlertLedger, dir: string, onFailure: SinkFailureReporter | undefined) {
    this.ledger = ledger;
    this.name = `ledger:${dir}`;
    this.onFailure = onFailure;
  }

  static async open(
    dir: string,
    signingKeyFile: string,
    onFailure?: SinkFailureReporter,
  ): Promise<LedgerSink> {
    const ledger = await openLedger({ dir, origin: 'palisade/alerts', signingKeyFile });
    return new LedgerSink(ledger, dir, onFailure);
  }

  write(alert: Alert): void {
    const entry = JSON.stringify(alert);
    this.chain = this.chain.then(async () => {
      try {
        await this.ledger.append(entry);
        this.appended++;
      } catch (error) {
        this.failed++;
        this.onFailure?.(this.name, `append failed: ${(error as Error).message}`);
      }
    });
  }

  flush(): Promise<void> {
    return this.chain;
  }

  async close(): Promise<void> {
    await this.chain;
    await this.ledger.close();
  }
}
