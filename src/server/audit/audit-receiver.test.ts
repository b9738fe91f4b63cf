// The audit webhook receiver over real TLS: EventList batches as kube-apiserver posts them, single Events and
// arrays; bearer-token and client-certificate authentication; the 12 MiB limit; malformed input; and a full
// queue answered with 503 rather than an accepted batch being dropped.
import assert from 'node:assert/strict';
import { sign, X509Certificate } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { connect } from 'node:tls';
import type { AuditEvent } from '../../detect/audit-event.ts';
import { AuditLogFollower } from '../../detect/inputs/log-follower.ts';
import { type ListeningServer, listenHttps } from '../https-listen.ts';
import type { LogFields, Logger } from '../json-log.ts';
import { MetricsRegistry } from '../metrics.ts';
import type { ReloadingTlsCredentials } from '../tls-reload.ts';
import { type IssuedCertificate, issueCertificate, toPem } from '../x509-certificate.ts';
import { createAuditReceiver } from './audit-receiver.ts';
import { AuditBatchQueue } from './batch-queue.ts';
import { ClientCertRequestingCredentials } from './client-cert-credentials.ts';
import { ReceiverAuthenticator } from './receiver-auth.ts';
import { AuditSpool, spoolIntake } from './spool.ts';

/** Start and end of the DER element at `offset`'s contents. */
function derElement(der: Buffer, offset: number): { contentStart: number; end: number } {
  const first = der[offset + 1]!;
  if ((first & 0x80) === 0) return { contentStart: offset + 2, end: offset + 2 + first };
  let length = 0;
  for (let i = 0; i < (first & 0x7f); i++) length = length * 256 + der[offset + 2 + i]!;
  const contentStart = offset + 2 + (first & 0x7f);
  return { contentStart, end: contentStart + length };
}

function derWrap(tag: number, content: Buffer): Buffer {
  const length: number[] = [];
  for (let n = content.length; n > 0; n = Math.floor(n / 256)) length.unshift(n % 256);
  const header = content.length < 0x80 ? [content.length] : [0x80 | length.length, ...length];
  return Buffer.concat([Buffer.from([tag, ...header]), content]);
}

/**
 * `issued` (whose extended key usage issueCertificate makes serverAuth) re-signed by `issuer` with the usage
 * changed in place: clientAuth, or no EKU extension at all (its OID turned into an unknown non-critical one).
 */
function withKeyUsage(issued: IssuedCertificate, issuer: IssuedCertificate, usage: 'clientAuth' | 'none') {
  const der = issued.certificate.raw;
  const outer = derElement(der, 0);
  const tbsEnd = derElement(der, outer.contentStart).end;
  const tbs = Buffer.from(der.subarray(outer.contentStart, tbsEnd));
  const algorithm = der.subarray(tbsEnd, derElement(der, tbsEnd).end);
  if (usage === 'clientAuth') {
    const serverAuth = Buffer.from('06082b06010505070301', 'hex');
    const at = tbs.indexOf(serverAuth);
    assert.ok(at > 0);
    tbs[at + serverAuth.length - 1] = 2;
  } else {
    const ekuOid = Buffer.from('0603551d25', 'hex');
    const at = tbs.indexOf(ekuOid);
    assert.ok(at > 0);
    tbs[at + 4] = 0x63;
  }
  const signature = sign('sha256', tbs, issuer.privateKeyPem);
  const certificate = derWrap(
    0x30,
    Buffer.concat([tbs, algorithm, derWrap(0x03, Buffer.concat([Buffer.from([0]), signature]))]),
  );
  const certificatePem = toPem('CERTIFICATE', certificate);
  return { ...issued, certificatePem, certificate: new X509Certificate(certificatePem) };
}

