// The audit webhook receiver over real TLS: EventList batches as kube-apiserver posts them, single Events and
// arrays; bearer-token and client-certificate authentication; the 12 MiB limit; malformed input; and a full
// queue answered with 503 rather than an accepted batch being dropped.
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { AuditEvent } from '../../detect/audit-event.ts';
import { type ListeningServer, listenHttps } from '../https-listen.ts';
import { SILENT_LOGGER } from '../json-log.ts';
import { MetricsRegistry } from '../metrics.ts';
import type { ReloadingTlsCredentials } from '../tls-reload.ts';
import { issueCertificate } from '../x509-certificate.ts';
import { createAuditReceiver } from './audit-receiver.ts';
import { AuditBatchQueue } from './batch-queue.ts';
import { ClientCertRequestingCredentials } from './client-cert-credentials.ts';
import { ReceiverAuthenticator } from './receiver-auth.ts';

const TOKEN = 'test-token-0123456789abcdef';
const now = new Date();
const day = 86_400_000;
const ca = issueCertificate({
  subject: { commonName: 'test-ca' },
  notBefore: new Date(now.getTime() - day),
  notAfter: new Date(now.getTime() + day),
  isCa: true,
});
const serving = issueCertificate(
  {
    subject: { commonName: 'receiver' },
    notBefore: new Date(now.getTime() - day),
    notAfter: new Date(now.getTime() + day),
    altNames: ['127.0.0.1'],
    isCa: false,
  },
  ca,
);
const client = issueCertificate(
  {
    subject: { commonName: 'kube-apiserver' },
    notBefore: new Date(now.getTime() - day),
    notAfter: new Date(now.getTime() + day),
    isCa: false,
  },
  ca,
);
const otherCa = issueCertificate({
  subject: { commonName: 'other-ca' },
  notBefore: new Date(now.getTime() - day),
  notAfter: new Date(now.getTime() + day),
  isCa: true,
});
const stranger = issueCertificate(
  {
    subject: { commonName: 'kube-apiserver' },
    notBefore: new Date(now.getTime() - day),
    notAfter: new Date(now.getTime() + day),
    isCa: false,
  },
  otherCa,
);

function event(id: number, withKind = true): Record<string, unknown> {
  return {
    ...(withKind ? { kind: 'Event', apiVersion: 'audit.k8s.io/v1' } : {}),
    level: 'Metadata',
    auditID: `a-${id}`,
    stage: 'ResponseComplete',
    requestURI: '/api/v1/namespaces',
    verb: 'list',
    user: { username: 'alice' },
  };
}

interface Reply {
  status: number;
  body: string;
}

function post(
  port: number,
  path: string,
  body: string | Buffer,
  options: { token?: string; cert?: typeof client; method?: string; declaredLength?: number } = {},
): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        path,
        method: options.method ?? 'POST',
        ca: ca.certificatePem,
        headers: {
          'content-type': 'application/json',
          ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
          ...(options.declaredLength !== undefined
            ? { 'content-length': String(options.declaredLength) }
            : {}),
        },
        ...(options.cert ? { cert: options.cert.certificatePem, key: options.cert.privateKeyPem } : {}),
      },
      (response) => {
        let text = '';
        response.on('data', (chunk) => {
          text += chunk;
        });
        response.on('end', () => resolve({ status: response.statusCode ?? 0, body: text }));
      },
    );
    req.on('error', reject);
    // A declared length larger than what is sent: the receiver must refuse on the header alone.
    if (options.declaredLength !== undefined) req.flushHeaders();
    else req.end(body);
  });
}

