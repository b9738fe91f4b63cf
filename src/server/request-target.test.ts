import assert from 'node:assert/strict';
import { test } from 'node:test';
import { requestTarget } from './request-target.ts';
import { apiServerTimeoutMs } from './webhook-app.ts';

test('request targets split directly read the same as through WHATWG URL', () => {
  const targets = [
    '/validate',
    '/validate?timeout=10s',
    '/mutate?timeout=2s&x=1',
    '/metrics?',
    '/validate?timeout=1%30s',
    '/validate?timeout=10 s',
    '/validate?timeout=10s#frag',
    '/validate/../mutate?timeout=3s',
    '/%76alidate?timeout=3s',
    '//validate',
    '/Validate',
    'https://other.example/validate?timeout=4s',
    '*',
    '/',
    '',
  ];
  for (const raw of targets) {
    const url = new URL(raw, 'https://server.invalid');
    const target = requestTarget(raw);
    assert.ok(target, raw);
    assert.equal(target.path, url.pathname, raw);
    assert.deepEqual([...target.query], [...url.searchParams], raw);
  }
});

test('a target WHATWG URL cannot read is undefined, not an exception', () => {
  for (const raw of ['//[', 'http://%zz/', '//a b/']) assert.equal(requestTarget(raw), undefined, raw);
});

test('the API server timeout reads ms, s and m, and ignores anything else', () => {
  const timeout = (raw: string) => apiServerTimeoutMs((requestTarget(raw) ?? assert.fail(raw)).query);
  assert.equal(timeout('/validate?timeout=10s'), 10_000);
  assert.equal(timeout('/validate?timeout=250ms'), 250);
  assert.equal(timeout('/validate?timeout=1.5m'), 90_000);
  assert.equal(timeout('/validate?timeout=10'), undefined);
  assert.equal(timeout('/validate'), undefined);
});
