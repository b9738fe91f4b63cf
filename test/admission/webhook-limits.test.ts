// Resource limits of the webhook server over real TLS on loopback: label values of metrics come from closed sets,
// sockets that never finish a TLS handshake are closed, shutdown does not wait for them, request bodies held at
// once are bounded across connections, and a bad certificate or policy file is reported once per change.
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { request } from 'node:https';
import { connect as connectTcp, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { connect as connectTls } from 'node:tls';
import { CompiledPolicy } from '../../src/admission/compiled-policy.ts';
import { defaultAdmissionPolicy } from '../../src/admission/policy-config.ts';
import { builtinRules } from '../../src/rules/index.ts';
import { type HttpsListenOptions, type ListeningServer, listenHttps } from '../../src/server/https-listen.ts';
import { SILENT_LOGGER } from '../../src/server/json-log.ts';
import { PolicyReloader } from '../../src/server/policy-reloader.ts';
import { ReloadingTlsCredentials } from '../../src/server/tls-reload.ts';
import { createWebhookHandler } from '../../src/server/webhook-app.ts';
import { CERT_FILES, writeWebhookCerts } from '../../src/server/webhook-certs.ts';
import { createWebhookMetrics, type WebhookMetrics } from '../../src/server/webhook-metrics.ts';
import { plainPod, podReview } from './review-fixtures.ts';
import { type HttpReply, httpsRequest, startFixture, type WebhookFixture } from './webhook-fixture.ts';

let dir: string;
let ca: string;
let credentials: ReloadingTlsCredentials;

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'palisade-limits-'));
  await writeWebhookCerts({
    directory: dir,
    service: 'limits',
    namespace: 'test',
    extraNames: ['localhost', '127.0.0.1'],
    days: 1,
    now: new Date(),
    reuseCa: false,
  });
  ca = await readFile(join(dir, CERT_FILES.ca), 'utf8');
  credentials = new ReloadingTlsCredentials({
    certFile: join(dir, CERT_FILES.cert),
    keyFile: join(dir, CERT_FILES.key),
    intervalMs: 60_000,
  });
  await credentials.start();
});
after(async () => {
  credentials?.stop();
  await rm(dir, { recursive: true, force: true });
});

function listen(
  handler: (request: IncomingMessage, response: ServerResponse) => void,
  options: Partial<HttpsListenOptions> = {},
): Promise<ListeningServer> {
  return listenHttps({ host: '127.0.0.1', port: 0, credentials, handler, ...options });
}

const ok = (_request: IncomingMessage, response: ServerResponse) => response.end('ok\n');

/** Raw TCP sockets that never start TLS (or stop after a few bytes of a ClientHello). */
async function silentSockets(port: number, count: number, firstBytes?: Buffer): Promise<Socket[]> {
  const sockets = await Promise.all(
    Array.from(
      { length: count },
      () =>
        new Promise<Socket>((resolve, reject) => {
          const socket = connectTcp(port, '127.0.0.1', () => {
            if (firstBytes) socket.write(firstBytes);
            resolve(socket);
          });
          socket.once('error', reject);
        }),
    ),
  );
  for (const socket of sockets) socket.on('error', () => {});
  return sockets;
}

function closed(socket: Socket): Promise<void> {
  return socket.closed || socket.destroyed
    ? Promise.resolve()
    : new Promise((resolve) => socket.once('close', resolve));
}

function post(port: number, path: string, body: string | Buffer, headers: Record<string, string> = {}) {
  const options = {
    host: '127.0.0.1',
    port,
    method: 'POST',
    path,
    ca,
    servername: 'localhost',
    agent: false,
  };
  return httpsRequest({ ...options, headers: { 'content-type': 'application/json', ...headers } }, body);
}

function get(port: number, path: string) {
  return httpsRequest({
    host: '127.0.0.1',
    port,
    method: 'GET',
    path,
    ca,
    servername: 'localhost',
    agent: false,
  });
}

