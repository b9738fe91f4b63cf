// listenHttps over real TLS on loopback: slow clients get their 408 close to the configured timeouts (not up to
// Node's default 30 s check interval later), and connections beyond the cap are refused.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { connect, type TLSSocket } from 'node:tls';
import { type ListeningServer, listenHttps } from './https-listen.ts';
import { ReloadingTlsCredentials } from './tls-reload.ts';
import { CERT_FILES, writeWebhookCerts } from './webhook-certs.ts';

interface SlowResult {
  firstData: string;
  /** Milliseconds from the connection to the first byte of the answer. */
  elapsedMs: number;
}

/** Opens a TLS connection, writes `start`, then one byte of `drip` every 200 ms until the server answers. */
function slowClient(port: number, start: string, drip: string): Promise<SlowResult> {
  return new Promise((resolve, reject) => {
    const began = Date.now();
    let timer: NodeJS.Timeout | undefined;
    const socket: TLSSocket = connect({ host: '127.0.0.1', port, rejectUnauthorized: false }, () => {
      socket.write(start);
      timer = setInterval(() => socket.write(drip), 200);
    });
    let data = '';
    const finish = () => {
      clearInterval(timer);
      socket.destroy();
      resolve({ firstData: data, elapsedMs: Date.now() - began });
    };
    socket.on('data', (chunk) => {
      data += chunk.toString();
      finish();
    });
    socket.on('close', finish);
    socket.on('error', (error) => {
      clearInterval(timer);
      if (data === '') reject(error);
    });
  });
}

describe('listenHttps', () => {
  let dir: string;
  let credentials: ReloadingTlsCredentials;
  let server: ListeningServer;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'palisade-listen-'));
    await writeWebhookCerts({
      directory: dir,
      service: 'listen',
      namespace: 'test',
      extraNames: ['127.0.0.1'],
      days: 1,
      now: new Date(),
      reuseCa: false,
    });
    credentials = new ReloadingTlsCredentials({
      certFile: join(dir, CERT_FILES.cert),
      keyFile: join(dir, CERT_FILES.key),
    });
    await credentials.start();
    server = await listenHttps({
      host: '127.0.0.1',
      port: 0,
      credentials,
      // Reads the body but never answers: only the server's own timeouts end a request.
      handler: (request) => request.resume(),
      headersTimeoutMs: 1000,
      requestTimeoutMs: 2000,
      maxConnections: 4,
    });
  });
  after(async () => {
    await server?.close(100);
    credentials?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('refuses a port already in use with a plain message, not an internal error', async () => {
    await assert.rejects(
      listenHttps({ host: '127.0.0.1', port: server.port, credentials, handler: () => {} }),
      (error: Error & { code?: string }) =>
        error.code === 'usage' &&
        error.message ===
          `cannot listen on 127.0.0.1:${server.port}: the address is already in use (another server is listening there)`,
    );
  });

  it('caps open connections at maxConnections', () => {
    assert.equal(server.server.maxConnections, 4);
  });

  it('answers 408 to headers trickling in, soon after the headers timeout', async () => {
    const result = await slowClient(server.port, 'POST /validate HTTP/1.1\r\nHost: x\r\n', 'X');
    assert.match(result.firstData, /^HTTP\/1\.1 408/);
    // Timeout 1 s, checked every 1 s: the answer is due by about 2 s. 6 s leaves room for a loaded machine and is
    // still far below Node's default (up to 30 s late).
    assert.ok(result.elapsedMs >= 900, `answered after ${result.elapsedMs} ms, before the timeout`);
    assert.ok(result.elapsedMs < 6000, `answered after ${result.elapsedMs} ms`);
  });

  it('answers 408 to a body trickling in, soon after the request timeout', async () => {
    const result = await slowClient(
      server.port,
      'POST /validate HTTP/1.1\r\nHost: x\r\ncontent-type: application/json\r\ncontent-length: 100000\r\n\r\n',
      'a',
    );
    assert.match(result.firstData, /^HTTP\/1\.1 408/);
    assert.ok(result.elapsedMs >= 1900, `answered after ${result.elapsedMs} ms, before the timeout`);
    assert.ok(result.elapsedMs < 7000, `answered after ${result.elapsedMs} ms`);
  });
});
