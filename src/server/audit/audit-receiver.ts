// The HTTP handler for kube-apiserver's audit webhook backend: POSTed EventList batches (also a single Event or
// a JSON array), authenticated, at most 12 MiB and 512 levels deep, queued for detection and answered at once.
// Errors are answered with a status the API server understands (401, 405, 413, 400, 503 with Retry-After) and
// never crash the server. Every answer is counted by status in /metrics.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AuditEvent } from '../../detect/audit-event.ts';
import { eventsFromValue } from '../../detect/audit-event.ts';
import type { Logger } from '../json-log.ts';
import { deepNestingOffset, jsonNestsDeeperThan } from '../json-nesting.ts';
import { type MetricsRegistry, PROMETHEUS_CONTENT_TYPE } from '../metrics.ts';
import { BodyBudget, readBody } from '../read-body.ts';
import { requestTarget } from '../request-target.ts';
import type { ReceiverAuthenticator } from './receiver-auth.ts';

export const MAX_AUDIT_BODY_BYTES = 12 * 1024 * 1024;
/**
 * Bytes of batch bodies held at once across every request, until each batch is parsed and handed over: five
 * full batches. An API server sends its batches one after another, so more at once means a flood; it gets 503.
 */
export const DEFAULT_MAX_AUDIT_BODY_BYTES_IN_FLIGHT = 5 * MAX_AUDIT_BODY_BYTES;
/**
 * Deepest nesting of a webhook body (EventList, items, event, requestObject...): far beyond real objects, checked
 * before parsing so that nothing that walks an event later can exhaust the stack (answered 400, not 500).
 */
const MAX_AUDIT_DEPTH = 512;
/** Refused batches (503) are logged at most once per this many milliseconds, with the count since the last line. */
const REFUSAL_LOG_INTERVAL_MS = 10_000;

/** What `accept` did with a batch when it kept only part of it. */
export interface AcceptVerdict {
  /** True once the kept events are safely held; false when busy (answered 503, the API server retries). */
  held: boolean;
  /** Events of the batch (by index) not kept because they could not be stored; the rest were. */
  unstorable?: readonly { index: number; reason: string }[];
}

export interface AuditReceiverOptions {
  path: string;
  authenticator: ReceiverAuthenticator;
  /** Takes a batch for detection: true once it is safely held (queued, or written to the spool); false when busy. */
  accept: (events: AuditEvent[]) => boolean | AcceptVerdict | Promise<boolean | AcceptVerdict>;
  /** What waits for detection, for /healthz: events (memory queue) or bytes (spool), as `backlogUnit` says. */
  backlog: () => number;
  backlogUnit?: 'events' | 'bytes';
  logger: Logger;
  maxBodyBytes?: number;
  /** Bytes of bodies held at once (default DEFAULT_MAX_AUDIT_BODY_BYTES_IN_FLIGHT); more get 503 and a retry. */
  maxBodyBytesInFlight?: number;
  bodyTimeoutMs?: number;
  /** Served at GET /metrics (Prometheus text format) when given. */
  metrics?: MetricsRegistry;
}

export interface ReceiverStats {
  requests: number;
  batches: number;
  events: number;
  rejected: number;
}

function answer(
  response: ServerResponse,
  status: number,
  body: Record<string, unknown>,
  headers: Record<string, string> = {},
): void {
  if (response.headersSent) return;
  const text = JSON.stringify(body);
  response.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
    ...headers,
  });
  response.end(text);
}

