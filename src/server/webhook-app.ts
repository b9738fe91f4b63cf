// The admission webhook's HTTP handler: /validate and /mutate (AdmissionReview in, AdmissionReview out), /healthz,
// /readyz and /metrics. Malformed reviews get 400 with the reason; an internal error is logged and answered by the
// configured failure mode; every request gets an answer within its deadline.
import { isUtf8 } from 'node:buffer';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { gateRequest } from '../admission/admission-gate.ts';
import { type AdmissionResponse, MAX_WARNINGS, reviewResponse } from '../admission/admission-response.ts';
import type { AdmissionRequest } from '../admission/admission-review.ts';
import { parseAdmissionReview } from '../admission/admission-review.ts';
import type { CompiledPolicy } from '../admission/compiled-policy.ts';
import { mutateRequest } from '../admission/mutation-decision.ts';
import type { FailureMode } from '../admission/policy-config.ts';
import {
  type DecisionContext,
  type NamespaceLabelLookup,
  validateRequest,
} from '../admission/validation-decision.ts';
import { jsonErrorMessage } from '../core/quiet-json.ts';
import type { Logger } from './json-log.ts';
import { deepNestingOffset, jsonNestsDeeperThan, valueNestsDeeperThan } from './json-nesting.ts';
import { PROMETHEUS_CONTENT_TYPE } from './metrics.ts';
import { BodyBudget, readBody } from './read-body.ts';
import { requestTarget } from './request-target.ts';
import { TurnBatch } from './turn-batch.ts';
import type { WebhookMetrics } from './webhook-metrics.ts';

/** Kubernetes accepts objects up to 3 MiB; the review wraps the object and the old object, hence the margin. */
export const MAX_REVIEW_BYTES = Math.floor(3.5 * 1024 * 1024);
/** Real objects nest a few dozen levels; the review adds two. */
export const MAX_REVIEW_DEPTH = 200;
/** Bodies larger than this are checked for nesting before JSON.parse, smaller ones after (json-nesting.ts). */
const PRESCAN_BYTES = 64 * 1024;
/**
 * Review bodies held at once across all connections (read, parsed or being decided). 3.5 MiB per request times
 * 1024 connections would be 3.5 GiB; the API server sends a handful at a time, far below this.
 */
export const DEFAULT_MAX_BODY_BYTES_IN_FLIGHT = 64 * 1024 * 1024;
/** Seconds a client refused for the body budget is asked to wait. */
const OVERLOADED_RETRY_AFTER_SECONDS = 1;
const OPERATION_LABELS: ReadonlySet<string> = new Set(['CREATE', 'UPDATE', 'DELETE', 'CONNECT']);

export interface WebhookAppOptions {
  policy: () => CompiledPolicy;
  metrics: WebhookMetrics;
  logger: Logger;
  namespaceLabels?: NamespaceLabelLookup;
  /** Called before a decision that needs a namespace's labels, to fetch them when they are not known yet. */
  ensureNamespace?: (namespace: string) => Promise<void>;
  isReady: () => boolean;
  /** Deadline for a whole request when the API server does not send `?timeout=`. */
  requestTimeoutMs: number;
  /** Overrides the policy's failure mode (the command-line flag). */
  failureMode?: FailureMode;
  now?: () => Date;
  /** Bytes of request bodies held at once (default DEFAULT_MAX_BODY_BYTES_IN_FLIGHT); more get 503. */
  maxBodyBytesInFlight?: number;
  /** Test hook: replaces the decision to simulate internal errors. */
  decide?: (endpoint: Endpoint, request: AdmissionRequest) => AdmissionResponse;
}

type Endpoint = 'validate' | 'mutate';

function send(
  response: ServerResponse,
  status: number,
  contentType: string,
  body: string,
  close = false,
  extra: Record<string, string> = {},
): void {
  if (response.headersSent) return;
  const headers: Record<string, string | number> = {
    'content-type': contentType,
    'content-length': Buffer.byteLength(body),
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
    ...extra,
  };
  if (close) headers.connection = 'close';
  response.writeHead(status, headers);
  response.end(body);
}

