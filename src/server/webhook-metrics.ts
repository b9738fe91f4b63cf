// The admission webhook's metrics, declared once.
import { type Counter, type Gauge, type Histogram, MetricsRegistry } from './metrics.ts';

export interface WebhookMetrics {
  registry: MetricsRegistry;
  requests: Counter;
  decisions: Counter;
  violations: Counter;
  latency: Histogram;
  errors: Counter;
  reloads: Counter;
  bodyBytesInFlight: Gauge;
}

export function createWebhookMetrics(): WebhookMetrics {
  const registry = new MetricsRegistry();
  return {
    registry,
    requests: registry.counter(
      'palisade_webhook_requests_total',
      'HTTP requests by endpoint and status code.',
      ['endpoint', 'code'],
    ),
    decisions: registry.counter(
      'palisade_webhook_decisions_total',
      'Admission decisions by endpoint, operation, kind and outcome (allowed, denied, skipped, patched, unchanged, error).',
      ['endpoint', 'operation', 'kind', 'outcome'],
    ),
    violations: registry.counter(
      'palisade_webhook_violations_total',
      'Rule violations found at admission, by rule and mode (enforce, warn, audit).',
      ['rule', 'mode'],
    ),
    latency: registry.histogram(
      'palisade_webhook_request_duration_seconds',
      'Time from request received to response written, by endpoint.',
      ['endpoint'],
    ),
    errors: registry.counter(
      'palisade_webhook_errors_total',
      'Requests that failed: malformed (400/413/408), overloaded (503: the in-flight body budget is spent), internal or namespace-lookup (answered by the failure mode).',
      ['endpoint', 'type'],
    ),
    reloads: registry.counter(
      'palisade_webhook_reloads_total',
      'Policy and certificate reloads, by what and result.',
      ['what', 'result'],
    ),
    bodyBytesInFlight: registry.gauge(
      'palisade_webhook_body_bytes_in_flight',
      'Request body bytes reserved by requests being read or evaluated (bounded by the in-flight body budget).',
    ),
  };
}
