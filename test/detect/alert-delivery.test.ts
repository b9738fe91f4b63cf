// Alert delivery: rate limiting with aggregated counts, masking of credentials, the webhook sink's retries
// with backoff against a real HTTP server, Slack-compatible payloads, and the file sink.
import assert from 'node:assert/strict';
import { chmod, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { Alert } from '../../src/detect/alert.ts';
import { AGGREGATED_FIELD, AlertRateLimiter, parseRateLimit } from '../../src/detect/rate-limiter.ts';
import { maskSecrets } from '../../src/detect/secret-mask.ts';
import { FileSink } from '../../src/detect/sinks/file-sink.ts';
import { postJson } from '../../src/detect/sinks/http-post.ts';
import { WebhookSink } from '../../src/detect/sinks/webhook-sink.ts';

function alert(rule: string, user = 'alice'): Alert {
  return {
    time: '2026-11-22T10:00:00.000000000Z',
    rule,
    priority: 'Warning',
    output: `10:00:00.000000000: Warning ${rule} (user=${user})`,
    output_fields: { 'ka.user.name': user },
    tags: ['k8s'],
    source: 'k8s_audit',
  };
}

describe('rate limiting', () => {
  it('passes the first N per rule and user in a window and reports the rest in one aggregated alert', () => {
    const limiter = new AlertRateLimiter({ limit: 2, windowMs: 1000 });
    const passed = [0, 1, 2, 3, 4].flatMap((i) => limiter.offer(alert('R'), 100 + i));
    assert.equal(passed.length, 2);
    assert.equal(limiter.offer(alert('R', 'bob'), 200).length, 1, 'another user has its own budget');
    const later = limiter.offer(alert('Other'), 1500);
    const summary = later.find((a) => a.rule === 'R');
    assert.ok(summary);
    // Three held back; the summary is the last of them, so its text counts the other two.
    assert.equal(summary.output_fields[AGGREGATED_FIELD], 3);
    assert.ok(summary.tags.includes('aggregated'));
    assert.match(summary.output, /and 2 more like it/);
    assert.equal(limiter.suppressedTotal, 3);
  });

  it('spares people and chat channels, never the ledger: a complete sink gets every alert', async () => {
    const { AlertPipeline } = await import('../../src/detect/alert-pipeline.ts');
    const sink = (complete: boolean) => {
      const got: string[] = [];
      return {
        got,
        sink: {
          name: complete ? 'ledger' : 'stdout',
          complete,
          write: (a: Alert) => got.push(a.output),
          flush: async () => {},
          close: async () => {},
        },
      };
    };
    const ledger = sink(true);
    const stdout = sink(false);
    const pipeline = new AlertPipeline({
      engine: undefined as never,
      sinks: [ledger.sink, stdout.sink],
      rateLimiter: new AlertRateLimiter({ limit: 2, windowMs: 1000 }),
      nowMs: () => 100,
    });
    const route = (pipeline as unknown as { route(a: Alert): void }).route.bind(pipeline);
    for (let i = 0; i < 5; i++) route(alert('R'));
    await pipeline.close();
    assert.equal(ledger.got.length, 5);
    assert.equal(stdout.got.length, 3);
    assert.match(stdout.got[2] ?? '', /and 2 more like it/);
  });

  it('parses N/SECONDS and 0', () => {
    assert.deepEqual(parseRateLimit('20/60'), { limit: 20, windowMs: 60_000 });
    assert.deepEqual(parseRateLimit('0'), { limit: 0, windowMs: 60_000 });
    assert.equal(parseRateLimit('20'), undefined);
    assert.equal(parseRateLimit('5/0'), undefined);
  });
});

describe('secret masking', () => {
  it('masks credential values in JSON, key=value text, AWS key ids, private keys and bearer tokens', () => {
    const text = maskSecrets(
      'config={"aws_secret_access_key":"wJalrXUtnFEMI/K7MDENG","region":"eu-west-1","id":"AKIAIOSFODNN7EXAMPLE"} password=hunter2 Authorization: Bearer abc.def.ghi -----BEGIN PRIVATE KEY-----\nMIIE\n-----END PRIVATE KEY-----',
    );
    for (const secret of ['wJalrXUtnFEMI', 'AKIAIOSFODNN7EXAMPLE', 'hunter2', 'abc.def.ghi', 'MIIE'])
      assert.ok(!text.includes(secret), `${secret} leaked: ${text}`);
    assert.ok(text.includes('"region":"eu-west-1"'));
  });
});

describe('webhook sink', () => {
  it('retries 503s and network errors with backoff, keeps order, and gives up after max attempts', async () => {
    const received: string[] = [];
    let failuresLeft = 2;
    const server = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk) => {
        body += chunk;
      });
      request.on('end', () => {
        if (failuresLeft-- > 0) {
          response.writeHead(503).end();
          return;
        }
        received.push((JSON.parse(body) as Alert).rule);
        response.writeHead(200).end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/falco`;
    const sleeps: number[] = [];
    const sink = new WebhookSink(url, {
      format: 'falco',
      allowInsecure: true,
      baseDelayMs: 10,
      sleep: async (ms) => void sleeps.push(ms),
    });
    sink.write(alert('first'));
    sink.write(alert('second'));
    await sink.flush();
    assert.deepEqual(received, ['first', 'second']);
    assert.equal(sink.retries, 2);
    assert.equal(sleeps.length, 2);
    assert.ok((sleeps[1] ?? 0) >= 5 && (sleeps[1] ?? 0) <= 20, `backoff grows: ${sleeps}`);
    server.close();

    const failures: string[] = [];
    const dead = new WebhookSink('http://127.0.0.1:9/unreachable', {
      format: 'falco',
      allowInsecure: true,
      maxAttempts: 3,
      sleep: async () => {},
      onFailure: (_sink, message) => failures.push(message),
    });
    dead.write(alert('lost'));
    await dead.close();
    assert.equal(dead.dropped, 1);
    assert.equal(failures.length, 1);
  });

  it('posts Slack-compatible payloads', async () => {
    let payload: unknown;
    const server = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk) => {
        body += chunk;
      });
      request.on('end', () => {
        payload = JSON.parse(body);
        response.writeHead(200).end('ok');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const sink = new WebhookSink(`http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`, {
      format: 'slack',
      allowInsecure: true,
    });
    sink.write(alert('Exec Into Pod'));
    await sink.close();
    server.close();
    assert.match((payload as { text: string }).text, /\*Warning\* Exec Into Pod\n.*user=alice/);
  });

  it('refuses URLs that are not http(s)', () => {
    assert.throws(() => new WebhookSink('ftp://x', { format: 'falco' }), /http/);
  });

  it('requires https unless insecure sinks are allowed, without echoing the URL', () => {
    const secretPath = '/services/T000/B000/XXXXSECRETXXXX';
    for (const format of ['falco', 'slack'] as const) {
      assert.throws(
        () => new WebhookSink(`http://hooks.example${secretPath}`, { format }),
        (error: Error) =>
          /plain http:\/\/.*--insecure-sink/.test(error.message) && !error.message.includes(secretPath),
      );
      assert.ok(new WebhookSink(`http://hooks.example${secretPath}`, { format, allowInsecure: true }));
    }
    assert.throws(
      () => new WebhookSink(`not a url${secretPath}`, { format: 'slack' }),
      (error: Error) => !error.message.includes(secretPath),
    );
  });

  it('names (and so logs) a sink by its origin only: a Slack webhook path is its secret', async () => {
    const secretPath = '/services/T000/B000/XXXXSECRETXXXX';
    const slack = new WebhookSink(`https://hooks.slack.com${secretPath}`, { format: 'slack' });
    assert.equal(slack.name, 'slack:https://hooks.slack.com');
    const reported: string[] = [];
    const dead = new WebhookSink(`http://127.0.0.1:9${secretPath}`, {
      format: 'falco',
      allowInsecure: true,
      maxAttempts: 1,
      onFailure: (sink, message) => reported.push(sink, message),
    });
    dead.write(alert('lost'));
    await dead.close();
    assert.equal(reported.length, 2);
    for (const text of reported) assert.ok(!text.includes(secretPath), text);
  });
});

