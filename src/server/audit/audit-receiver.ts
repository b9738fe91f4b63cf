// The HTTP handler for kube-apiserver's audit webhook backend: POSTed EventList batches (also a single Event or
// a JSON array), authenticated, at most 12 MiB, queued for detection and answered at once. Errors are answered
// with a status the API server understands (401, 405, 413, 400, 503 with Retry-After) and never crash the server.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AuditEvent } from '../../detect/audit-event.ts';
import { eventsFromValue } from '../../detect/audit-event.ts';
import type { Logger } from '../json-log.ts';
import { type MetricsRegistry, PROMETHEUS_CONTENT_TYPE } from '../metrics.ts';
import { readBody } from '../read-body.ts';
import type { ReceiverAuthenticator } from './receiver-auth.ts';

export const MAX_AUDIT_BODY_BYTES = 12 * 1024 * 1024;

export interface AuditReceiverOptions {
  path: string;
  authenticator: ReceiverAuthenticator;
  /** Takes a batch for detection: true once it is safely held (queued, or written to the spool); false when busy. */
  accept: (events: AuditEvent[]) => boolean | Promise<boolean>;
  /** What waits for detection, for /healthz: events (memory queue) or bytes (spool), as `backlogUnit` says. */
  backlog: () => number;
  backlogUnit?: 'events' | 'bytes';
  logger: Logger;
  maxBodyBytes?: number;
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
  const handler = (request: IncomingMessage, response: ServerResponse): void => {
    stats.requests++;
    handle(request, response).catch((error: Error) => {
      options.logger.error('audit receiver failed', { error: error.message });
      reply(response, 500, { error: 'internal error' });
    });
  };

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'https://receiver');
    if (request.method === 'GET' && (url.pathname === '/healthz' || url.pathname === '/readyz')) {
      reply(response, 200, {
        status: 'ok',
        queued: options.backlog(),
        queuedUnit: options.backlogUnit ?? 'events',
      });
      return;
    }
    if (request.method === 'GET' && url.pathname === '/metrics' && options.metrics !== undefined) {
      const text = options.metrics.render();
      response.writeHead(200, {
        'content-type': PROMETHEUS_CONTENT_TYPE,
        'content-length': Buffer.byteLength(text),
      });
      response.end(text);
      return;
    }
    if (url.pathname !== options.path) {
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
      reply(response, 401, { error: 'unauthorized' });
      request.resume();
      return;
    }
    const body = await readBody(request, {
      maxBytes: options.maxBodyBytes ?? MAX_AUDIT_BODY_BYTES,
      timeoutMs: options.bodyTimeoutMs ?? 30_000,
    });
    if (!body.ok) {
      stats.rejected++;
      reply(response, body.status, { error: body.reason }, { connection: 'close' });
      return;
    }
    let value: unknown;
    try {
      value = JSON.parse(body.body.toString('utf8'));
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
    for (const issue of parsed.issues.slice(0, 5))
      options.logger.warn('audit webhook batch item skipped', { reason: issue.message });
    if (parsed.issues.length > 5)
      options.logger.warn('audit webhook batch item skipped', {
        reason: `${parsed.issues.length - 5} more item(s) of this batch skipped`,
      });
    let accepted: boolean;
    try {
      accepted = await options.accept(parsed.events);
    } catch (error) {
      options.logger.error('audit batch could not be kept', { problem: (error as Error).message });
      accepted = false;
    }
    if (!accepted) {
      answer(
        response,
        503,
        { error: 'detection backlog full or spool unwritable; retry' },
        { 'retry-after': '1' },
      );
      return;
    }
    stats.batches++;
    stats.events += parsed.events.length;
    received?.inc({}, parsed.events.length);
    reply(response, 200, { accepted: parsed.events.length, skipped: parsed.issues.length });
  }

  return { handler, stats };
}