export function createAuditReceiver(options: AuditReceiverOptions) {
  const stats: ReceiverStats = { requests: 0, batches: 0, events: 0, rejected: 0 };
  const inFlight = options.metrics?.gauge(
    'palisade_audit_webhook_body_bytes_in_flight',
    'Audit batch body bytes reserved by requests being read or parsed (bounded by the in-flight body budget).',
  );
  const budget = new BodyBudget(
    options.maxBodyBytesInFlight ?? DEFAULT_MAX_AUDIT_BODY_BYTES_IN_FLIGHT,
    (inUse) => inFlight?.set(inUse),
  );
  const answers = options.metrics?.counter(
    'palisade_audit_webhook_responses_total',
    'Audit webhook responses by HTTP status.',
    ['code'],
  );
  const received = options.metrics?.counter(
    'palisade_audit_webhook_events_total',
    'Audit events accepted by the webhook receiver.',
  );
  const reply = (
    response: ServerResponse,
    status: number,
    body: Record<string, unknown>,
    headers: Record<string, string> = {},
  ) => {
    answers?.inc({ code: String(status) });
    answer(response, status, body, headers);
  };
  // 503s come in floods when detection falls behind: one log line per interval, with how many there were.
  let refusalsUnlogged = 0;
  let lastRefusalLog = Number.NEGATIVE_INFINITY;
  const logRefusal = (reason: string, problem?: string) => {
    refusalsUnlogged++;
    const now = Date.now();
    if (now - lastRefusalLog < REFUSAL_LOG_INTERVAL_MS) return;
    lastRefusalLog = now;
    const fields = { reason, refused: refusalsUnlogged, ...(problem !== undefined ? { problem } : {}) };
    if (problem !== undefined) options.logger.error('audit webhook batches refused (503)', fields);
    else options.logger.warn('audit webhook batches refused (503); the API server retries them', fields);
    refusalsUnlogged = 0;
  };
  const handler = (request: IncomingMessage, response: ServerResponse): void => {
    stats.requests++;
    handle(request, response).catch((error: Error) => {
      options.logger.error('audit receiver failed', { error: error.message });
      reply(response, 500, { error: 'internal error' });
    });
  };

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const target = requestTarget(request.url ?? '/');
    if (!target) {
      reply(response, 400, { error: 'invalid request target' });
      return;
    }
    if (request.method === 'GET' && (target.path === '/healthz' || target.path === '/readyz')) {
      reply(response, 200, {
        status: 'ok',
        queued: options.backlog(),
        queuedUnit: options.backlogUnit ?? 'events',
      });
      return;
    }
    if (request.method === 'GET' && target.path === '/metrics' && options.metrics !== undefined) {
      const text = options.metrics.render();
      response.writeHead(200, {
        'content-type': PROMETHEUS_CONTENT_TYPE,
        'content-length': Buffer.byteLength(text),
      });
      response.end(text);
      return;
    }
    if (target.path !== options.path) {
      reply(response, 404, { error: `not found; audit events go to ${options.path}` });
      return;
    }
    if (request.method !== 'POST') {
      reply(response, 405, { error: 'use POST' }, { allow: 'POST' });
      return;
    }
    const auth = options.authenticator.authenticate(request);
    if (!auth.ok) {
      stats.rejected++;
      options.logger.warn('audit webhook request refused', {
        reason: auth.reason,
        remote: request.socket.remoteAddress,
      });
      // Nothing of an unauthenticated body is read: the connection closes once the answer is out, so a client
      // without credentials cannot stream data (or hold a slow body) for as long as it likes.
      reply(response, 401, { error: 'unauthorized' }, { connection: 'close' });
      response.once('finish', () => request.socket.destroy());
      return;
    }
    const body = await readBody(request, {
      maxBytes: options.maxBodyBytes ?? MAX_AUDIT_BODY_BYTES,
      timeoutMs: options.bodyTimeoutMs ?? 30_000,
      budget,
    });
    if (!body.ok) {
      stats.rejected++;
      if (body.status === 503) logRefusal('too many batch bodies in flight');
      const retry: Record<string, string> = body.status === 503 ? { 'retry-after': '1' } : {};
      reply(response, body.status, { error: body.reason }, { connection: 'close', ...retry });
      return;
    }
    try {
      await handleBody(body.body, response);
    } finally {
      body.release();
    }
  }

  async function handleBody(bytes: Buffer, response: ServerResponse): Promise<void> {
    if (jsonNestsDeeperThan(bytes, MAX_AUDIT_DEPTH)) {
      stats.rejected++;
      const offset = deepNestingOffset(bytes.toString('utf8'), MAX_AUDIT_DEPTH);
      reply(response, 400, {
        error: `body nests deeper than ${MAX_AUDIT_DEPTH} levels (at offset ${offset})`,
      });
      return;
    }
    let value: unknown;
    try {
      value = JSON.parse(bytes.toString('utf8'));
    } catch (error) {
      stats.rejected++;
      reply(response, 400, { error: `invalid JSON: ${(error as Error).message}` });
      return;
    }
    const parsed = eventsFromValue(value, 'webhook', 0);
    if (parsed.events.length === 0 && parsed.issues.length > 0) {
      stats.rejected++;
      reply(response, 400, { error: parsed.issues[0]!.message });
      return;
    }
    let verdict: AcceptVerdict;
    try {
      const outcome = await options.accept(parsed.events);
      verdict = typeof outcome === 'boolean' ? { held: outcome } : outcome;
    } catch (error) {
      logRefusal('audit batch could not be kept', (error as Error).message);
      verdict = { held: false };
    }
    if (!verdict.held) {
      if (verdict.unstorable === undefined) logRefusal('detection backlog full or spool over its limit');
      reply(
        response,
        503,
        { error: 'detection backlog full or spool unwritable; retry' },
        { 'retry-after': '1' },
      );
      return;
    }
    const skipped = [
      ...parsed.issues.map((issue) => issue.message),
      ...(verdict.unstorable ?? []).map(
        (item) =>
          `event ${JSON.stringify(parsed.events[item.index]?.auditID.slice(0, 64))} not kept: ${item.reason}`,
      ),
    ];
    const kept = parsed.events.length - (verdict.unstorable?.length ?? 0);
    for (const reason of skipped.slice(0, 5))
      options.logger.warn('audit webhook batch item skipped', { reason });
    if (skipped.length > 5)
      options.logger.warn('audit webhook batch item skipped', {
        reason: `${skipped.length - 5} more item(s) of this batch skipped`,
      });
    if (kept === 0 && parsed.events.length > 0) {
      // Nothing of it can be kept, and a retry would not change that.
      stats.rejected++;
      reply(response, 413, { error: skipped[skipped.length - 1]! });
      return;
    }
    stats.batches++;
    stats.events += kept;
    received?.inc({}, kept);
    reply(response, 200, { accepted: kept, skipped: skipped.length });
  }

  return { handler, stats };
}