describe('audit webhook receiver over TLS', () => {
  let dir: string;
  let server: ListeningServer;
  let credentials: ReloadingTlsCredentials;
  const processed: AuditEvent[] = [];
  let blockProcessing: Promise<void> | undefined;
  let queue: AuditBatchQueue;
  const metrics = new MetricsRegistry();

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'palisade-receiver-'));
    await writeFile(join(dir, 'tls.crt'), serving.certificatePem);
    await writeFile(join(dir, 'tls.key'), serving.privateKeyPem);
    credentials = new ClientCertRequestingCredentials({
      certFile: join(dir, 'tls.crt'),
      keyFile: join(dir, 'tls.key'),
    });
    await credentials.start();
    queue = new AuditBatchQueue({
      maxEvents: 10,
      process: async (events) => {
        if (blockProcessing) await blockProcessing;
        processed.push(...events);
      },
    });
    const authenticator = new ReceiverAuthenticator({ bearerTokens: [TOKEN], clientCas: [ca.certificate] });
    const receiver = createAuditReceiver({
      path: '/audit',
      authenticator,
      accept: (events) => queue.offer(events),
      backlog: () => queue.depth,
      logger: SILENT_LOGGER,
      metrics,
    });
    server = await listenHttps({ host: '127.0.0.1', port: 0, credentials, handler: receiver.handler });
  });

  after(async () => {
    await server.close();
    credentials.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('accepts an EventList batch whose items carry no kind, as the webhook backend sends it', async () => {
    const body = JSON.stringify({
      kind: 'EventList',
      apiVersion: 'audit.k8s.io/v1',
      metadata: {},
      items: [event(1, false), event(2, false)],
    });
    const reply = await post(server.port, '/audit', body, { token: TOKEN });
    assert.equal(reply.status, 200);
    await queue.drain();
    assert.deepEqual(
      processed.slice(-2).map((e) => e.auditID),
      ['a-1', 'a-2'],
    );
  });

  it('accepts a single Event and a JSON array', async () => {
    assert.equal((await post(server.port, '/audit', JSON.stringify(event(3)), { token: TOKEN })).status, 200);
    assert.equal(
      (await post(server.port, '/audit', JSON.stringify([event(4), event(5)]), { token: TOKEN })).status,
      200,
    );
    await queue.drain();
    assert.deepEqual(
      processed.slice(-3).map((e) => e.auditID),
      ['a-3', 'a-4', 'a-5'],
    );
  });

  it('authenticates with a client certificate from the configured CA', async () => {
    assert.equal((await post(server.port, '/audit', JSON.stringify(event(6)), { cert: client })).status, 200);
    assert.equal(
      (await post(server.port, '/audit', JSON.stringify(event(7)), { cert: stranger })).status,
      401,
    );
  });

  it('refuses missing or wrong credentials, other methods and paths', async () => {
    assert.equal((await post(server.port, '/audit', JSON.stringify(event(8)))).status, 401);
    assert.equal(
      (await post(server.port, '/audit', JSON.stringify(event(8)), { token: 'wrong' })).status,
      401,
    );
    assert.equal((await post(server.port, '/audit', '', { token: TOKEN, method: 'GET' })).status, 405);
    assert.equal((await post(server.port, '/other', '{}', { token: TOKEN })).status, 404);
    assert.equal((await post(server.port, '/healthz', '', { method: 'GET' })).status, 200);
    const scraped = await post(server.port, '/metrics', '', { method: 'GET' });
    assert.match(scraped.body, /palisade_audit_webhook_responses_total\{code="401"\} [1-9]/);
    assert.match(scraped.body, /palisade_audit_webhook_events_total [1-9]/);
  });

  it('answers 400 for malformed JSON and for payloads that are not audit events', async () => {
    assert.equal((await post(server.port, '/audit', '{"kind":"EventList",', { token: TOKEN })).status, 400);
    const notAudit = await post(server.port, '/audit', JSON.stringify({ kind: 'Pod' }), { token: TOKEN });
    assert.equal(notAudit.status, 400);
    assert.match(notAudit.body, /not a Kubernetes audit event/);
  });

  it('refuses bodies over 12 MiB with 413', async () => {
    const reply = await post(server.port, '/audit', '', {
      token: TOKEN,
      declaredLength: 12 * 1024 * 1024 + 1,
    });
    assert.equal(reply.status, 413);
    assert.match(reply.body, /exceeds the limit/);
  });

  it('answers 503 when the queue is full instead of dropping an accepted batch, and processes every accepted one', async () => {
    let release: () => void = () => {};
    blockProcessing = new Promise<void>((resolve) => {
      release = resolve;
    });
    const before = processed.length;
    const batch = (start: number) =>
      JSON.stringify({ kind: 'EventList', items: Array.from({ length: 6 }, (_, i) => event(start + i)) });
    assert.equal((await post(server.port, '/audit', batch(100), { token: TOKEN })).status, 200);
    assert.equal((await post(server.port, '/audit', batch(200), { token: TOKEN })).status, 503);
    release();
    blockProcessing = undefined;
    await queue.drain();
    assert.equal(processed.length - before, 6);
    assert.equal((await post(server.port, '/audit', batch(200), { token: TOKEN })).status, 200);
    await queue.drain();
    assert.equal(processed.length - before, 12);
  });
});