/** `?timeout=10s` as the API server appends it; undefined when absent or unreadable. */
export function apiServerTimeoutMs(query: URLSearchParams): number | undefined {
  const text = query.get('timeout');
  const match = text ? /^(\d+(?:\.\d+)?)(ms|s|m)$/.exec(text) : null;
  if (!match) return undefined;
  const value = Number(match[1]);
  const unit = match[2];
  return unit === 'ms' ? value : unit === 's' ? value * 1000 : value * 60_000;
}

export function createWebhookHandler(options: WebhookAppOptions) {
  const { metrics, logger } = options;
  // Reviews that arrive in the same event-loop turn are decided together and answered together (turn-batch.ts).
  const turn = new TurnBatch((error) =>
    logger.error('unhandled error writing an admission response', { error: String(error) }),
  );
  const now = options.now ?? (() => new Date());
  const budget = new BodyBudget(options.maxBodyBytesInFlight ?? DEFAULT_MAX_BODY_BYTES_IN_FLIGHT, (inUse) =>
    metrics.bodyBytesInFlight.set(inUse),
  );
  // Label values come from closed sets, never from the request as sent: a client controls `kind` and could
  // otherwise grow the registry (and /metrics) without bound.
  const labels = (request: AdmissionRequest) => ({
    operation: OPERATION_LABELS.has(request.operation) ? request.operation : 'other',
    kind: options.policy().checksKind(request.kind.kind) ? request.kind.kind : 'other',
  });

  const decide = (endpoint: Endpoint, request: AdmissionRequest): AdmissionResponse => {
    if (options.decide) return options.decide(endpoint, request);
    const policy = options.policy();
    if (endpoint === 'mutate') {
      const decision = mutateRequest(request, policy);
      metrics.decisions.inc({ endpoint, ...labels(request), outcome: decision.outcome });
      for (const step of decision.mutation?.steps ?? [])
        if (step.outcome === 'failed')
          logger.error('rule fix failed', { uid: request.uid, rule: step.ruleId, error: step.detail });
      if (decision.outcome === 'patched')
        logger.info('admission mutation', {
          uid: request.uid,
          operation: request.operation,
          kind: request.kind.kind,
          namespace: request.namespace,
          name: request.name,
          user: request.userInfo.username,
          dryRun: request.dryRun,
          mutated: decision.response.auditAnnotations?.mutated,
        });
      return decision.response;
    }
    const context: DecisionContext = { policy, now: now() };
    if (options.namespaceLabels) context.namespaceLabels = options.namespaceLabels;
    if (options.failureMode) context.failureMode = options.failureMode;
    const decision = validateRequest(request, context);
    metrics.decisions.inc({ endpoint, ...labels(request), outcome: decision.outcome });
    for (const result of decision.results)
      if (result.findings.length > 0)
        metrics.violations.inc({ rule: result.ruleId, mode: result.mode }, result.findings.length);
    for (const error of decision.errors)
      logger.error('rule failed', { uid: request.uid, rule: error.ruleId, error: error.message });
    if (decision.outcome !== 'skipped')
      logger.info('admission decision', {
        uid: request.uid,
        operation: request.operation,
        kind: request.kind.kind,
        namespace: request.namespace,
        name: request.name,
        user: request.userInfo.username,
        dryRun: request.dryRun,
        allowed: decision.response.allowed,
        enforced: decision.response.auditAnnotations?.['enforce-violations'],
      });
    return decision.response;
  };

  const failureMode = () => options.failureMode ?? options.policy().policy.failureMode;

  /** `what` went wrong, as the user reads it: "had an internal error", "could not read namespace labels". */
  const failureResponse = (
    uid: string,
    error: unknown,
    what = 'had an internal error',
  ): AdmissionResponse => {
    const detail = error instanceof Error ? error.message : String(error);
    if (failureMode() === 'allow')
      return {
        uid,
        allowed: true,
        warnings: [`Palisade ${what}; allowed by failure mode allow`],
        auditAnnotations: { decision: 'allowed-on-error' },
      };
    return {
      uid,
      allowed: false,
      status: {
        code: 500,
        reason: 'InternalError',
        message: `Palisade ${what} (${detail.slice(0, 200)}); denied by failure mode deny`,
      },
      auditAnnotations: { decision: 'denied-on-error' },
    };
  };

  /**
   * The namespace whose labels the decision will read, if any: for a validation the admission gate lets through
   * (exempt namespaces and users, other kinds and operations never wait on the API server, as in Pod Security
   * Admission), under a policy that honours labels, in a cluster.
   */
  const namespaceToRead = (endpoint: Endpoint, request: AdmissionRequest): string | undefined => {
    if (endpoint !== 'validate' || !options.ensureNamespace) return undefined;
    const policy = options.policy();
    if (!policy.policy.namespaceLabels || !gateRequest(request, policy).evaluate) return undefined;
    return request.namespace;
  };

  /** Fetches the namespace's labels when not known yet; the error when they cannot be read. */
  const namespaceLabelsFailure = async (
    endpoint: Endpoint,
    namespace: string,
  ): Promise<Error | undefined> => {
    try {
      await options.ensureNamespace?.(namespace);
      return undefined;
    } catch (error) {
      metrics.errors.inc({ endpoint, type: 'namespace-lookup' });
      return error instanceof Error ? error : new Error(String(error));
    }
  };

  const withLabelsWarning = (answer: AdmissionResponse): AdmissionResponse => {
    const note =
      'Palisade could not read the namespace labels; judged by the policy alone (failure mode allow)';
    const others = answer.warnings ?? [];
    return {
      ...answer,
      // Within the response's limit: the note first, then as many of the others as fit.
      warnings: [note, ...others.slice(0, MAX_WARNINGS - 1)],
      auditAnnotations: { ...answer.auditAnnotations, 'namespace-labels': 'unavailable' },
    };
  };

  const review = async (
    endpoint: Endpoint,
    query: URLSearchParams,
    request: IncomingMessage,
    response: ServerResponse,
  ) => {
    if (request.method !== 'POST') {
      response.setHeader('allow', 'POST');
      return send(response, 405, 'text/plain', 'use POST with an AdmissionReview\n');
    }
    const type = request.headers['content-type'] ?? '';
    // `application/json`, with parameters or not; not `application/json-patch+json` or `application/json.x`.
    if (!/^application\/json\s*(?:;|$)/i.test(type)) {
      metrics.errors.inc({ endpoint, type: 'malformed' });
      return send(response, 415, 'text/plain', 'Content-Type must be application/json\n', true);
    }
    const deadline = apiServerTimeoutMs(query) ?? options.requestTimeoutMs;
    const body = await readBody(request, { maxBytes: MAX_REVIEW_BYTES, timeoutMs: deadline, budget });
    if (!body.ok) {
      const overloaded = body.status === 503;
      metrics.errors.inc({ endpoint, type: overloaded ? 'overloaded' : 'malformed' });
      logger.warn('request body rejected', { endpoint, status: body.status, reason: body.reason });
      const extra: Record<string, string> = overloaded
        ? { 'retry-after': String(OVERLOADED_RETRY_AFTER_SECONDS) }
        : {};
      return send(response, body.status, 'text/plain', `${body.reason}\n`, true, extra);
    }
    // The bytes stay reserved while the body and what is parsed from it are alive: until the answer is sent.
    if (response.closed) body.release();
    else response.once('close', body.release);
    await turn.gate();
    // The API server sends UTF-8 JSON; other bytes would be read as U+FFFD and judged as something else.
    if (!isUtf8(body.body)) {
      metrics.errors.inc({ endpoint, type: 'malformed' });
      return send(response, 400, 'text/plain', 'body is not valid UTF-8\n');
    }
    const text = body.body.toString('utf8');
    // Everything that walks the value afterwards (rules, diffs, JSON.stringify) recurses, so the nesting is bounded.
    // A large body is measured before it is parsed: a hostile nesting makes JSON.parse itself slow (half a second
    // for 3.5 MiB of brackets). A review of ordinary size is measured after, over its few hundred values.
    const scanned = body.body.length > PRESCAN_BYTES;
    let tooDeep = scanned && jsonNestsDeeperThan(body.body, MAX_REVIEW_DEPTH);
    let decoded: unknown;
    if (!tooDeep) {
      try {
        decoded = JSON.parse(text);
      } catch (error) {
        metrics.errors.inc({ endpoint, type: 'malformed' });
        // The API server shows a webhook's error body to users and in its logs: never a piece of the review.
        return send(
          response,
          400,
          'text/plain',
          `body is not valid JSON: ${jsonErrorMessage((error as Error).message)}\n`,
        );
      }
      tooDeep = !scanned && valueNestsDeeperThan(decoded, MAX_REVIEW_DEPTH);
    }
    if (tooDeep) {
      metrics.errors.inc({ endpoint, type: 'malformed' });
      return send(
        response,
        400,
        'text/plain',
        `body nests deeper than ${MAX_REVIEW_DEPTH} levels (at offset ${deepNestingOffset(text, MAX_REVIEW_DEPTH)})\n`,
      );
    }
    const parsed = parseAdmissionReview(decoded);
    if (!parsed.ok) {
      metrics.errors.inc({ endpoint, type: 'malformed' });
      logger.warn('malformed AdmissionReview', { endpoint, reason: parsed.reason });
      return send(response, 400, 'text/plain', `malformed AdmissionReview: ${parsed.reason}\n`);
    }
    // Awaited only when needed: every other request goes on without a turn of the event loop.
    const namespace = namespaceToRead(endpoint, parsed.request);
    const labelsUnreadable =
      namespace === undefined ? undefined : await namespaceLabelsFailure(endpoint, namespace);
    let answer: AdmissionResponse;
    if (labelsUnreadable !== undefined && failureMode() === 'deny') {
      // As Pod Security Admission, which denies when it cannot look the namespace up.
      metrics.decisions.inc({ endpoint, ...labels(parsed.request), outcome: 'error' });
      answer = failureResponse(parsed.request.uid, labelsUnreadable, 'could not read the namespace labels');
    } else
      try {
        answer = decide(endpoint, parsed.request);
        // Failure mode allow: judged by the policy's own modes, which is more than an unevaluated allow; said.
        if (labelsUnreadable !== undefined) answer = withLabelsWarning(answer);
      } catch (error) {
        metrics.errors.inc({ endpoint, type: 'internal' });
        metrics.decisions.inc({ endpoint, ...labels(parsed.request), outcome: 'error' });
        logger.error('internal error during admission', {
          endpoint,
          uid: parsed.request.uid,
          error: error instanceof Error ? (error.stack ?? error.message) : String(error),
        });
        answer = failureResponse(parsed.request.uid, error);
      }
    const reply = JSON.stringify(reviewResponse(parsed.request.apiVersion, answer));
    // Shutting down: the API server's next call opens a new connection, to a replica that stays.
    const close = !options.isReady();
    turn.write(() => {
      try {
        send(response, 200, 'application/json', reply, close);
      } catch (error) {
        // Never leave the API server waiting for its timeout: a reset connection meets its failure policy now.
        logger.error('admission response could not be written', { endpoint, error: String(error) });
        response.destroy();
      }
    });
  };

  return (request: IncomingMessage, response: ServerResponse): void => {
    const started = process.hrtime.bigint();
    const target = requestTarget(request.url ?? '/');
    const path = target?.path ?? '';
    const endpoint =
      path === '/validate' || path === '/mutate'
        ? path.slice(1)
        : path === '/healthz' || path === '/readyz' || path === '/metrics'
          ? path.slice(1)
          : 'other';
    response.on('finish', () => {
      metrics.requests.inc({ endpoint, code: String(response.statusCode) });
      if (endpoint === 'validate' || endpoint === 'mutate')
        metrics.latency.observe(Number(process.hrtime.bigint() - started) / 1e9, { endpoint });
    });
    const run = async () => {
      // A target WHATWG URL cannot read (`//[`) is the client's mistake: answered, never thrown out of the handler.
      if (!target) return send(response, 400, 'text/plain', 'invalid request target\n', true);
      const { query } = target;
      switch (path) {
        case '/validate':
        case '/mutate':
          return review(path.slice(1) as Endpoint, query, request, response);
        case '/healthz':
          return send(response, 200, 'text/plain', 'ok\n');
        case '/readyz':
          return options.isReady()
            ? send(response, 200, 'text/plain', 'ready\n')
            : send(response, 503, 'text/plain', 'not ready\n');
        case '/metrics':
          return send(response, 200, PROMETHEUS_CONTENT_TYPE, metrics.registry.render());
        default:
          return send(response, 404, 'text/plain', 'not found\n');
      }
    };
    run().catch((error: unknown) => {
      // Only a bug gets here (every expected failure is answered above): answer rather than hang the caller.
      logger.error('unhandled error in request handler', { path, error: String(error) });
      send(response, 500, 'text/plain', 'internal error\n', true);
    });
  };
}