describe('http post', () => {
  async function serve(handler: Parameters<typeof createServer>[1]) {
    const server = createServer(handler);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return { server, url: new URL(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`) };
  }

  it('rejects (instead of hanging) when the response is over 1 MiB', { timeout: 10_000 }, async () => {
    const { server, url } = await serve((request, response) => {
      request.resume();
      response.writeHead(200);
      const chunk = Buffer.alloc(64 * 1024, 97);
      let sent = 0;
      const pump = () => {
        while (sent < 40) {
          sent++;
          if (!response.write(chunk)) {
            response.once('drain', pump);
            return;
          }
        }
        response.end();
      };
      pump();
    });
    try {
      await assert.rejects(postJson(url, '{}', { timeoutMs: 2000 }), /larger than/);
    } finally {
      server.closeAllConnections();
      server.close();
    }
  });

  it('rejects when the whole exchange exceeds its deadline (a slow-dripping receiver)', {
    timeout: 10_000,
  }, async () => {
    const timers: NodeJS.Timeout[] = [];
    const { server, url } = await serve((request, response) => {
      request.resume();
      response.writeHead(200);
      timers.push(setInterval(() => response.write('x'), 20));
    });
    try {
      const started = Date.now();
      await assert.rejects(postJson(url, '{}', { timeoutMs: 1000, deadlineMs: 300 }), /within 300 ms/);
      assert.ok(Date.now() - started < 2000);
    } finally {
      for (const timer of timers) clearInterval(timer);
      server.closeAllConnections();
      server.close();
    }
  });
});

describe('file sink', () => {
  it('appends JSON lines durably on flush', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'palisade-sink-'));
    try {
      const path = join(dir, 'alerts.jsonl');
      const sink = await FileSink.open(path);
      sink.write(alert('one'));
      sink.write(alert('two'));
      await sink.close();
      const again = await FileSink.open(path);
      again.write(alert('three'));
      await again.close();
      const lines = (await readFile(path, 'utf8'))
        .trim()
        .split('\n')
        .map((line) => (JSON.parse(line) as Alert).rule);
      assert.deepEqual(lines, ['one', 'two', 'three']);
      assert.equal((await stat(path)).mode & 0o777, 0o600);
      // An existing file readable by others is made private before alerts go into it.
      const shared = join(dir, 'shared.jsonl');
      await writeFile(shared, '', { mode: 0o644 });
      await chmod(shared, 0o644);
      await (await FileSink.open(shared)).close();
      assert.equal((await stat(shared)).mode & 0o777, 0o600);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