describe('sockets that never finish the TLS handshake', () => {
  it('are closed after the handshake timeout, so they cannot hold every connection slot', {
    timeout: 15_000,
  }, async () => {
    const server = await listen(ok, { handshakeTimeoutMs: 300, maxConnections: 3 });
    try {
      const sockets = [
        ...(await silentSockets(server.port, 2)),
        ...(await silentSockets(server.port, 1, Buffer.from([0x16, 0x03, 0x01]))),
      ];
      // Node's default handshake timeout (120 s) kept them open far beyond this test's timeout.
      await Promise.all(sockets.map(closed));
      assert.equal((await get(server.port, '/healthz')).status, 200);
    } finally {
      await server.close(100);
    }
  });

  it('does not hold up shutdown past the grace period', { timeout: 10_000 }, async () => {
    const server = await listen(ok, { handshakeTimeoutMs: 60_000 });
    const sockets = [
      ...(await silentSockets(server.port, 3)),
      ...(await silentSockets(server.port, 2, Buffer.from([0x16, 0x03, 0x01]))),
    ];
    // A TLS connection with a request in flight is closed at the end of the grace period too.
    const tls = connectTls({ host: '127.0.0.1', port: server.port, ca, servername: 'localhost' });
    tls.on('error', () => {});
    await new Promise((resolve) => tls.once('secureConnect', resolve));
    tls.write('POST /x HTTP/1.1\r\nHost: x\r\ncontent-length: 10\r\n\r\n');
    const connections = () =>
      new Promise<number>((resolve, reject) =>
        server.server.getConnections((error, count) => (error ? reject(error) : resolve(count))),
      );
    while ((await connections()) < 6) await new Promise((resolve) => setTimeout(resolve, 20));
    // Before, server.close waited for the sockets still in their handshake (Node closes them after 120 s).
    await server.close(200);
    await Promise.all(sockets.map(closed));
  });
});

