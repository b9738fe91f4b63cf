// Namespace labels read from an API server (a local HTTPS stand-in checking the bearer token) and honoured by the
// webhook: a namespace created after the last list is fetched on demand before the decision.
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { SILENT_LOGGER } from '../../src/server/json-log.ts';
import { NamespaceLabelsCache } from '../../src/server/namespace-labels-cache.ts';
import { issueCertificate } from '../../src/server/x509-certificate.ts';
import { plainPod, podReview, privilegedPod } from './review-fixtures.ts';
import { startFixture, type WebhookFixture } from './webhook-fixture.ts';

const TOKEN = 'test-token-not-a-secret';
const namespaces: Record<string, Record<string, string>> = {
  listed: { 'pod-security.kubernetes.io/enforce': 'restricted' },
  unlabelled: {},
};

describe('namespace labels from the API server', () => {
  let api: Server;
  let dir: string;
  let cache: NamespaceLabelsCache;
  let fixture: WebhookFixture;
  const calls: string[] = [];

  before(async () => {
    const now = new Date();
    const ca = issueCertificate({
      subject: { commonName: 'api CA' },
      notBefore: now,
      notAfter: new Date(now.getTime() + 86_400_000),
      isCa: true,
    });
    const serving = issueCertificate(
      {
        subject: { commonName: 'api' },
        notBefore: now,
        notAfter: new Date(now.getTime() + 86_400_000),
        isCa: false,
        altNames: ['127.0.0.1'],
      },
      ca,
    );
    api = createServer({ cert: serving.certificatePem, key: serving.privateKeyPem }, (request, response) => {
      calls.push(request.url ?? '');
      if (request.headers.authorization !== `Bearer ${TOKEN}`) {
        response.writeHead(401).end();
        return;
      }
      const item = (name: string) => ({ metadata: { name, labels: namespaces[name] ?? {} } });
      if (request.url === '/api/v1/namespaces')
        response.end(JSON.stringify({ items: Object.keys(namespaces).map(item) }));
      else {
        const name = decodeURIComponent((request.url ?? '').split('/').pop() ?? '');
        if (namespaces[name]) response.end(JSON.stringify(item(name)));
        else if (name === 'unreadable') response.writeHead(500).end();
        else response.writeHead(404).end();
      }
    });
    await new Promise<void>((resolve) => api.listen(0, '127.0.0.1', resolve));
    dir = await mkdtemp(join(tmpdir(), 'palisade-ns-'));
    await writeFile(join(dir, 'token'), `${TOKEN}\n`);
    cache = new NamespaceLabelsCache(
      {
        url: `https://127.0.0.1:${(api.address() as AddressInfo).port}`,
        caPem: ca.certificatePem,
        tokenFile: join(dir, 'token'),
      },
      SILENT_LOGGER,
    );
    await cache.start(60_000);
    fixture = await startFixture({
      policyText:
        'apiVersion: palisade.dev/v1alpha1\nkind: AdmissionPolicy\ndefaults:\n  enforce: { level: baseline }\nnamespaceLabels: true\n',
      namespaceLabels: (namespace) => cache.get(namespace),
      ensureNamespace: (namespace) => cache.ensure(namespace),
    });
  });
  after(async () => {
    cache?.stop();
    await fixture?.close();
    api?.close();
    await rm(dir, { recursive: true, force: true });
  });

  const allowed = async (namespace: string) =>
    JSON.parse((await fixture.post('/validate', JSON.stringify(podReview(plainPod('p', namespace))))).body)
      .response.allowed;

  it('applies restricted from the label of a listed namespace, and baseline elsewhere', async () => {
    assert.deepEqual(cache.get('listed'), namespaces.listed);
    assert.equal(await allowed('listed'), false);
    assert.equal(await allowed('unlabelled'), true);
  });

  it('fetches a namespace created after the last list before deciding', async () => {
    namespaces.fresh = { 'pod-security.kubernetes.io/enforce': 'restricted' };
    assert.equal(cache.get('fresh'), undefined);
    assert.equal(await allowed('fresh'), false);
    assert.ok(calls.includes('/api/v1/namespaces/fresh'));
  });

  it('a namespace whose labels cannot be read: denied by failure mode deny, else judged by the policy with a warning', async () => {
    const review = async (target: WebhookFixture, path: string, body: Record<string, unknown>) =>
      JSON.parse((await target.post(path, JSON.stringify(body))).body).response;
    // failureMode allow (the default): the policy's own modes still judge (baseline denies a privileged pod).
    const plain = await review(fixture, '/validate', podReview(plainPod('p', 'unreadable')));
    assert.equal(plain.allowed, true);
    assert.deepEqual(plain.warnings, [
      'Palisade could not read the namespace labels; judged by the policy alone (failure mode allow)',
    ]);
    assert.equal(plain.auditAnnotations['namespace-labels'], 'unavailable');
    assert.equal(
      (await review(fixture, '/validate', podReview(privilegedPod('p', 'unreadable')))).allowed,
      false,
    );
    assert.equal(fixture.server.metrics.errors.get({ endpoint: 'validate', type: 'namespace-lookup' }), 2);
    const denying = await startFixture({
      policyText:
        'apiVersion: palisade.dev/v1alpha1\nkind: AdmissionPolicy\ndefaults:\n  enforce: { level: baseline }\nnamespaceLabels: true\nfailureMode: deny\nexemptions:\n  usernames: [ops]\n  namespaces: ["legacy-*"]\n',
      namespaceLabels: (namespace) => cache.get(namespace),
      ensureNamespace: (namespace) => cache.ensure(namespace),
    });
    try {
      const denied = await review(denying, '/validate', podReview(plainPod('p', 'unreadable')));
      assert.equal(denied.allowed, false);
      assert.equal(denied.status.code, 500);
      assert.match(
        denied.status.message,
        /^Palisade could not read the namespace labels \(cannot read the labels of namespace unreadable: GET \/api\/v1\/namespaces\/unreadable: HTTP 500\); denied by failure mode deny$/,
      );
      // What never reads the labels never waits on them, as in Pod Security Admission: exempt users and
      // namespaces, and mutation.
      const before = calls.length;
      assert.equal(
        (await review(denying, '/validate', podReview(plainPod('p', 'unreadable'), { username: 'ops' })))
          .allowed,
        true,
      );
      assert.equal((await review(denying, '/validate', podReview(plainPod('p', 'legacy-x')))).allowed, true);
      assert.equal((await review(denying, '/mutate', podReview(plainPod('p', 'unreadable')))).allowed, true);
      assert.equal(calls.length, before, 'the API server was not asked');
    } finally {
      await denying.close();
    }
  });
});
