import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MAX_LABEL_VALUE_LENGTH, MetricsRegistry } from './metrics.ts';

describe('MetricsRegistry', () => {
  it('renders counters, gauges and cumulative histograms in the Prometheus text format', () => {
    const registry = new MetricsRegistry();
    const requests = registry.counter('app_requests_total', 'Requests.', ['code']);
    registry.gauge('app_up', 'Up.', [], () => 1);
    const latency = registry.histogram('app_seconds', 'Latency.', ['path'], [0.1, 1]);
    requests.inc({ code: '200' });
    requests.inc({ code: '200' }, 2);
    latency.observe(0.05, { path: '/a' });
    latency.observe(0.5, { path: '/a' });
    latency.observe(5, { path: '/a' });
    const text = registry.render();
    assert.match(text, /# TYPE app_requests_total counter\napp_requests_total\{code="200"\} 3\n/);
    assert.match(text, /app_up 1\n/);
    assert.match(
      text,
      /app_seconds_bucket\{path="\/a",le="0.1"\} 1\napp_seconds_bucket\{path="\/a",le="1"\} 2\napp_seconds_bucket\{path="\/a",le="\+Inf"\} 3\napp_seconds_sum\{path="\/a"\} 5.55\napp_seconds_count\{path="\/a"\} 3\n/,
    );
  });

  it('escapes label values and refuses invalid names, unknown labels and decreasing counters', () => {
    const registry = new MetricsRegistry();
    const counter = registry.counter('x_total', 'X.', ['rule']);
    counter.inc({ rule: 'a"b\\c\nd' });
    assert.match(registry.render(), /x_total\{rule="a\\"b\\\\c\\nd"\} 1/);
    assert.throws(() => registry.counter('bad-name', 'X.'), /invalid metric name/);
    assert.throws(() => counter.inc({ other: 'x' }), /no label "other"/);
    assert.throws(() => counter.inc({}, -1), /only increase/);
    assert.throws(() => registry.counter('x_total', 'again'), /registered twice/);
  });

  it('keeps at most maxSeries label sets per metric, counting the rest under one overflow series', () => {
    const registry = new MetricsRegistry();
    const counter = registry.counter('c_total', 'C.', ['kind', 'op']);
    const histogram = registry.histogram('h_seconds', 'H.', ['kind'], [1]);
    counter.maxSeries = 3;
    histogram.maxSeries = 3;
    for (let index = 0; index < 1000; index++) {
      counter.inc({ kind: `k${index}`, op: 'CREATE' });
      histogram.observe(0.5, { kind: `k${index}` });
    }
    counter.inc({ kind: 'k0', op: 'CREATE' });
    assert.equal(counter.get({ kind: 'k0', op: 'CREATE' }), 2);
    assert.equal(counter.get({ kind: 'overflow', op: 'overflow' }), 997);
    const text = registry.render();
    assert.equal(text.match(/^c_total\{/gm)?.length, 4);
    assert.equal(text.match(/^h_seconds_count\{/gm)?.length, 4);
    assert.match(text, /h_seconds_count\{kind="overflow"\} 997\n/);
  });

  it('cuts long label values and keeps NUL characters from shifting labels', () => {
    const registry = new MetricsRegistry();
    const counter = registry.counter('c_total', 'C.', ['kind', 'op']);
    counter.inc({ kind: 'x'.repeat(1_000_000), op: 'a\u0000b' });
    const text = registry.render();
    assert.ok(text.length < 400, `rendered ${text.length} characters`);
    assert.match(text, new RegExp(`c_total\\{kind="x{${MAX_LABEL_VALUE_LENGTH}}",op="a b"\\} 1\n`));
  });
});
