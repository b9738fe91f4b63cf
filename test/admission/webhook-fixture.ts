// Starts the real webhook over real TLS on loopback with a freshly issued certificate, and posts to it with a
// client that trusts only that CA (so a test that passes has verified the certificate chain and name).

import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { Agent, type RequestOptions, request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Logger } from '../../src/server/json-log.ts';
import { SILENT_LOGGER } from '../../src/server/json-log.ts';
import { CERT_FILES, writeWebhookCerts } from '../../src/server/webhook-certs.ts';
import {
  type RunningWebhook,
  startWebhookServer,
  type WebhookServerOptions,
} from '../../src/server/webhook-server.ts';

export interface WebhookFixture {
  server: RunningWebhook;
  dir: string;
  ca: string;
  post(path: string, body: string | Buffer, headers?: Record<string, string>): Promise<HttpReply>;
  get(path: string): Promise<HttpReply>;
  close(): Promise<void>;
}

export interface HttpReply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** One HTTPS request, its whole answer read. */
export function httpsRequest(options: RequestOptions, body?: string | Buffer): Promise<HttpReply> {
  return new Promise<HttpReply>((resolve, reject) => {
    const outgoing = request(options, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () =>
        resolve({
          status: response.statusCode ?? 0,
          headers: response.headers,
          body: Buffer.concat(chunks).toString(),
        }),
      );
      response.on('error', reject);
    });
    outgoing.on('error', reject);
    outgoing.end(body);
  });
}

export async function startFixture(
  options: Partial<WebhookServerOptions> & { policyText?: string; logger?: Logger } = {},
): Promise<WebhookFixture> {
  const dir = await mkdtemp(join(tmpdir(), 'palisade-webhook-'));
  await writeWebhookCerts({
    directory: dir,
    service: 'palisade-webhook',
    namespace: 'palisade',
    extraNames: ['localhost', '127.0.0.1'],
    days: 30,
    now: new Date(),
    reuseCa: false,
  });
  let policyFile = options.policyFile;
  if (options.policyText !== undefined) {
    policyFile = join(dir, 'policy.yaml');
    const { writeFile } = await import('node:fs/promises');
    await writeFile(policyFile, options.policyText);
  }
  const server = await startWebhookServer({
    host: '127.0.0.1',
    port: 0,
    certFile: join(dir, CERT_FILES.cert),
    keyFile: join(dir, CERT_FILES.key),
    logger: options.logger ?? SILENT_LOGGER,
    reloadIntervalMs: options.reloadIntervalMs ?? 60_000,
    ...(policyFile !== undefined ? { policyFile } : {}),
    ...(options.failureMode !== undefined ? { failureMode: options.failureMode } : {}),
    ...(options.rules ? { rules: options.rules } : {}),
    ...(options.namespaceLabels ? { namespaceLabels: options.namespaceLabels } : {}),
    ...(options.ensureNamespace ? { ensureNamespace: options.ensureNamespace } : {}),
    ...(options.requestTimeoutMs !== undefined ? { requestTimeoutMs: options.requestTimeoutMs } : {}),
  });
  const ca = readFileSync(join(dir, CERT_FILES.ca), 'utf8');
  const agent = new Agent({ keepAlive: true, ca, servername: 'localhost' });
  const send = (method: string, path: string, body?: string | Buffer, headers: Record<string, string> = {}) =>
    httpsRequest(
      { host: '127.0.0.1', port: server.port, method, path, agent, ca, servername: 'localhost', headers },
      body,
    );
  return {
    server,
    dir,
    ca,
    post: (path, body, headers = { 'content-type': 'application/json' }) => send('POST', path, body, headers),
    get: (path) => send('GET', path),
    async close() {
      agent.destroy();
      await server.close(100);
      await rm(dir, { recursive: true, force: true });
    },
  };
}
