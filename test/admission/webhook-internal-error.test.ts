// A bug in the decision (an exception, not a rule error) is logged and answered by the failure mode, over TLS.
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { it } from 'node:test';
import { CompiledPolicy } from '../../src/admission/compiled-policy.ts';
import { defaultAdmissionPolicy } from '../../src/admission/policy-config.ts';
import { builtinRules } from '../../src/rules/index.ts';
import { listenHttps } from '../../src/server/https-listen.ts';
import { createJsonLogger } from '../../src/server/json-log.ts';
import { ReloadingTlsCredentials } from '../../src/server/tls-reload.ts';
import { createWebhookHandler } from '../../src/server/webhook-app.ts';
import { CERT_FILES, writeWebhookCerts } from '../../src/server/webhook-certs.ts';
import { createWebhookMetrics } from '../../src/server/webhook-metrics.ts';
import { plainPod, podReview } from './review-fixtures.ts';

for (const failureMode of ['allow', 'deny'] as const)
  it(`answers an exception in the decision by failure mode ${failureMode}, and logs it`, async () => {
    const dir = await mkdtemp(join(tmpdir(), 'palisade-error-'));
    const lines: string[] = [];
    const logger = createJsonLogger({
      write: (line: string) => lines.push(line),
    } as unknown as NodeJS.WritableStream);
    const credentials = new ReloadingTlsCredentials({
      certFile: join(dir, CERT_FILES.cert),
      keyFile: join(dir, CERT_FILES.key),
    });
    try {
      await writeWebhookCerts({
        directory: dir,
        service: 's',
        namespace: 'n',
        extraNames: ['localhost'],
        days: 1,
        now: new Date(),
        reuseCa: false,
      });
      await credentials.start();
      const metrics = createWebhookMetrics();
      const policy = new CompiledPolicy(defaultAdmissionPolicy(), builtinRules);
      const handler = createWebhookHandler({
        policy: () => policy,
        metrics,
        logger,
        isReady: () => true,
        requestTimeoutMs: 2000,
        failureMode,
        decide: () => {
          throw new Error('simulated bug');
        },
      });
      const server = await listenHttps({ host: '127.0.0.1', port: 0, credentials, handler });
      const ca = await readFile(join(dir, CERT_FILES.ca), 'utf8');
      const body = await new Promise<string>((resolve, reject) => {
        const outgoing = request(
          {
            host: '127.0.0.1',
            port: server.port,
            method: 'POST',
            path: '/validate',
            ca,
            servername: 'localhost',
            headers: { 'content-type': 'application/json' },
          },
          (response) => {
            let text = '';
            response.on('data', (chunk) => {
              text += chunk;
            });
            response.on('end', () => resolve(text));
          },
        );
        outgoing.on('error', reject);
        outgoing.end(JSON.stringify(podReview(plainPod())));
      });
      await server.close(100);
      const answer = JSON.parse(body).response;
      assert.equal(answer.uid, 'd3b07384-d9a0-4c9b-8f6e-000000000001');
      assert.equal(answer.allowed, failureMode === 'allow');
      if (failureMode === 'deny') assert.equal(answer.status.code, 500);
      assert.equal(metrics.errors.get({ endpoint: 'validate', type: 'internal' }), 1);
      assert.ok(
        lines.some(
          (line) =>
            JSON.parse(line).msg === 'internal error during admission' && line.includes('simulated bug'),
        ),
      );
    } finally {
      credentials.stop();
      await rm(dir, { recursive: true, force: true });
    }
  });
