// HTTP webhook sink (Falcosidekick, a SIEM collector, Slack-compatible chat): one POST per alert, delivered in
// order by one worker, retried with exponential backoff and jitter on network errors, 408, 429 and 5xx.
// The queue is bounded; when a receiver stays down the oldest alerts are dropped and counted, never silently.
import { PalisadeError } from '../../core/errors.ts';
import type { Alert } from '../alert.ts';
import type { AlertSink, SinkFailureReporter } from './alert-sink.ts';
import { type PostOptions, postJson } from './http-post.ts';

export interface WebhookSinkOptions extends PostOptions {
  format: 'falco' | 'slack';
  maxAttempts?: number;
  baseDelayMs?: number;
  maxDelayMs?: number;
  maxQueue?: number;
  onFailure?: SinkFailureReporter;
  /** Accept plain http:// URLs (`--insecure-sink`); without it only https:// is accepted. */
  allowInsecure?: boolean;
  /** Injected for tests. */
  sleep?: (ms: number) => Promise<void>;
}

const RETRYABLE = (status: number) => status === 408 || status === 429 || status >= 500;

export function slackPayload(alert: Alert): string {
  const icon = ['Emergency', 'Alert', 'Critical', 'Error'].includes(alert.priority)
    ? ':rotating_light:'
    : alert.priority === 'Warning'
      ? ':warning:'
      : ':information_source:';
  return JSON.stringify({
    text: `${icon} *${alert.priority}* ${alert.rule}\n${alert.output}`,
    username: 'Palisade',
  });
}

export class WebhookSink implements AlertSink {
  readonly name: string;
  private readonly url: URL;
  private readonly options: WebhookSinkOptions;
  private readonly queue: string[] = [];
  private worker: Promise<void> | undefined;
  private closed = false;
  delivered = 0;
  dropped = 0;
  retries = 0;

  constructor(url: string, options: WebhookSinkOptions) {
    const label = options.format === 'slack' ? 'slack' : 'webhook';
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      // Never echo the URL: a Slack webhook's path is its secret.
      throw new PalisadeError('usage', `the ${label} sink URL is not a valid URL`);
    }
    if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:')
      throw new PalisadeError('usage', `the ${label} sink URL must be https:// (got ${parsed.protocol})`);
    if (parsed.protocol === 'http:' && options.allowInsecure !== true)
      throw new PalisadeError(
        'usage',
        `the ${label} sink ${parsed.origin} uses plain http://: alerts (and a Slack webhook's secret path) would travel unencrypted; use https:// or pass --insecure-sink`,
      );
    this.url = parsed;
    this.options = options;
    // Only the origin: the path of a Slack (and many SIEM) webhook URL is its credential, and sink names are logged.
    this.name = `${label}:${parsed.origin}`;
  }

  write(alert: Alert): void {
    if (this.closed) return;
    this.queue.push(this.options.format === 'slack' ? slackPayload(alert) : JSON.stringify(alert));
    const max = this.options.maxQueue ?? 10_000;
    while (this.queue.length > max) {
      this.queue.shift();
      this.dropped++;
    }
    this.worker ??= this.drain().finally(() => {
      this.worker = undefined;
    });
  }

  private async drain(): Promise<void> {
    for (;;) {
      const body = this.queue[0];
      if (body === undefined) return;
      await this.deliver(body);
      this.queue.shift();
    }
  }

  private async deliver(body: string): Promise<void> {
    const maxAttempts = this.options.maxAttempts ?? 8;
    const base = this.options.baseDelayMs ?? 500;
    const cap = this.options.maxDelayMs ?? 30_000;
    const sleep =
      this.options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
    let lastProblem = '';
    for (let attempt = 1; attempt <= maxAttempts; attempt++) {
      let retryAfterMs: number | undefined;
      try {
        const result = await postJson(this.url, body, this.options);
        if (result.status >= 200 && result.status < 300) {
          this.delivered++;
          return;
        }
        lastProblem = `HTTP ${result.status}`;
        if (!RETRYABLE(result.status)) break;
        retryAfterMs = result.retryAfterMs;
      } catch (error) {
        lastProblem = (error as Error).message;
      }
      if (attempt === maxAttempts) break;
      this.retries++;
      const backoff = Math.min(cap, base * 2 ** (attempt - 1));
      await sleep(Math.min(cap, retryAfterMs ?? backoff / 2 + Math.random() * (backoff / 2)));
    }
    this.dropped++;
    this.options.onFailure?.(this.name, `alert not delivered after retries: ${lastProblem}`);
  }

  async flush(): Promise<void> {
    while (this.worker !== undefined) await this.worker;
  }

  async close(): Promise<void> {
    await this.flush();
    this.closed = true;
  }
}