/** Keeps what the receiver logs, to check what reaches the logs. */
function capturingLogger(): Logger & { lines: { level: string; message: string; fields: LogFields }[] } {
  const lines: { level: string; message: string; fields: LogFields }[] = [];
  const keep =
    (level: string) =>
    (message: string, fields: LogFields = {}) => {
      lines.push({ level, message, fields });
    };
  return { lines, debug: keep('debug'), info: keep('info'), warn: keep('warn'), error: keep('error') };
}

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
// issueCertificate makes serving certificates (extended key usage serverAuth only).
const serverOnly = issueCertificate(
  {
    subject: { commonName: 'kube-apiserver' },
    notBefore: new Date(now.getTime() - day),
    notAfter: new Date(now.getTime() + day),
    isCa: false,
  },
  ca,
);
const client = withKeyUsage(serverOnly, ca, 'clientAuth');
const noUsage = withKeyUsage(serverOnly, ca, 'none');
const otherCa = issueCertificate({
  subject: { commonName: 'other-ca' },
  notBefore: new Date(now.getTime() - day),
  notAfter: new Date(now.getTime() + day),
  isCa: true,
});
const stranger = withKeyUsage(
  issueCertificate(
    {
      subject: { commonName: 'kube-apiserver' },
      notBefore: new Date(now.getTime() - day),
      notAfter: new Date(now.getTime() + day),
      isCa: false,
    },
    otherCa,
  ),
  otherCa,
  'clientAuth',
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

/** A temporary directory holding the receiver's serving certificate, and credentials started from it. */
async function servingCredentials(prefix: string) {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  await writeFile(join(dir, 'tls.crt'), serving.certificatePem);
  await writeFile(join(dir, 'tls.key'), serving.privateKeyPem);
  const credentials = new ClientCertRequestingCredentials({
    certFile: join(dir, 'tls.crt'),
    keyFile: join(dir, 'tls.key'),
  });
  await credentials.start();
  return { dir, credentials };
}

interface Reply {
  status: number;
  body: string;
}

function post(
  port: number,
  path: string,
  body: string | Buffer,
  options: {
    token?: string;
    cert?: { certificatePem: string; privateKeyPem: string };
    method?: string;
    declaredLength?: number;
    /** With declaredLength: given a function that sends the body later. */
    sendLater?: (send: (body: string) => void) => void;
  } = {},
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
    if (options.declaredLength !== undefined) {
      req.flushHeaders();
      options.sendLater?.((later) => req.end(later));
    } else req.end(body);
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
  const logger = capturingLogger();

  before(async () => {
    ({ dir, credentials } = await servingCredentials('palisade-receiver-'));
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
      logger,
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
    // A target URL parsing cannot read is the client's mistake (400), not an internal error (500).
    assert.equal((await post(server.port, '//[', '{}', { token: TOKEN })).status, 400);
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

  it('counts 503 refusals of a full memory queue in /metrics and logs them', async () => {
    let release: () => void = () => {};
    blockProcessing = new Promise<void>((resolve) => {
      release = resolve;
    });
    const batch = (start: number) =>
      JSON.stringify({ kind: 'EventList', items: Array.from({ length: 6 }, (_, i) => event(start + i)) });
    const refusedBefore = queue.refused;
    assert.equal((await post(server.port, '/audit', batch(300), { token: TOKEN })).status, 200);
    assert.equal((await post(server.port, '/audit', batch(400), { token: TOKEN })).status, 503);
    assert.equal((await post(server.port, '/audit', batch(500), { token: TOKEN })).status, 503);
    release();
    blockProcessing = undefined;
    await queue.drain();
    assert.equal(queue.refused - refusedBefore, 2);
    const scraped = await post(server.port, '/metrics', '', { method: 'GET' });
    assert.match(scraped.body, /palisade_audit_webhook_responses_total\{code="503"\} [2-9]/);
    assert.ok(logger.lines.some((line) => line.level === 'warn' && /refused/.test(line.message)));
  });

  it('reads nothing of an unauthenticated body: the connection closes after the 401', {
    timeout: 30_000,
  }, async () => {
    const logged = logger.lines.length;
    // A client without credentials that streams a 1 GiB body and never reads an answer (a raw socket):
    // the server must not keep reading it.
    const sent = await new Promise<{ status: number; bytes: number }>((resolve) => {
      let bytes = 0;
      let answer = '';
      const socket = connect({ host: '127.0.0.1', port: server.port, ca: ca.certificatePem }, () => {
        socket.write(
          `POST /audit HTTP/1.1\r\nhost: localhost\r\ncontent-type: application/json\r\ncontent-length: ${2 ** 30}\r\n\r\n`,
        );
        const chunk = Buffer.alloc(1024 * 1024, 0x20);
        const pump = (): void => {
          while (bytes < 2 ** 30 && !socket.destroyed) {
            bytes += chunk.length;
            if (!socket.write(chunk)) {
              socket.once('drain', pump);
              return;
            }
          }
        };
        pump();
      });
      socket.on('data', (data: Buffer) => {
        answer += data.toString('latin1');
      });
      socket.on('error', () => {});
      socket.on('close', () =>
        resolve({ status: /^HTTP\/1\.1 (\d+)/.test(answer) ? Number(RegExp.$1) : 0, bytes }),
      );
    });
    // The 401 goes out first, but a client still writing may see the reset before it reads the answer.
    assert.ok(sent.status === 401 || sent.status === 0, String(sent.status));
    assert.ok(logger.lines.slice(logged).some((line) => line.message === 'audit webhook request refused'));
    assert.ok(sent.bytes < 256 * 1024 * 1024, `${sent.bytes} bytes went out before the server closed`);
  });

  it('refuses a certificate from the CA whose extended key usage does not include clientAuth', async () => {
    const logged = logger.lines.length;
    const reply = await post(server.port, '/audit', JSON.stringify(event(20)), { cert: serverOnly });
    assert.equal(reply.status, 401);
    const reasons = logger.lines.slice(logged).map((line) => String(line.fields.reason));
    assert.ok(
      reasons.some((reason) => /extended key usage/.test(reason) && /clientAuth/.test(reason)),
      reasons.join('; '),
    );
    // RFC 5280: a certificate without the extension is not restricted to a purpose.
    assert.equal(
      (await post(server.port, '/audit', JSON.stringify(event(21)), { cert: noUsage })).status,
      200,
    );
  });

  it('never logs or echoes the contents of a wrong kind or stage, only its type or a short excerpt', async () => {
    const secret = 'U0VDUkVUVkFMVUU=';
    const logged = logger.lines.length;
    const bad = [
      { auditID: 'b1', stage: { requestObject: { kind: 'Secret', data: { password: secret } } } },
      { auditID: 'b2', kind: `${'k'.repeat(100)}${secret}`, stage: 'ResponseComplete' },
      { auditID: 'b3', stage: ['x', secret] },
      { auditID: 'b4', apiVersion: { secret }, stage: 'ResponseComplete' },
    ];
    const reply = await post(
      server.port,
      '/audit',
      JSON.stringify({ kind: 'EventList', items: [event(30), ...bad] }),
      {
        token: TOKEN,
      },
    );
    assert.equal(reply.status, 200);
    assert.deepEqual(JSON.parse(reply.body), { accepted: 1, skipped: 4 });
    const text = JSON.stringify(logger.lines.slice(logged));
    assert.doesNotMatch(text, /U0VDUkVU/);
    assert.match(text, /stage must be a string, got an object/);
    assert.match(text, /stage must be a string, got an array/);
    assert.match(text, /kind \\"k{10}/, 'a short excerpt of a wrong string');
    const single = await post(server.port, '/audit', JSON.stringify(bad[0]), { token: TOKEN });
    assert.equal(single.status, 400);
    assert.doesNotMatch(single.body, /U0VDUkVU|Secret/);
    assert.ok(single.body.length < 200, single.body);
  });

  it('answers 400 naming the offset for a body nested too deep, not 500', async () => {
    const deep = `{"auditID":"d","stage":${'['.repeat(20_000)}${']'.repeat(20_000)}}`;
    const reply = await post(server.port, '/audit', `{"kind":"EventList","items":[${deep}]}`, {
      token: TOKEN,
    });
    assert.equal(reply.status, 400);
    assert.match(reply.body, /nests deeper than \d+ levels \(at offset \d+\)/);
  });
});

describe('audit webhook receiver with a spool, over TLS', () => {
  it('accepts only what the spool can give back to detection: an event whose line would pass 16 MiB is refused', async () => {
    const { dir, credentials } = await servingCredentials('palisade-receiver-spool-');
    const spoolPath = join(dir, 'spool.jsonl');
    const spool = await AuditSpool.open(spoolPath);
    const intake = spoolIntake(spool, () => 0, 1024 * 1024 * 1024);
    const logger = capturingLogger();
    const receiver = createAuditReceiver({
      path: '/audit',
      authenticator: new ReceiverAuthenticator({ bearerTokens: [TOKEN] }),
      accept: intake.accept,
      backlog: intake.backlog,
      backlogUnit: 'bytes',
      logger,
    });
    const server = await listenHttps({ host: '127.0.0.1', port: 0, credentials, handler: receiver.handler });
    try {
      // 6 MiB of invalid UTF-8 in a string: each byte becomes U+FFFD (3 bytes) once decoded, an 18 MiB line.
      const huge = Buffer.concat([
        Buffer.from('{"auditID":"huge","stage":"ResponseComplete","verb":"get","annotations":{"x":"'),
        Buffer.alloc(6 * 1024 * 1024, 0xff),
        Buffer.from('"}}'),
      ]);
      // Numbers JSON.stringify writes out longer than they came: 4 bytes each become 22.
      const widening = Buffer.from(
        `{"auditID":"wide","stage":"ResponseComplete","verb":"get","annotations":{"n":[${Array(1024 * 1024)
          .fill('9e20')
          .join(',')}]}}`,
      );
      const body = Buffer.concat([
        Buffer.from(`{"kind":"EventList","items":[${JSON.stringify(event(1))},`),
        huge,
        Buffer.from(','),
        widening,
        Buffer.from(`,${JSON.stringify(event(2))}]}`),
      ]);
      assert.ok(body.length < 12 * 1024 * 1024);
      const reply = await post(server.port, '/audit', body, { token: TOKEN });
      assert.equal(reply.status, 200, reply.body);
      const answered = JSON.parse(reply.body) as { accepted: number; skipped: number };
      assert.deepEqual(answered, { accepted: 2, skipped: 2 });
      assert.ok(logger.lines.some((line) => /16 MiB/.test(String(line.fields.reason))));
      const alone = await post(
        server.port,
        '/audit',
        Buffer.concat([Buffer.from('['), huge, Buffer.from(']')]),
        {
          token: TOKEN,
        },
      );
      assert.equal(alone.status, 413, alone.body);
      // What was answered as accepted is exactly what detection reads back from the spool.
      const readBack: string[] = [];
      const notices: string[] = [];
      const follower = new AuditLogFollower({
        path: spoolPath,
        from: 'start',
        onBatch: async (batch) => {
          for (const item of batch.events) readBack.push(item.auditID);
        },
        onNotice: (message) => notices.push(message),
      });
      await follower.poll();
      await follower.close();
      assert.deepEqual(readBack, ['a-1', 'a-2']);
      assert.deepEqual(notices, []);
    } finally {
      await server.close();
      credentials.stop();
      await spool.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('audit webhook receiver body budget', () => {
  it('answers 503 with Retry-After when batch bodies in flight would pass the budget, and frees it once a batch is parsed', async () => {
    const { dir, credentials } = await servingCredentials('palisade-receiver-budget-');
    const metrics = new MetricsRegistry();
    const accepted: AuditEvent[] = [];
    const receiver = createAuditReceiver({
      path: '/audit',
      authenticator: new ReceiverAuthenticator({ bearerTokens: [TOKEN], clientCas: [] }),
      accept: (events) => {
        accepted.push(...events);
        return true;
      },
      backlog: () => 0,
      logger: capturingLogger(),
      metrics,
      maxBodyBytesInFlight: 2000,
    });
    const server = await listenHttps({ host: '127.0.0.1', port: 0, credentials, handler: receiver.handler });
    try {
      const batch = JSON.stringify({ kind: 'EventList', items: [event(1), event(2), event(3)] }).padEnd(1500);
      // A batch whose headers say 1500 bytes, of which nothing arrives yet: its bytes are reserved at once.
      let finishSlow: (body: string) => void = () => {};
      const slow = post(server.port, '/audit', '', {
        token: TOKEN,
        declaredLength: Buffer.byteLength(batch),
        sendLater: (send) => {
          finishSlow = send;
        },
      });
      const reserved = async (bytes: number) => {
        for (let attempt = 0; attempt < 1000; attempt++) {
          const scraped = await post(server.port, '/metrics', '', { method: 'GET' });
          if (scraped.body.includes(`palisade_audit_webhook_body_bytes_in_flight ${bytes}`)) return;
          await new Promise((resolve) => setTimeout(resolve, 10));
        }
        assert.fail(`the body budget never showed ${bytes} bytes in flight`);
      };
      await reserved(1500);
      const refused = await post(server.port, '/audit', batch, { token: TOKEN });
      assert.equal(refused.status, 503);
      assert.match(refused.body, /too many request bodies in flight/);
      finishSlow(batch);
      assert.equal((await slow).status, 200);
      await reserved(0);
      assert.equal((await post(server.port, '/audit', batch, { token: TOKEN })).status, 200);
      assert.equal(accepted.length, 6);
    } finally {
      await server.close();
      credentials.stop();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
