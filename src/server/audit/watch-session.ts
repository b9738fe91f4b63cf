// Runs `palisade watch`: builds the engine (Falco rules files, built-ins, snapshot state), opens the sinks and
// the ledger, starts the inputs (HTTPS receiver, log follower, stdin) and shuts down cleanly on abort: inputs
// stop first, accepted batches are processed, sinks flushed, the ledger checkpointed and closed.
import { stat } from 'node:fs/promises';
import { hostname } from 'node:os';
import { resolve } from 'node:path';
import { PalisadeError } from '../../core/errors.ts';
import { delay } from '../../detect/abortable-delay.ts';
import { AlertPipeline } from '../../detect/alert-pipeline.ts';
import type { AuditParseResult } from '../../detect/audit-event.ts';
import { DetectionEngine } from '../../detect/engine.ts';
import { AuditLogFollower } from '../../detect/inputs/log-follower.ts';
import { readEventStream } from '../../detect/inputs/stdin-events.ts';
import { atLeast } from '../../detect/priority.ts';
import { AlertRateLimiter } from '../../detect/rate-limiter.ts';
import { type ListeningServer, listenHttps } from '../https-listen.ts';
import type { Logger } from '../json-log.ts';
import { MetricsRegistry } from '../metrics.ts';
import { parseCertificates } from '../pem-certificates.ts';
import { ReloadingTlsCredentials } from '../tls-reload.ts';
import { createAuditReceiver } from './audit-receiver.ts';
import { AuditBatchQueue } from './batch-queue.ts';
import { ClientCertRequestingCredentials } from './client-cert-credentials.ts';
import { ReceiverAuthenticator } from './receiver-auth.ts';
import { AuditSpool, DEFAULT_SPOOL_MAX_BACKLOG_BYTES, spoolIntake } from './spool.ts';
import { buildRulesets, buildState, openSinks, readText } from './watch-components.ts';
import type { WatchConfig } from './watch-config.ts';

/** Skipped inputs named one by one per batch; the rest are counted in one line. */
const MAX_NAMED_ISSUES = 20;
export interface WatchIo {
  stdout: NodeJS.WritableStream;
  stdin: NodeJS.ReadableStream;
  cwd: string;
  signal?: AbortSignal;
  logger: Logger;
  now: () => Date;
  /** Called once the inputs are up (tests wait for it; it gives the bound port). */
  onReady?: (info: { port?: number }) => void;
}

export interface WatchSummary {
  events: number;
  duplicates: number;
  alerts: number;
  failOnReached: boolean;
}