describe('metric labels from untrusted input', () => {
  let fixture: WebhookFixture;
  before(async () => {
    fixture = await startFixture();
  });
  after(() => fixture?.close());

  it('count kinds no rule checks as "other", so /metrics stays small', async () => {
    for (let index = 0; index < 30; index++) {
      const review = podReview(plainPod()) as { request: { kind: { kind: string } } };
      review.request.kind.kind = `Hostile${index}${'x'.repeat(10_000)}`;
      assert.equal((await fixture.post('/validate', JSON.stringify(review))).status, 200);
    }
    assert.equal((await fixture.post('/validate', JSON.stringify(podReview(plainPod())))).status, 200);
    const metrics = await fixture.get('/metrics');
    assert.ok(metrics.body.length < 20_000, `/metrics is ${metrics.body.length} characters`);
    assert.doesNotMatch(metrics.body, /Hostile/);
    assert.match(
      metrics.body,
      /palisade_webhook_decisions_total\{endpoint="validate",operation="CREATE",kind="other",outcome="\w+"\} 30\n/,
    );
    assert.match(
      metrics.body,
      /palisade_webhook_decisions_total\{endpoint="validate",operation="CREATE",kind="Pod",/,
    );
  });
});

describe('request bodies held at once', () => {
  const budget = 100_000;
  let metrics: WebhookMetrics;
  let server: ListeningServer;
  before(async () => {
    metrics = createWebhookMetrics();
    const policy = new CompiledPolicy(defaultAdmissionPolicy(), builtinRules);
    const handler = createWebhookHandler({
      policy: () => policy,
      metrics,
      logger: SILENT_LOGGER,
      isReady: () => true,
      requestTimeoutMs: 10_000,
      maxBodyBytesInFlight: budget,
    });
    server = await listen(handler);
  });
  after(() => server?.close(100));

  /** A TLS connection that declares a body of `length` bytes and sends only its first byte. */
  async function holdBody(length: number) {
    const socket = connectTls({ host: '127.0.0.1', port: server.port, ca, servername: 'localhost' });
    socket.on('error', () => {});
    await new Promise((resolve) => socket.once('secureConnect', resolve));
    socket.write(
      `POST /validate HTTP/1.1\r\nHost: x\r\ncontent-type: application/json\r\ncontent-length: ${length}\r\n\r\n{`,
    );
    while (metrics.bodyBytesInFlight.get() < length) await new Promise((resolve) => setTimeout(resolve, 10));
    return socket;
  }

  it('refuses a body beyond the budget with 503 and Retry-After, by Content-Length or as it grows', async () => {
    const holder = await holdBody(80_000);
    const declared = await post(server.port, '/validate', Buffer.alloc(30_000, 0x20));
    assert.equal(declared.status, 503);
    assert.equal(declared.headers['retry-after'], '1');
    assert.match(declared.body, /too many request bodies in flight/);
    // Chunked: no length up front, refused once what arrived does not fit.
    const chunked = await new Promise<HttpReply>((resolve, reject) => {
      const outgoing = request(
        {
          host: '127.0.0.1',
          port: server.port,
          method: 'POST',
          path: '/validate',
          ca,
          servername: 'localhost',
          agent: false,
          headers: { 'content-type': 'application/json', 'transfer-encoding': 'chunked' },
        },
        (response) => {
          response.resume();
          response.on('end', () =>
            resolve({ status: response.statusCode ?? 0, headers: response.headers, body: '' }),
          );
        },
      );
      outgoing.on('error', reject);
      outgoing.write(Buffer.alloc(15_000, 0x20));
      outgoing.write(Buffer.alloc(15_000, 0x20));
    });
    assert.equal(chunked.status, 503);
    assert.equal(metrics.errors.get({ endpoint: 'validate', type: 'overloaded' }), 2);
    // A body that fits is still served, and the bytes come back when the holder goes away.
    assert.equal((await post(server.port, '/validate', JSON.stringify(podReview(plainPod())))).status, 200);
    holder.destroy();
    while (metrics.bodyBytesInFlight.get() > 0) await new Promise((resolve) => setTimeout(resolve, 10));
    assert.equal((await post(server.port, '/validate', Buffer.alloc(90_000, 0x20))).status, 400);
    // Released when the server has finished the response, which the client may see first.
    const until = Date.now() + 2000;
    while (metrics.bodyBytesInFlight.get() > 0 && Date.now() < until)
      await new Promise((resolve) => setTimeout(resolve, 5));
    assert.equal(metrics.bodyBytesInFlight.get(), 0);
  });
});

describe('a bad certificate or policy file', () => {
  it('is reported once per distinct content, naming the file', async () => {
    const reloadDir = await mkdtemp(join(tmpdir(), 'palisade-reload-'));
    try {
      await writeWebhookCerts({
        directory: reloadDir,
        service: 'limits',
        namespace: 'test',
        extraNames: ['localhost'],
        days: 1,
        now: new Date(),
        reuseCa: false,
      });
      const certErrors: Error[] = [];
      const certs = new ReloadingTlsCredentials({
        certFile: join(reloadDir, CERT_FILES.cert),
        keyFile: join(reloadDir, CERT_FILES.key),
        intervalMs: 60_000,
        onError: (error) => certErrors.push(error),
      });
      await certs.start();
      await writeFile(join(reloadDir, CERT_FILES.cert), 'not a certificate\n');
      for (let check = 0; check < 3; check++) await certs.checkNow();
      assert.equal(certErrors.length, 1);
      assert.match(
        certErrors[0]?.message ?? '',
        new RegExp(`${CERT_FILES.cert}.*previous certificate stays in use`),
      );
      await writeFile(join(reloadDir, CERT_FILES.cert), 'still not a certificate\n');
      for (let check = 0; check < 3; check++) await certs.checkNow();
      assert.equal(certErrors.length, 2);
      certs.stop();

      const policyFile = join(reloadDir, 'policy.yaml');
      await writeFile(policyFile, 'apiVersion: palisade.dev/v1alpha1\nkind: AdmissionPolicy\n');
      const policyErrors: Error[] = [];
      const reloader = new PolicyReloader({
        file: policyFile,
        rules: builtinRules,
        intervalMs: 60_000,
        onError: (error) => policyErrors.push(error),
      });
      await reloader.start();
      await writeFile(policyFile, 'apiVersion: palisade.dev/v1alpha1\nkind: AdmissionPolicy\ntpyo: true\n');
      for (let check = 0; check < 3; check++) await reloader.checkNow();
      assert.equal(policyErrors.length, 1);
      assert.match(policyErrors[0]?.message ?? '', /policy\.yaml/);
      reloader.stop();
    } finally {
      await rm(reloadDir, { recursive: true, force: true });
    }
  });
});
