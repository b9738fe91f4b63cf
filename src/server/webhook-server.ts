// The admission webhook server assembled: reloading policy and TLS credentials, metrics, JSON logs, the handler,
// and the listening socket. `palisade webhook serve`, the tests and the benchmark all start it through here.
import type { FailureMode } from '../admission/policy-config.ts';
import type { NamespaceLabelLookup } from '../admission/validation-decision.ts';
import type { Rule } from '../core/rule.ts';
import { builtinRules } from '../rules/index.ts';
import { listenHttps } from './https-listen.ts';
import type { Logger } from './json-log.ts';
import { PolicyReloader } from './policy-reloader.ts';
import { ReloadingTlsCredentials } from './tls-reload.ts';
import { createWebhookHandler } from './webhook-app.ts';
import { createWebhookMetrics, type WebhookMetrics } from './webhook-metrics.ts';

export interface WebhookServerOptions {
  /** Omitted: every address, IPv6 and IPv4 (see listenHttps). */
  host?: string;
  port: number;
  certFile: string;
  keyFile: string;
  policyFile?: string;
  logger: Logger;
  rules?: readonly Rule[];
  failureMode?: FailureMode;
  /** How often certificate and policy files are checked for changes. */
  reloadIntervalMs?: number;
  requestTimeoutMs?: number;
  /** Connections open at once; more are refused on accept (see listenHttps). */
  maxConnections?: number;
  /** Bytes of request bodies held at once, all connections together; more are answered 503. */
  maxBodyBytesInFlight?: number;
  namespaceLabels?: NamespaceLabelLookup;
  ensureNamespace?: (namespace: string) => Promise<void>;
}

export interface RunningWebhook {
  host: string;
  port: number;
  metrics: WebhookMetrics;
  credentials: ReloadingTlsCredentials;
  policy: PolicyReloader;
  /**
   * Marks the server not ready (/readyz answers 503, answers ask clients to reconnect elsewhere), keeps serving for
   * `drainMs` so that the endpoint is gone from the API server's view before the listener closes, then closes,
   * letting requests in flight finish for up to `graceMs`.
   */
  close(graceMs?: number, drainMs?: number): Promise<void>;
}

export async function startWebhookServer(options: WebhookServerOptions): Promise<RunningWebhook> {
  const { logger } = options;
  const metrics = createWebhookMetrics();
  const policy = new PolicyReloader({
    rules: options.rules ?? builtinRules,
    intervalMs: options.reloadIntervalMs ?? 5000,
    // A policy file edited in place may parse while half-written (cut before its images section): it is loaded
    // only once a second read, a quarter second later, finds it unchanged.
    settleMs: 250,
    ...(options.policyFile !== undefined ? { file: options.policyFile } : {}),
    onReload: (compiled) => {
      metrics.reloads.inc({ what: 'policy', result: 'ok' });
      logger.info('policy reloaded', { file: compiled.policy.origin });
    },
    onError: (error) => {
      metrics.reloads.inc({ what: 'policy', result: 'error' });
      logger.error('policy reload failed; the previous policy stays in force', { error: error.message });
    },
  });
  const credentials = new ReloadingTlsCredentials({
    certFile: options.certFile,
    keyFile: options.keyFile,
    intervalMs: options.reloadIntervalMs ?? 5000,
    onReload: () => {
      metrics.reloads.inc({ what: 'certificate', result: 'ok' });
      logger.info('TLS certificate reloaded', { cert: options.certFile });
    },
    onError: (error) => {
      metrics.reloads.inc({ what: 'certificate', result: 'error' });
      logger.error('TLS certificate reload failed; the previous certificate stays in use', {
        error: error.message,
      });
    },
  });
  const compiled = await policy.start();
  try {
    await credentials.start();
  } catch (error) {
    policy.stop();
    throw error;
  }
  let ready = true;
  const handler = createWebhookHandler({
    policy: () => policy.current,
    metrics,
    logger,
    isReady: () => ready,
    requestTimeoutMs: options.requestTimeoutMs ?? 10_000,
    ...(options.maxBodyBytesInFlight !== undefined
      ? { maxBodyBytesInFlight: options.maxBodyBytesInFlight }
      : {}),
    ...(options.failureMode !== undefined ? { failureMode: options.failureMode } : {}),
    ...(options.namespaceLabels ? { namespaceLabels: options.namespaceLabels } : {}),
    ...(options.ensureNamespace ? { ensureNamespace: options.ensureNamespace } : {}),
  });
  let listening: Awaited<ReturnType<typeof listenHttps>>;
  try {
    listening = await listenHttps({
      ...(options.host !== undefined ? { host: options.host } : {}),
      port: options.port,
      credentials,
      handler,
      requestTimeoutMs: (options.requestTimeoutMs ?? 10_000) + 1000,
      ...(options.maxConnections !== undefined ? { maxConnections: options.maxConnections } : {}),
    });
  } catch (error) {
    policy.stop();
    credentials.stop();
    throw error;
  }
  logger.info('webhook listening', {
    host: listening.host,
    port: listening.port,
    policy: compiled.policy.origin,
    failureMode: options.failureMode ?? compiled.policy.failureMode,
  });
  return {
    host: listening.host,
    port: listening.port,
    metrics,
    credentials,
    policy,
    async close(graceMs, drainMs = 0) {
      ready = false;
      if (drainMs > 0) {
        logger.info('shutting down: not ready, still answering', { drainSeconds: drainMs / 1000 });
        await new Promise((resolve) => setTimeout(resolve, drainMs));
      }
      policy.stop();
      credentials.stop();
      await listening.close(graceMs);
      logger.info('webhook stopped');
    },
  };
}