export async function runWatchSession(config: WatchConfig, io: WatchIo): Promise<WatchSummary> {
  const { logger } = io;
  const rulesets = await buildRulesets(config, io.cwd, logger);
  const state = await buildState(config, io.cwd, logger);
  const engine = new DetectionEngine({
    rulesets,
    state,
    now: io.now,
    hostname: hostname(),
    minPriority: config.minPriority,
    // A rule that fails on an event is a miss: said on its 1st, 10th, 100th... failure, never silently.
    onRuleError: (report) =>
      logger.warn('rule failed on an event', {
        rule: report.rule,
        problem: report.message,
        count: report.count,
      }),
  });
  const sinks = await openSinks(config, io);
  const pipeline = new AlertPipeline({
    engine,
    sinks,
    ...(config.rateLimit.limit > 0 ? { rateLimiter: new AlertRateLimiter(config.rateLimit) } : {}),
  });
  // Each skipped input is counted; the first few of a batch are named, so a flood of bad lines cannot flood the log.
  const reportIssues = (batch: AuditParseResult) => {
    for (const issue of batch.issues.slice(0, MAX_NAMED_ISSUES))
      logger.warn('input skipped', { origin: issue.origin, line: issue.line, problem: issue.message });
    const more = batch.issues.length - MAX_NAMED_ISSUES;
    if (more > 0) {
      const first = batch.issues[MAX_NAMED_ISSUES]!;
      logger.warn('input skipped', {
        origin: first.origin,
        ...(first.line > 0 ? { line: first.line } : {}),
        problem: `${more} more input line(s) or item(s) of this batch skipped, from this one on`,
      });
    }
  };
  const handleBatch = async (batch: AuditParseResult) => {
    reportIssues(batch);
    pipeline.process(batch.events);
    await pipeline.flush();
  };
  const ticker = setInterval(() => pipeline.tick(), 1000);
  ticker.unref();

  const tasks: Promise<void>[] = [];
  let server: ListeningServer | undefined;
  let queue: AuditBatchQueue | undefined;
  let spool: AuditSpool | undefined;
  let spoolReader: AuditLogFollower | undefined;
  let credentials: ReloadingTlsCredentials | undefined;
  try {
    if (config.listen !== undefined) {
      const listen = config.listen;
      const tokens: string[] = [];
      for (const path of listen.tokenFiles) {
        const text = await readText(resolve(io.cwd, path), 'token file');
        const found = text
          .split('\n')
          .map((line) => line.trim())
          .filter((line) => line !== '');
        if (found.length === 0)
          throw new PalisadeError('usage', `--token-file ${path} holds no token (one per line)`);
        tokens.push(...found);
      }
      const cas =
        listen.clientCaFile === undefined
          ? []
          : parseCertificates(
              await readText(resolve(io.cwd, listen.clientCaFile), 'client CA file'),
              listen.clientCaFile,
            );
      const authenticator = new ReceiverAuthenticator({
        bearerTokens: tokens,
        clientCas: cas,
        clientNames: listen.clientNames,
      });
      if (!authenticator.configured)
        throw new PalisadeError(
          'usage',
          'watch --listen needs --token-file or --client-ca: the receiver never accepts unauthenticated events',
        );
      const CredentialsClass = authenticator.wantsClientCertificate
        ? ClientCertRequestingCredentials
        : ReloadingTlsCredentials;
      credentials = new CredentialsClass({
        certFile: resolve(io.cwd, listen.certFile),
        keyFile: resolve(io.cwd, listen.keyFile),
        onReload: () => logger.info('TLS certificate reloaded'),
        onError: (error) => logger.warn('TLS certificate reload failed', { problem: error.message }),
      });
      await credentials.start();
      const metrics = new MetricsRegistry();
      metrics.gauge(
        'palisade_detect_events',
        'Audit events processed by detection (after deduplication).',
        [],
        () => engine.stats.events,
      );
      metrics.gauge(
        'palisade_detect_duplicate_events',
        'Repeated deliveries dropped on (auditID, stage).',
        [],
        () => engine.stats.duplicates,
      );
      metrics.gauge(
        'palisade_detect_alerts',
        'Alerts raised before rate limiting.',
        [],
        () => engine.stats.alerts,
      );
      metrics.gauge(
        'palisade_detect_alerts_emitted',
        'Alerts sent to the sinks (including aggregated ones).',
        [],
        () => pipeline.emitted,
      );
      metrics.gauge(
        'palisade_detect_rule_errors',
        'Rule evaluations that failed on an event.',
        [],
        () => engine.stats.ruleErrors,
      );
      metrics.gauge(
        'palisade_audit_backlog_events',
        'Accepted events waiting for detection (memory queue).',
        [],
        () => queue?.depth ?? 0,
      );
      let receiver: ReturnType<typeof createAuditReceiver>;
      if (listen.spoolFile !== undefined) {
        // Durable path: batches are on disk before the API server hears 200; detection follows the spool.
        const spoolPath = resolve(io.cwd, listen.spoolFile);
        const openedSpool = await AuditSpool.open(spoolPath);
        spool = openedSpool;
        const spoolFollower = new AuditLogFollower({
          path: spoolPath,
          stateFile: `${spoolPath}.offset`,
          from: 'start',
          pollMs: 100,
          onBatch: handleBatch,
          onNotice: (message) => logger.debug('spool', { note: message }),
        });
        spoolReader = spoolFollower;
        tasks.push(
          (async () => {
            while (!io.signal?.aborted) {
              await spoolFollower.poll();
              await openedSpool.compactIfDrained(spoolFollower.handledOffset);
              await delay(100, io.signal);
            }
          })(),
        );
        const intake = spoolIntake(
          openedSpool,
          () => spoolFollower.handledOffset,
          listen.spoolMaxBacklogBytes ?? DEFAULT_SPOOL_MAX_BACKLOG_BYTES,
        );
        metrics.gauge(
          'palisade_audit_spool_backlog_bytes',
          'Spooled bytes waiting for detection (the receiver answers 503 above --spool-max-backlog).',
          [],
          intake.backlog,
        );
        metrics.gauge(
          'palisade_audit_spool_refused_batches',
          'Batches refused with 503 because the spool backlog was over its limit.',
          [],
          intake.refused,
        );
        receiver = createAuditReceiver({
          path: listen.path,
          authenticator,
          accept: intake.accept,
          backlog: intake.backlog,
          backlogUnit: 'bytes',
          logger,
          metrics,
        });
      } else {
        const memoryQueue = new AuditBatchQueue({
          maxEvents: listen.maxQueueEvents,
          process: async (events) => {
            pipeline.process(events);
            await pipeline.flush();
          },
          onError: (error) => logger.error('detection failed for a batch', { problem: error.message }),
        });
        queue = memoryQueue;
        metrics.gauge(
          'palisade_audit_queue_refused_batches',
          'Batches refused with 503 because the memory queue (--max-queue) was full.',
          [],
          () => memoryQueue.refused,
        );
        receiver = createAuditReceiver({
          path: listen.path,
          authenticator,
          accept: (events) => memoryQueue.offer(events),
          backlog: () => memoryQueue.depth,
          logger,
          metrics,
        });
      }
      server = await listenHttps({
        ...(listen.host !== undefined ? { host: listen.host } : {}),
        port: listen.port,
        credentials,
        handler: receiver.handler,
        requestTimeoutMs: 60_000,
      });
      logger.info('audit webhook receiver listening', {
        host: server.host,
        port: server.port,
        path: listen.path,
      });
    }
    if (config.file !== undefined) {
      const file = config.file;
      if (file.stateFile === undefined && !file.once)
        logger.warn('no --state-file: a restart reads the audit log again from --from', { from: file.from });
      const logPath = resolve(io.cwd, file.path);
      const logInfo = await stat(logPath).catch((error: NodeJS.ErrnoException) => {
        if (error.code === 'ENOENT') return undefined;
        throw new PalisadeError('input-unreadable', `audit log ${logPath}: ${error.message}`, {
          cause: error,
        });
      });
      if (logInfo !== undefined && !logInfo.isFile())
        throw new PalisadeError('input-unreadable', `audit log ${logPath} is not a regular file`);
      if (logInfo === undefined) {
        if (file.once) throw new PalisadeError('input-not-found', `audit log ${logPath} does not exist`);
        logger.warn('audit log', { problem: `${logPath} does not exist yet; waiting for it to appear` });
      }
      const follower = new AuditLogFollower({
        path: logPath,
        ...(file.stateFile !== undefined ? { stateFile: resolve(io.cwd, file.stateFile) } : {}),
        from: file.from,
        pollMs: file.pollMs,
        onBatch: handleBatch,
        onNotice: (message) => logger.warn('audit log', { problem: message }),
      });
      if (file.once)
        tasks.push(
          follower
            .poll()
            .then(() => {
              // Not read: a line without its newline may still be being written; the offset stays before it.
              const tail = follower.unterminatedTail;
              if (tail)
                logger.warn('audit log', {
                  problem: `${logPath}: the last ${tail.length} byte(s), from byte ${tail.offset}, end without a newline; not read (an event still being written?)`,
                });
            })
            .finally(() => follower.close()),
        );
      else tasks.push(follower.run(io.signal));
    }
    if (config.stdin) tasks.push(readEventStream(io.stdin, 'stdin', handleBatch, io.signal));
    io.onReady?.(server === undefined ? {} : { port: server.port });
    await Promise.all(tasks);
    if (server !== undefined && !io.signal?.aborted) {
      await new Promise<void>((done) => {
        if (io.signal === undefined) return; // without a signal the receiver runs until the process ends
        io.signal.addEventListener('abort', () => done(), { once: true });
      });
    }
  } finally {
    clearInterval(ticker);
    if (server !== undefined) await server.close();
    credentials?.stop();
    if (queue !== undefined) await queue.drain();
    if (spoolReader !== undefined) {
      // Everything the receiver accepted before it closed is on disk; process it before stopping.
      await spoolReader.poll();
      await spoolReader.close();
    }
    await spool?.close();
    await pipeline.close();
  }
  const summary: WatchSummary = {
    events: engine.stats.events,
    duplicates: engine.stats.duplicates,
    alerts: pipeline.emitted,
    failOnReached:
      config.failOn !== undefined &&
      pipeline.mostSevere !== undefined &&
      atLeast(pipeline.mostSevere, config.failOn),
  };
  logger.info('watch stopped', {
    events: summary.events,
    duplicates: summary.duplicates,
    alerts: summary.alerts,
    ruleErrors: engine.stats.ruleErrors,
  });
  return summary;
}
